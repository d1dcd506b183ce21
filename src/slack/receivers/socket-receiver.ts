import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import type { Logger } from 'pino';
import { isPlainObject, jsonKind } from '../../http/bounded-json.js';
import { slackLoggerFrom } from '../../logger.js';
import type { InboundGate } from '../inbound-gate.js';
import { slackPayloadProblem } from './payload-shape.js';

export interface SlackSocketReceiverOptions {
  appToken: string;
  slackApiUrl: string;
  gate: InboundGate;
  logger: Logger;
  /** How long to wait for a pong before reconnecting (SocketModeClient default 5 s). */
  clientPingTimeoutMs?: number;
}

interface SocketEnvelopeArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * SocketModeClient reads `message.payload.event.type` of every events_api envelope before it
 * emits anything: an envelope whose payload or event is not an object throws inside the client's
 * async message handler (an unhandled rejection, and no ack). Such an envelope is turned, before
 * the client sees it, into one with a null payload and a neutral type, so it still reaches
 * `slack_event` with its envelope id and is acknowledged and dropped there like every other
 * malformed payload (payload-shape.ts).
 */
class GuardedSocketModeClient extends SocketModeClient {
  constructor(
    options: SocketModeOptions,
    private readonly warn: (detail: Record<string, unknown>, message: string) => void,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    if (isBinary) return super.onWebSocketMessage(data, isBinary);
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return super.onWebSocketMessage(data, isBinary); // the client logs and ignores it
    }
    if (!isPlainObject(message)) {
      this.warn(
        { reason: `envelope: expected an object, got ${jsonKind(message)}` },
        'ignored a malformed Socket Mode message',
      );
      return;
    }
    if (message.type === 'events_api') {
      const payload = message.payload;
      const reason = !isPlainObject(payload)
        ? `payload: expected an object, got ${jsonKind(payload)}`
        : !isPlainObject(payload.event)
          ? `event: expected an object, got ${jsonKind(payload.event)}`
          : undefined;
      if (reason) {
        this.warn({ reason, envelope: message.envelope_id }, 'malformed events_api envelope');
        const neutral = { envelope_id: message.envelope_id, type: 'malformed_events_api', payload: null };
        return super.onWebSocketMessage(JSON.stringify(neutral), false);
      }
    }
    return super.onWebSocketMessage(text, false);
  }
}

/**
 * Socket Mode transport (the default: no public ingress). Same gate as HTTP: each envelope is
 * persisted before it is acknowledged; retries (retry_attempt) of stored events are acked and skipped.
 */
export class SlackSocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | undefined;
  private isConnected = false;
  private stopping = false;

  constructor(private readonly opts: SlackSocketReceiverOptions) {
    this.client = new GuardedSocketModeClient(
      {
        appToken: opts.appToken,
        logger: slackLoggerFrom(opts.logger, 'slack-socket'),
        clientPingTimeout: opts.clientPingTimeoutMs,
        clientOptions: { slackApiUrl: opts.slackApiUrl },
      },
      (detail, message) => opts.logger.warn(detail, message),
    );
    this.client.on('connected', () => {
      this.isConnected = true;
      opts.logger.info('Socket Mode connected');
    });
    // 'close' fires as soon as the socket drops; 'reconnecting' only after the reconnect delay.
    for (const state of ['close', 'disconnected', 'reconnecting'] as const) {
      this.client.on(state, () => {
        const wasConnected = this.isConnected;
        this.isConnected = false;
        if (wasConnected && !this.stopping)
          opts.logger.warn({ state }, 'Socket Mode connection lost; reconnecting');
      });
    }
    this.client.on('slack_event', (args: SocketEnvelopeArgs) =>
      // The emitter drops the promise: whatever fails here must end in the log, never as an
      // unhandled rejection (which would stop the process).
      this.onEnvelope(args).catch((error) =>
        opts.logger.error({ err: error, envelope: args?.envelope_id }, 'Socket Mode envelope failed'),
      ),
    );
  }

  get connected(): boolean {
    return this.isConnected;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.client.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.client.disconnect();
    this.isConnected = false;
  }

  private async onEnvelope(args: SocketEnvelopeArgs): Promise<void> {
    const { logger, gate } = this.opts;
    // A malformed payload can never be processed, however often Slack re-sends it: acknowledge it
    // (so it is not retried) and drop it before it is stored, replayed at every start, or handed
    // to Bolt, which trusts the shape (see payload-shape.ts).
    const problem = slackPayloadProblem(args.body);
    if (problem) {
      logger.warn(
        { reason: problem, envelope: args.envelope_id },
        'dropped a malformed Socket Mode envelope',
      );
      await args.ack().catch((error) => logger.warn({ err: error }, 'could not ack a malformed envelope'));
      return;
    }
    const delivery = await gate.admitDurably(args.body, args.envelope_id, 'socket', args.retry_num);
    if (!delivery) {
      await args.ack().catch((error) => logger.warn({ err: error }, 'could not ack a duplicate envelope'));
      return;
    }
    let acked = false;
    const event: ReceiverEvent = {
      body: args.body,
      retryNum: args.retry_num,
      retryReason: args.retry_reason,
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        await args.ack(toAckPayload(response));
      },
    };
    try {
      await gate.process(delivery, async () => {
        if (!this.app) throw new Error('receiver used before init');
        await this.app.processEvent(event);
      });
    } catch (error) {
      logger.error({ err: error, delivery: delivery.key }, 'Socket Mode envelope processing failed');
      if (!acked) await event.ack().catch(() => {});
    }
  }
}

function toAckPayload(response: unknown): Record<string, unknown> | undefined {
  if (response === undefined || response === '') return undefined;
  if (typeof response === 'string') return { text: response };
  return response as Record<string, unknown>;
}
