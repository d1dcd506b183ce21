import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from 'pino';
import { slackLoggerFrom } from '../../logger.js';
import type { InboundGate } from '../inbound-gate.js';

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
 * Socket Mode transport (the default: no public ingress). Same gate as HTTP: each envelope is
 * persisted before it is acknowledged; retries (retry_attempt) of stored events are acked and skipped.
 */
export class SlackSocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | undefined;
  private isConnected = false;
  private stopping = false;

  constructor(private readonly opts: SlackSocketReceiverOptions) {
    this.client = new SocketModeClient({
      appToken: opts.appToken,
      logger: slackLoggerFrom(opts.logger, 'slack-socket'),
      clientPingTimeout: opts.clientPingTimeoutMs,
      clientOptions: { slackApiUrl: opts.slackApiUrl },
    });
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
    this.client.on('slack_event', (args: SocketEnvelopeArgs) => this.onEnvelope(args));
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
