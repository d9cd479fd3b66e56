import type { APIInteraction } from 'discord.js';

export interface ShownModal {
	custom_id: string;
	title?: string;
	components: Array<Record<string, unknown>>;
}

export interface InteractionRecord {
	id: string;
	token: string;
	payload: APIInteraction;
	channelId: string;
	dispatchedAt: number;
	attachmentSizeLimit: number;
	callbacks: unknown[];
	responseType: number | undefined;
	originalMessageId: string | undefined;
	followupMessageIds: string[];
	/** The message carrying the pressed component; response types 6 and 7 act on it. */
	sourceMessageId: string | undefined;
	modal: ShownModal | undefined;
}

export class InteractionStore {
	private readonly records = new Map<string, InteractionRecord>();
	private readonly idByToken = new Map<string, string>();

	add(record: InteractionRecord): void {
		this.records.set(record.id, record);
		this.idByToken.set(record.token, record.id);
	}

	byId(id: string): InteractionRecord | undefined {
		return this.records.get(id);
	}

	byToken(token: string): InteractionRecord | undefined {
		const id = this.idByToken.get(token);
		return id === undefined ? undefined : this.records.get(id);
	}

	latestModal(customId: string): ShownModal | undefined {
		return [...this.records.values()]
			.reverse()
			.map((record) => record.modal)
			.find((modal) => modal?.custom_id === customId);
	}
}
