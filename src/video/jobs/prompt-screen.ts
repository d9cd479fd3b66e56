import type { VideoMode } from '../../domain/video.js';

/**
 * Refuses a prompt before anything is reserved or fetched, by throwing the member's UserError. The moderation
 * feature implements it (blocked terms); the job service knows only this.
 */
export interface PromptScreen {
	screen(prompt: { guildId: string; userId: string; mode: VideoMode; prompt: string }): Promise<void>;
}
