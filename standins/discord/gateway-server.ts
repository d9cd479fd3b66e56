import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayGuildCreateDispatchData, GatewayReadyDispatchData } from 'discord.js';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord.js';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { guildOfEvent, identifiedShard, receivesGuild, type ShardPair } from './shards.js';
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
	/** Only the events of this shard's guilds reach the session. */
	shard: ShardPair;
}

interface IncomingFrame {
	op: number;
	d?: { token?: string; session_id?: string; seq?: number; shard?: unknown } | number | null;
}

export interface GatewayServerOptions {
	botToken: string;
	heartbeatIntervalMs: number;
	ready(sessionId: string, shard: ShardPair): GatewayReadyDispatchData;
	guildCreates(shard: ShardPair): GatewayGuildCreateDispatchData[];
	/** IDENTIFY with fewer shards is closed 4011 Sharding required, as Discord closes a bot in too many servers. */
	requiredShards: number;
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

	/**
	 * True while a client holding the shard of this guild (shard 0 without one) is connected, or may still resume
	 * (events wait for it meanwhile).
	 */
	hasSession(guildId?: string): boolean {
		return [...this.sessions.values()].some((session) => receivesGuild(session.shard, guildId));
	}

	/** The shard of each session that is connected or may still resume, in the order they identified. */
	shards(): ShardPair[] {
		return [...this.sessions.values()].map((session) => session.shard);
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

	/** Sends to the sessions of the event's shard and keeps it for those that may resume. */
	dispatch(eventName: string, data: unknown): void {
		const guildId = guildOfEvent(eventName, data);
		for (const session of this.sessions.values()) {
			if (receivesGuild(session.shard, guildId)) this.send(session, eventName, data);
		}
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
				if (frame.op === GatewayOpcodes.Resume) {
					session = this.resume(socket, data.session_id, data.seq ?? 0);
					return;
				}
				const shard = identifiedShard(data.shard);
				if (!shard) return socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
				if (shard[1] < this.options.requiredShards)
					return socket.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
				session = this.identify(socket, shard);
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

	private identify(socket: WebSocket, shard: ShardPair): GatewaySession {
		const session: GatewaySession = { id: nextSnowflake(), sequence: 0, history: [], socket, shard };
		this.sessions.set(session.id, session);
		this.send(session, 'READY', this.options.ready(session.id, shard));
		for (const guild of this.options.guildCreates(shard)) this.send(session, 'GUILD_CREATE', guild);
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
