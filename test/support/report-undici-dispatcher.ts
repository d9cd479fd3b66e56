// Preloaded after the module under test: says which undici installed the process-wide default dispatcher (the
// first to load does), before this module loads ours.
const installed: unknown = Reflect.get(globalThis, Symbol.for('undici.globalDispatcher.1'));
const { Agent } = await import('undici');
const owner = installed === undefined ? 'none' : installed instanceof Agent ? 'ours' : 'discord.js’s';
console.log(`undici global dispatcher: ${owner}`);
