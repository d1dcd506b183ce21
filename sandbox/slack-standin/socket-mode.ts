// Socket Mode, served on the stand-in's port: apps.connections.open hands out a one-time ticket URL,
// the app connects, gets `hello`, then receives envelopes and must ack each by envelope_id within
// Slack's 3 seconds. Envelopes go to the most recent open connection, as the app may reconnect
// (after `disconnect`, or when it restarts) and old sockets linger until closed.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { eventCallbackBody } from '../slack-wire.js';
import { type SlashCommandFields, slashCommandFor } from './payloads.js';
import type { ResponseUrls } from './response-urls.js';
import type { WorkspaceState } from './state.js';
import type { AckRecord, StrayAck } from './types.js';

export interface EnvelopeOptions {
  /** Overrides `ackTimeoutMs` for this envelope. */
  ackTimeoutMs?: number;
}

export interface EventsApiOptions extends EnvelopeOptions {
  eventId?: string;
  retryAttempt?: number;
  retryReason?: string;
}

interface PendingEnvelope {
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve: (ack: AckRecord) => void;
  reject: (error: Error) => void;
}

interface ConnectionWaiter {
  check: () => void;
  reject: (error: Error) => void;
}

/** Interactive payloads whose ack may carry a response (response_action, options). */
const RESPONDING_INTERACTIONS = new Set(['view_submission', 'block_suggestion']);

const DEBUG_HOST = 'applink-sandbox';

function closeGracefully(ws: WebSocket, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => ws.terminate(), timeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === ws.OPEN) ws.close(1001, 'going away');
  });
}

export class SocketModeServer {
  readonly acks: AckRecord[] = [];
  readonly strayAcks: StrayAck[] = [];
  /** Slack's limit; an envelope not acked in time makes its promise reject. */
  ackTimeoutMs = 3000;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #open: WebSocket[] = [];
  #opened = 0;
  readonly #pending = new Map<string, PendingEnvelope>();
  /** Envelopes no longer waiting, to tell a late or repeated ack from an unknown one. */
  readonly #settled = new Map<string, 'acked' | 'timed_out'>();
  readonly #connectionWaiters = new Set<ConnectionWaiter>();

  constructor(
    private readonly state: WorkspaceState,
    private readonly responseUrls: ResponseUrls,
    /** `ws://host:port/` of the running server. */
    private readonly wsBaseUrl: () => string,
  ) {}

  /** Currently open connections. */
  get connected(): number {
    return this.#open.length;
  }

  /** Connections accepted since start (goes up on every reconnect). */
  get opened(): number {
    return this.#opened;
  }

  /** For apps.connections.open: tickets are single-use, like Slack's. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    return `${this.wsBaseUrl()}link/?ticket=${ticket}&app_id=${this.state.identity.apiAppId}`;
  }

  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://standin');
    const ticket = url.searchParams.get('ticket');
    if (!/^\/link\/?$/.test(url.pathname) || ticket === null || !this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    this.#open.push(ws);
    this.#opened += 1;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', () => {
      const index = this.#open.indexOf(ws);
      if (index >= 0) this.#open.splice(index, 1);
    });
    // A failing socket also emits 'close', which is what we track; without a listener ws would throw.
    ws.on('error', (error) => console.warn('slack stand-in: socket mode connection error', error.message));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#open.length,
        debug_info: { host: DEBUG_HOST, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.state.identity.apiAppId },
      }),
    );
    for (const waiter of [...this.#connectionWaiters]) waiter.check();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const at = this.state.now();
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = isBinary ? {} : (JSON.parse(data.toString()) as typeof message);
    } catch {
      this.strayAcks.push({
        envelopeId: undefined,
        payload: data.toString(),
        reason: 'unknown_envelope',
        at,
      });
      return;
    }
    const envelopeId = typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    const pending = envelopeId === undefined ? undefined : this.#pending.get(envelopeId);
    if (envelopeId === undefined || !pending) {
      const settled = envelopeId === undefined ? undefined : this.#settled.get(envelopeId);
      const reason =
        settled === 'acked' ? 'duplicate' : settled === 'timed_out' ? 'late' : 'unknown_envelope';
      this.strayAcks.push({ envelopeId, payload: message.payload, reason, at });
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(envelopeId);
    this.#settled.set(envelopeId, 'acked');
    const ack: AckRecord = {
      envelopeId,
      payload: message.payload,
      ackedAfterMs: Math.round(performance.now() - pending.sentAt),
    };
    this.acks.push(ack);
    pending.resolve(ack);
  }

  /** Sends one envelope to the newest connection; resolves with its ack, rejects on timeout. */
  #sendEnvelope(
    type: string,
    payload: object,
    acceptsResponsePayload: boolean,
    extra: Record<string, unknown>,
    opts: EnvelopeOptions,
  ): Promise<AckRecord> {
    const ws = this.#open.at(-1);
    if (!ws) return Promise.reject(new Error('no open Socket Mode connection (is the app started?)'));
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: acceptsResponsePayload,
      ...extra,
    };
    const timeoutMs = opts.ackTimeoutMs ?? this.ackTimeoutMs;
    return new Promise<AckRecord>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(envelopeId);
        this.#settled.set(envelopeId, 'timed_out');
        reject(new Error(`${type} envelope ${envelopeId} was not acked within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(envelopeId, { sentAt: performance.now(), timer, resolve, reject });
      ws.send(JSON.stringify(envelope), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.#pending.delete(envelopeId);
        reject(error);
      });
    });
  }

  /** An Events API event (e.g. `{type:'message', channel, user, text, ts}`) wrapped as Slack does. */
  sendEventsApi(event: object, opts: EventsApiOptions = {}): Promise<AckRecord> {
    const { identity } = this.state;
    const body = eventCallbackBody(event, {
      teamId: identity.teamId,
      apiAppId: identity.apiAppId,
      botUserId: identity.botUserId,
      eventId: opts.eventId,
      nowMs: this.state.now(),
    });
    const retry = { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' };
    return this.#sendEnvelope('events_api', body, false, retry, opts);
  }

  /** A slash command; channel/user names and response_url are filled in from the stand-in. */
  sendSlashCommand(fields: SlashCommandFields, opts: EnvelopeOptions = {}): Promise<AckRecord> {
    const payload = slashCommandFor(this.state, this.responseUrls, fields);
    return this.#sendEnvelope('slash_commands', payload, true, {}, opts);
  }

  /** An interaction payload (block_actions, view_submission, shortcut…), e.g. from `standin.blockActions()`. */
  sendInteractive(payload: object, opts: EnvelopeOptions = {}): Promise<AckRecord> {
    const kind = (payload as { type?: unknown }).type;
    const accepts = typeof kind === 'string' && RESPONDING_INTERACTIONS.has(kind);
    return this.#sendEnvelope('interactive', payload, accepts, {}, opts);
  }

  /**
   * Asks the newest connection to go away, as Slack does when it recycles a link. Resolves once that
   * socket is closed; after `closeTimeoutMs` the stand-in closes it itself, as Slack would.
   */
  sendDisconnect(reason = 'refresh_requested', closeTimeoutMs = 5000): Promise<void> {
    const ws = this.#open.at(-1);
    if (!ws) return Promise.reject(new Error('no open Socket Mode connection to disconnect'));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => ws.terminate(), closeTimeoutMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_HOST } }));
    });
  }

  /** Resolves once at least `count` connections are open. */
  waitForConnection(count = 1, timeoutMs = 5000): Promise<void> {
    if (this.connected >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#connectionWaiters.delete(waiter);
        reject(
          new Error(
            `expected ${count} open Socket Mode connection(s), have ${this.connected} after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const waiter: ConnectionWaiter = {
        check: () => {
          if (this.connected < count) return;
          clearTimeout(timer);
          this.#connectionWaiters.delete(waiter);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          this.#connectionWaiters.delete(waiter);
          reject(error);
        },
      };
      this.#connectionWaiters.add(waiter);
    });
  }

  /** Drops every connection and fails whatever still waits (nothing can answer any more). */
  async close(): Promise<void> {
    const stopped = new Error('slack stand-in stopped');
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(stopped);
    }
    for (const waiter of [...this.#connectionWaiters]) waiter.reject(stopped);
    // Close handshakes rather than resets: a client already closing (Bolt's stop() does not wait for
    // its socket) finishes cleanly instead of logging a socket error.
    await Promise.all([...this.#open].map((ws) => closeGracefully(ws, 1000)));
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
