/**
 * The bot exactly as production starts it (src/index.ts, settings from the environment), plus one thing: it answers
 * the benchmark's question about its own resource use over the IPC channel, which works the same on every OS.
 */
process.on('message', (message) => {
	if (message !== 'resource-usage' && message !== 'resting-resource-usage') return;
	if (message === 'resting-resource-usage') (globalThis as { gc?: () => void }).gc?.();
	const usage = process.resourceUsage();
	process.send?.({
		maxRssKb: usage.maxRSS,
		rssKb: process.memoryUsage.rss() / 1024,
		cpuMicros: usage.userCPUTime + usage.systemCPUTime,
	});
});
process.channel?.unref();

await import('../src/index.js');
