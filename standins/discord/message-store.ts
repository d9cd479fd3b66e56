import type { APIMessage } from 'discord.js';

/** Only the member who ran the interaction sees these; they are not in the channel's history. */
const EPHEMERAL = 1 << 6;

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

	/**
	 * A page of a channel's visible messages as `GET /channels/{id}/messages` gives it: newest first, at most `limit`,
	 * only those after `after` (the oldest such) or before `before` when given.
	 */
	page(
		channelId: string,
		options: { limit: number; before?: string | undefined; after?: string | undefined },
	): APIMessage[] {
		const { limit, before, after } = options;
		const visible = this.inChannel(channelId)
			.filter((message) => ((message.flags ?? 0) & EPHEMERAL) === 0)
			.filter((message) => before === undefined || BigInt(message.id) < BigInt(before))
			.filter((message) => after === undefined || BigInt(message.id) > BigInt(after))
			.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
		const taken = after === undefined ? visible.slice(-limit) : visible.slice(0, limit);
		return taken.reverse();
	}

	byNonce(channelId: string, nonce: string): APIMessage | undefined {
		const id = this.messageIdByNonce.get(`${channelId}:${nonce}`);
		return id === undefined ? undefined : this.messages.get(id);
	}

	rememberNonce(channelId: string, nonce: string, messageId: string): void {
		this.messageIdByNonce.set(`${channelId}:${nonce}`, messageId);
	}
}
