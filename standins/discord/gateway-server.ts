import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayGuildCreateDispatchData, GatewayReadyDispatchData } from 'discord.js';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord.js';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { nextSnowflake } from './snowflake.js';

interface DispatchFrame {
	op: GatewayOpcodes.Dispatch;
	t: string;
	s: number;
	d: unknown;
}

interface GatewaySession {
	id: string;
	sequence: number;
	/** Kept so a client that resumes gets what it missed. */
	history: DispatchFrame[];
	socket: WebSocket | undefined;
}

interface IncomingFrame {
	op: number;
	d?: { token?: string; session_id?: string; seq?: number } | number | null;
}

export interface GatewayServerOptions {
	botToken: string;
	heartbeatIntervalMs: number;
	ready(sessionId: string): GatewayReadyDispatchData;
	guildCreates(): GatewayGuildCreateDispatchData[];
}

/** Closing with these ends the session: Discord will not let it resume. */
const sessionEndingCloseCodes = new Set([1000, 1001]);

export class GatewayServer {
	private readonly server = new WebSocketServer({ noServer: true });
	private readonly sessions = new Map<string, GatewaySession>();
	private down = false;

	constructor(private readonly options: GatewayServerOptions) {
		this.server.on('connection', (socket) => this.accept(socket));
	}

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		if (this.down) {
			socket.destroy();
			return;
		}
		this.server.handleUpgrade(request, socket, head, (webSocket) => this.server.emit('connection', webSocket, request));
	}

	/** True while a client is connected, or may still resume (events wait for it meanwhile). */
	hasSession(): boolean {
		return this.sessions.size > 0;
	}

	/** Op 7: the client reconnects and resumes, as it must when Discord moves it to another server. */
	requestReconnect(): void {
		for (const session of this.sessions.values()) {
			session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null, s: null, t: null }));
		}
	}

	/** As in a Discord outage: every connection drops without a close frame, and new ones are refused until `comeBack`. */
	goDown(): void {
		this.down = true;
		for (const client of this.server.clients) client.terminate();
	}

	comeBack(): void {
		this.down = false;
	}

	/** Sends to every live session and keeps the event for sessions that may resume. */
	dispatch(eventName: string, data: unknown): void {
		for (const session of this.sessions.values()) this.send(session, eventName, data);
	}

	async close(): Promise<void> {
		for (const client of this.server.clients) client.terminate();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private accept(socket: WebSocket): void {
		let session: GatewaySession | undefined;
		socket.send(
			JSON.stringify({
				op: GatewayOpcodes.Hello,
				d: { heartbeat_interval: this.options.heartbeatIntervalMs },
				s: null,
				t: null,
			}),
		);
		socket.on('message', (raw: RawData) => {
			const frame = parseFrame(raw);
			if (!frame) return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			if (frame.op === GatewayOpcodes.Heartbeat)
				return socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
			if (frame.op === GatewayOpcodes.Identify || frame.op === GatewayOpcodes.Resume) {
				if (session) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
				const data = typeof frame.d === 'object' && frame.d !== null ? frame.d : {};
				if (data.token !== this.options.botToken)
					return socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
				session =
					frame.op === GatewayOpcodes.Identify
						? this.identify(socket)
						: this.resume(socket, data.session_id, data.seq ?? 0);
				return;
			}
			if (!session) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
		});
		socket.on('close', (code) => {
			if (!session || session.socket !== socket) return;
			session.socket = undefined;
			if (sessionEndingCloseCodes.has(code)) this.sessions.delete(session.id);
		});
	}

	private identify(socket: WebSocket): GatewaySession {
		const session: GatewaySession = { id: nextSnowflake(), sequence: 0, history: [], socket };
		this.sessions.set(session.id, session);
		this.send(session, 'READY', this.options.ready(session.id));
		for (const guild of this.options.guildCreates()) this.send(session, 'GUILD_CREATE', guild);
		return session;
	}

	private resume(socket: WebSocket, sessionId: string | undefined, lastSequence: number): GatewaySession | undefined {
		const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
		if (!session) {
			socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
			return undefined;
		}
		session.socket?.terminate();
		session.socket = socket;
		for (const frame of session.history) if (frame.s > lastSequence) socket.send(JSON.stringify(frame));
		this.send(session, 'RESUMED', {});
		return session;
	}

	private send(session: GatewaySession, eventName: string, data: unknown): void {
		session.sequence += 1;
		const frame: DispatchFrame = { op: GatewayOpcodes.Dispatch, t: eventName, s: session.sequence, d: data };
		session.history.push(frame);
		session.socket?.send(JSON.stringify(frame));
	}
}

function parseFrame(raw: RawData): IncomingFrame | undefined {
	try {
		const frame = JSON.parse(raw.toString()) as IncomingFrame;
		return typeof frame.op === 'number' ? frame : undefined;
	} catch {
		return undefined;
	}
}
