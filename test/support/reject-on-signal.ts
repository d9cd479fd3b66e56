// Preloaded into a bot process: on SIGUSR2, a promise rejects with no handler, as a forgotten `await` deep in a
// dependency would, and its message carries the Modelverse key, as a careless error message might.
process.on('SIGUSR2', () => {
	void Promise.reject(new Error(`a stray failure quoting ${process.env.MODELVERSE_API_KEY ?? ''}`));
});
