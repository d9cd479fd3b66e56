// The architecture of the bot, checked by `npm run check:boundaries` (part of `npm test`).
// Features sit on top, interactions and the adapters below them, the shared base at the bottom;
// the composition roots wire everything together and may import anything in src.
const FEATURES = '^src/(video|quota|moderation)/';
const INTERACTIONS = '^src/interactions/';
const ADAPTERS = '^src/(discord|modelverse|storage|ops)/';
const BASE = '^src/(domain|i18n)/';
const CONFIG = '^src/config[.]ts$';
const DOCTOR = '^src/doctor/';
const ROOTS = '^src/(bot|index|command-definitions|deploy-commands|doctor)[.]ts$';
const FIRST_PARTY = '^(src|standins|test|scripts|bench)/';
const TOOLS = '^(standins|test|scripts|bench)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'src-file-outside-a-known-room',
			comment:
				'Every file in src belongs to a feature, interactions, an adapter, the shared base, the doctor or a ' +
				'composition root. A new room is added here deliberately, together with the rules that say what it may import.',
			severity: 'error',
			from: {
				path: '^src/',
				pathNot: [FEATURES, INTERACTIONS, ADAPTERS, BASE, CONFIG, DOCTOR, ROOTS],
			},
			to: {},
		},
		{
			name: 'features-stay-apart',
			comment:
				'video, quota and moderation are separate rooms: none imports another. What they share lives below them ' +
				'(interactions, an adapter or the domain: e.g. the ActivityListener through which video and quota report ' +
				'to the moderation log), and the composition root (src/bot.ts) connects them.',
			severity: 'error',
			from: { path: FEATURES },
			to: { path: FEATURES, pathNot: '^src/$1/' },
		},
		{
			name: 'features-import-only-below',
			comment:
				'A feature builds on interactions, the adapters (discord, modelverse, storage, ops), the domain, i18n and ' +
				'the config. It never reaches into the doctor or a composition root: those import features, not the other way.',
			severity: 'error',
			from: { path: FEATURES },
			to: { path: '^src/', pathNot: [FEATURES, INTERACTIONS, ADAPTERS, BASE, CONFIG] },
		},
		{
			name: 'interactions-never-import-features',
			comment:
				'src/interactions is generic interaction plumbing (router, context, private answers) used by every feature; ' +
				'it may use the adapters, the domain, i18n and the config, but knows no feature, the doctor or a composition root.',
			severity: 'error',
			from: { path: INTERACTIONS },
			to: { path: '^src/', pathNot: [INTERACTIONS, ADAPTERS, BASE, CONFIG] },
		},
		{
			name: 'adapters-never-import-upward',
			comment:
				'The adapters (discord, modelverse, storage, ops) sit below the features: they may use each other, the ' +
				'domain, i18n and the config, and never a feature, interactions, the doctor or a composition root. A need ' +
				'that runs upward is a function the feature passes in.',
			severity: 'error',
			from: { path: ADAPTERS },
			to: { path: '^src/', pathNot: [ADAPTERS, BASE, CONFIG] },
		},
		{
			name: 'doctor-uses-adapters-and-base-only',
			comment:
				'The doctor is an operator tool that checks the configuration, the store, Discord and Modelverse; it uses the ' +
				'adapters, the config and the shared base, and never starts or imports a feature, interactions or the bot.',
			severity: 'error',
			from: { path: DOCTOR },
			to: { path: '^src/', pathNot: [DOCTOR, ADAPTERS, BASE, CONFIG] },
		},
		{
			name: 'shared-base-stays-at-the-bottom',
			comment:
				'src/domain and src/i18n import nothing first-party but each other (third-party and node: modules are fine). ' +
				'Everything builds on this base, so an import from it upward is a cycle in waiting.',
			severity: 'error',
			from: { path: BASE },
			to: { path: FIRST_PARTY, pathNot: BASE },
		},
		{
			name: 'config-names-settings-only',
			comment:
				'src/config.ts turns the environment into settings: it may read value lists and defaults from the base and ' +
				'from the adapters it configures (auth schemes, timeouts), never from features or anything above them.',
			severity: 'error',
			from: { path: CONFIG },
			to: { path: FIRST_PARTY, pathNot: [BASE, ADAPTERS] },
		},
		{
			name: 'src-never-imports-tools',
			comment:
				'The shipped bot is src alone (the production image builds src only): stand-ins, tests, scripts and the bench ' +
				'import src, never the other way round.',
			severity: 'error',
			from: { path: '^src/' },
			to: { path: TOOLS },
		},
		{
			name: 'standins-never-import-test-scripts-or-bench',
			comment:
				'The stand-ins serve the tests, the demo and operator scripts, and the bench alike: they are the tools those ' +
				'import, so they never import any of them back.',
			severity: 'error',
			from: { path: '^standins/' },
			to: { path: '^(test|scripts|bench)/' },
		},
		{
			name: 'no-circular',
			comment:
				'A circle of imports (type-only imports included) is a boundary drawn in the wrong place: the modules in it can ' +
				'be neither understood nor tested one at a time. Move the shared piece down, or pass a function in.',
			severity: 'error',
			from: {},
			to: { circular: true },
		},
		{
			name: 'no-orphans',
			comment:
				'A file in src that imports nothing and is imported by nothing is dead code; remove it (or use it). knip finds ' +
				'the files that are imported but unreachable from an entry point.',
			severity: 'error',
			from: { path: '^src/', orphan: true },
			to: {},
		},
		{
			name: 'src-never-imports-dev-dependencies',
			comment:
				'The production image installs with --omit=dev, so a devDependency imported from src (other than for its ' +
				'types) is missing at run time. Move the package to dependencies.',
			severity: 'error',
			from: { path: '^src/' },
			to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'not-to-unresolvable',
			comment:
				'An import that cannot be resolved to a file escapes every rule above (and fails at run time): fix the path, ' +
				'or add the package to package.json.',
			severity: 'error',
			from: {},
			to: { couldNotResolve: true },
		},
		{
			name: 'no-non-package-json',
			comment:
				'An npm package imported without being in package.json works only by accident of hoisting, and is missing ' +
				'(or a different version) in another install. Add it to package.json.',
			severity: 'error',
			from: {},
			to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		// Type-only imports count: `import type` circles and upward imports are boundary problems too.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			mainFields: ['module', 'main', 'types', 'typings'],
		},
	},
};
