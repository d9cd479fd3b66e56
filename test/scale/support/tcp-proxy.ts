import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	/**
	 * From now on nothing crosses, either way, and connections stay open: a route that drops every packet, which the
	 * far side learns of only by its own timeouts.
	 */
	blackhole(): void;
	close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to a local port, which a test can cut off without the connections noticing. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let forwarding = true;
	const server = createServer((client) => {
		const upstream = connect(targetPort, '127.0.0.1');
		for (const [from, to] of [
			[client, upstream],
			[upstream, client],
		] as const) {
			sockets.add(from);
			from.on('data', (chunk) => {
				if (forwarding) to.write(chunk);
			});
			// Either side going away ends the pair, as it would end a direct connection.
			from.on('error', () => to.destroy());
			from.on('close', () => {
				sockets.delete(from);
				to.destroy();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('the TCP proxy has no port');
	return {
		port: address.port,
		blackhole() {
			forwarding = false;
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
