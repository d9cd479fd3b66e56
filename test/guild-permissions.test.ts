import { type APIRole, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { missingPermissions, serverPermissions } from '../src/doctor/guild-permissions.js';

const GUILD = '330000000000000001';
const BOT = '330000000000000002';
const role = (id: string, permissions: bigint): APIRole => ({ id, permissions: String(permissions) }) as APIRole;
const { ViewChannel, SendMessages, AttachFiles, EmbedLinks, Administrator } = PermissionFlagsBits;

describe('the permissions the doctor reads for the bot in a server', () => {
	it('adds @everyone and the roles the bot holds, ignoring roles it does not hold', () => {
		const roles = [role(GUILD, ViewChannel), role('1', SendMessages | AttachFiles), role('2', EmbedLinks)];
		const permissions = serverPermissions({
			guildId: GUILD,
			ownerId: '9',
			roles,
			member: { roles: ['1'] },
			botUserId: BOT,
		});

		expect(missingPermissions(permissions)).toEqual(['Embed Links', 'Read Message History']);
	});

	it('counts Administrator, or owning the server, as every permission', () => {
		const admin = serverPermissions({
			guildId: GUILD,
			ownerId: '9',
			roles: [role(GUILD, 0n), role('1', Administrator)],
			member: { roles: ['1'] },
			botUserId: BOT,
		});
		const owner = serverPermissions({ guildId: GUILD, ownerId: BOT, roles: [], member: { roles: [] }, botUserId: BOT });

		expect(missingPermissions(admin)).toEqual([]);
		expect(missingPermissions(owner)).toEqual([]);
	});

	it('names every missing permission in words', () => {
		expect(missingPermissions(0n)).toEqual([
			'View Channel',
			'Send Messages',
			'Attach Files',
			'Embed Links',
			'Read Message History',
		]);
	});
});
