import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { type GuildQuotaSettings, memberLimitOf, NO_GUILD_SETTINGS } from '../src/quota/limits/quota-settings.js';

const OPERATOR: Config['credits'] = {
	weights: { resolution: { '360p': 1, '540p': 1.4, '720p': 1.8, '1080p': 3.6 }, audioFactor: 1.3 },
	defaultServerCredits: 1000,
	defaultServerPeriod: 'month',
	defaultMemberCredits: 0,
	serverMonthlyCap: 0,
	monthlyCreditCap: 0,
	maxRunningPerMember: 2,
	maxQueuedPerMember: 3,
	maxRunningPerServer: 5,
};

const USER = '200000000000000001';
const [BOOSTER, PATRON, UNLISTED] = ['400000000000000001', '400000000000000002', '400000000000000003'];

const settings = (more: Partial<GuildQuotaSettings>): GuildQuotaSettings => ({ ...NO_GUILD_SETTINGS, ...more });
const perUser10 = { server: { credits: 100, period: 'day', perUser: 10 } } as const;

describe('whose limit a member spends within', () => {
	it('a role’s limit replaces per_user, even when it is smaller', () => {
		const guild = settings({ ...perUser10, roleLimits: { [BOOSTER]: 4 } });
		expect(memberLimitOf(guild, { userId: USER, roleIds: [BOOSTER] }, OPERATOR)).toEqual({
			credits: 4,
			source: { kind: 'role', roleId: BOOSTER },
		});
	});

	it('of several roles with a limit, the largest counts; roles without one are ignored', () => {
		const guild = settings({ ...perUser10, roleLimits: { [BOOSTER]: 20, [PATRON]: 30 } });
		for (const roleIds of [
			[BOOSTER, PATRON, UNLISTED],
			[UNLISTED, PATRON, BOOSTER],
		]) {
			expect(memberLimitOf(guild, { userId: USER, roleIds }, OPERATOR)).toEqual({
				credits: 30,
				source: { kind: 'role', roleId: PATRON },
			});
		}
	});

	it('two roles with the same limit name the same one whatever order Discord sends them in', () => {
		const guild = settings({ roleLimits: { [BOOSTER]: 20, [PATRON]: 20 } });
		const first = memberLimitOf(guild, { userId: USER, roleIds: [PATRON, BOOSTER] }, OPERATOR);
		expect(memberLimitOf(guild, { userId: USER, roleIds: [BOOSTER, PATRON] }, OPERATOR)).toEqual(first);
	});

	it('the member’s own limit beats every role, even a larger one, and even 0', () => {
		const guild = settings({ ...perUser10, memberLimits: { [USER]: 0 }, roleLimits: { [BOOSTER]: 50 } });
		expect(memberLimitOf(guild, { userId: USER, roleIds: [BOOSTER] }, OPERATOR)).toEqual({
			credits: 0,
			source: { kind: 'own' },
		});
	});

	it('without an own limit or a role with one: per_user, else the operator’s default, else none', () => {
		const noRole = { userId: USER, roleIds: [UNLISTED] };
		expect(memberLimitOf(settings(perUser10), noRole, OPERATOR)).toEqual({
			credits: 10,
			source: { kind: 'per-user' },
		});
		expect(memberLimitOf(NO_GUILD_SETTINGS, noRole, { ...OPERATOR, defaultMemberCredits: 7 })).toEqual({
			credits: 7,
			source: { kind: 'operator' },
		});
		expect(memberLimitOf(NO_GUILD_SETTINGS, noRole, OPERATOR)).toEqual({ credits: null, source: { kind: 'none' } });
	});
});
