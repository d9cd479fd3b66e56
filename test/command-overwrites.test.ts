import { ApplicationCommandPermissionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { overwritesAllow } from '../src/discord/command-overwrites.js';

const GUILD = '360000000000000010';
const EVERYONE = GUILD;
const ALL_CHANNELS = '360000000000000009';
const CHANNEL = '360000000000000020';
const OTHER_CHANNEL = '360000000000000021';
const USER = '360000000000000030';
const ROLE = '360000000000000040';
const OTHER_ROLE = '360000000000000041';

const { Role, User, Channel } = ApplicationCommandPermissionType;
const on = (id: string, type: ApplicationCommandPermissionType) => ({ id, type, permission: true });
const off = (id: string, type: ApplicationCommandPermissionType) => ({ id, type, permission: false });
const member = { guildId: GUILD, channelId: CHANNEL, userId: USER, roleIds: [ROLE, OTHER_ROLE] };

describe('whether Discord lets a member run a command, from the overwrites admins set', () => {
	it('allows when no overwrite exists at any level', () => {
		expect(overwritesAllow([[], []], member)).toBe(true);
	});

	it('a channel turned off stops the command, even for a member allowed by name', () => {
		expect(overwritesAllow([[off(CHANNEL, Channel), on(USER, User)], []], member)).toBe(false);
		expect(overwritesAllow([[off(ALL_CHANNELS, Channel), on(CHANNEL, Channel)], []], member)).toBe(true);
		expect(overwritesAllow([[off(OTHER_CHANNEL, Channel)], []], member)).toBe(true);
	});

	it('the member before their roles before @everyone', () => {
		expect(overwritesAllow([[off(EVERYONE, Role), on(ROLE, Role)], []], member)).toBe(true);
		expect(overwritesAllow([[on(EVERYONE, Role), off(ROLE, Role)], []], member)).toBe(false);
		expect(overwritesAllow([[off(ROLE, Role), on(USER, User)], []], member)).toBe(true);
		expect(overwritesAllow([[off(ROLE, Role), on(OTHER_ROLE, Role)], []], member)).toBe(true);
	});

	it('the command’s own overwrites before the application’s', () => {
		expect(overwritesAllow([[on(EVERYONE, Role)], [off(USER, User)]], member)).toBe(true);
		expect(overwritesAllow([[], [off(EVERYONE, Role)]], member)).toBe(false);
		expect(overwritesAllow([[on(ALL_CHANNELS, Channel)], [off(CHANNEL, Channel)]], member)).toBe(true);
	});
});
