import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const required = { DISCORD_TOKEN: 'token', MODELVERSE_API_KEY: 'key' };

describe('the operator’s guardrail settings', () => {
	it('cap every server and the whole bill by default, and serve every server until an allowlist is given', () => {
		const config = loadConfig(required);
		expect(config.credits).toMatchObject({ serverMonthlyCap: 2_000, monthlyCreditCap: 20_000 });
		expect(config).not.toHaveProperty('allowedGuildIds');
		expect(loadConfig({ ...required, ALLOWED_GUILD_IDS: ' ' })).not.toHaveProperty('allowedGuildIds');
	});

	it('read ALLOWED_GUILD_IDS as comma-separated server ids, spaces and a stray comma allowed', () => {
		const config = loadConfig({ ...required, ALLOWED_GUILD_IDS: '390000000000000001, 390000000000000002,' });
		expect(config.allowedGuildIds).toEqual(['390000000000000001', '390000000000000002']);
	});

	it('name every id that is not one, and a negative cap', () => {
		let error: unknown;
		try {
			loadConfig({ ...required, ALLOWED_GUILD_IDS: '390000000000000001,my-server,12', MONTHLY_CREDIT_CAP: '-1' });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems.join('\n');
		expect(problems).toContain('ALLOWED_GUILD_IDS.1 must be a Discord id');
		expect(problems).toContain('ALLOWED_GUILD_IDS.2 must be a Discord id');
		expect(problems).toContain('MONTHLY_CREDIT_CAP');
	});
});
