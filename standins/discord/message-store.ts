import type { APIMessage } from 'discord.js';

export class MessageStore {
	private readonly messages = new Map<string, APIMessage>();
	private readonly messageIdByNonce = new Map<string, string>();

	save(message: APIMessage): void {
		this.messages.set(message.id, message);
	}

	get(id: string): APIMessage | undefined {
		return this.messages.get(id);
	}

	delete(id: string): void {
		this.messages.delete(id);
	}

	inChannel(channelId: string): APIMessage[] {
		return [...this.messages.values()].filter((message) => message.channel_id === channelId);
	}

	byNonce(channelId: string, nonce: string): APIMessage | undefined {
		const id = this.messageIdByNonce.get(`${channelId}:${nonce}`);
		return id === undefined ? undefined : this.messages.get(id);
	}

	rememberNonce(channelId: string, nonce: string, messageId: string): void {
		this.messageIdByNonce.set(`${channelId}:${nonce}`, messageId);
	}
}
