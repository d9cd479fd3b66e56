/** The parts of a Discord attachment (from `resolved.attachments`) that input checks need. */
export interface AttachmentInfo {
	url: string;
	filename: string;
	/** Declared by the uploader's client; trusted only to refuse early, never to accept. Unknown for embed images. */
	size: number | null;
	contentType?: string | null;
}
