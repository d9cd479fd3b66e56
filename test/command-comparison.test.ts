import { describe, expect, it } from 'vitest';
import { matchesRegistered } from '../src/discord/command-sync.js';

describe('comparing our command definitions with what Discord holds', () => {
	const ours = { name: 'video', options: [{ name: 'prompt', required: true }] };

	it('ignores what Discord adds of its own (ids, versions, defaults)', () => {
		const registered = {
			id: '1',
			version: '2',
			nsfw: false,
			name: 'video',
			options: [{ name: 'prompt', required: true, type: 3 }],
		};
		expect(matchesRegistered(ours, registered)).toBe(true);
	});

	it('sees a changed value, a missing key, and an option added or removed', () => {
		expect(matchesRegistered(ours, { name: 'video', options: [{ name: 'prompt', required: false }] })).toBe(false);
		expect(matchesRegistered(ours, { name: 'video', options: [{ name: 'prompt' }] })).toBe(false);
		expect(matchesRegistered(ours, { name: 'video', options: [] })).toBe(false);
		expect(
			matchesRegistered(ours, { name: 'video', options: [{ name: 'prompt', required: true }, { name: 'seed' }] }),
		).toBe(false);
	});

	it('sees a localisation that changed', () => {
		const localised = { description_localizations: { 'zh-CN': '生成视频' } };
		expect(matchesRegistered(localised, { description_localizations: { 'zh-CN': '生成一段视频' } })).toBe(false);
		expect(matchesRegistered(localised, { description_localizations: null })).toBe(false);
	});
});
