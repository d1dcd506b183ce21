import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { InboundStore, InboundTransport } from '../store/inbound-store.js';

export interface Delivery {
  key: string;
  kind: string;
}

/** Identifies a Slack delivery so re-deliveries map to the same key. */
export function identifyDelivery(body: Record<string, unknown>, fallback: string): Delivery {
  const kind = typeof body.type === 'string' ? body.type : body.command ? 'slash_command' : 'unknown';
  for (const field of ['event_id', 'trigger_id'] as const) {
    const value = body[field];
    if (typeof value === 'string' && value.length > 0) return { key: `${field}:${value}`, kind };
  }
  return { key: `hash:${createHash('sha256').update(fallback).digest('hex')}`, kind };
}

/**
 * The single door both receivers (HTTP and Socket Mode) pass through:
 * persist first, skip re-deliveries, mark done after the listeners ran, replay the unfinished.
 */
// Marking deliveries processed is batched: one commit per burst instead of one per event. If the
// process dies before a batch is written, those deliveries are replayed at start, which is
// harmless: every effect of an event is idempotent (alarm dedupe keys, job keys).
const FINISH_BATCH_MS = 25;

export class InboundGate {
  private readonly active = new Set<string>();
  /** Processed, not yet marked in the store: still counts as seen for re-deliveries. */
  private finished = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: InboundStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly commits?: GroupCommit,
  ) {}

  /** `admit`, committed together with the other deliveries of this tick (group commit). */
  admitDurably(
    body: Record<string, unknown>,
    raw: string,
    transport: InboundTransport,
    retryNum?: number,
  ): Promise<Delivery | undefined> {
    if (!this.commits) return Promise.resolve(this.admit(body, raw, transport, retryNum));
    return this.commits.run(() => this.admit(body, raw, transport, retryNum));
  }

  /** Returns the delivery to process, or undefined when it is a re-delivery to acknowledge and skip. */
  admit(
    body: Record<string, unknown>,
    raw: string,
    transport: InboundTransport,
    retryNum?: number,
  ): Delivery | undefined {
    const delivery = identifyDelivery(body, raw);
    const outcome = this.store.record({ ...delivery, transport, body }, this.clock.now());
    if (outcome === 'new') {
      this.active.add(delivery.key);
      return delivery;
    }
    if (outcome === 'unfinished' && !this.active.has(delivery.key) && !this.finished.has(delivery.key)) {
      // Stored by a process that died before finishing it: this retry is our chance to finish.
      this.active.add(delivery.key);
      return delivery;
    }
    this.logger.info({ delivery: delivery.key, retryNum, transport }, 'duplicate Slack delivery ignored');
    return undefined;
  }

  finish(delivery: Delivery): void {
    this.active.delete(delivery.key);
    this.finished.add(delivery.key);
    this.flushTimer ??= setTimeout(() => this.flush(), FINISH_BATCH_MS);
  }

  /** Deliveries admitted whose listeners have not finished yet. */
  get inFlight(): number {
    return this.active.size;
  }

  /** Writes the pending "processed" marks now (also called at shutdown). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.finished.size === 0) return;
    const keys = [...this.finished];
    try {
      this.store.markProcessedMany(keys, this.clock.now());
      this.finished = new Set();
    } catch (error) {
      // Kept in memory: still de-duplicated here; a restart would replay them (harmless, idempotent).
      this.logger.error({ err: error, count: keys.length }, 'could not mark Slack deliveries processed');
    }
  }

  /** Runs the listeners of an admitted delivery; finished on success, left unfinished if they throw. */
  async process(delivery: Delivery, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.finish(delivery);
    } catch (error) {
      this.abandon(delivery);
      throw error;
    }
  }

  /** Leaves a delivery unfinished (processing threw) so a retry or restart can pick it up. */
  abandon(delivery: Delivery): void {
    this.active.delete(delivery.key);
  }

  /**
   * At start: events acknowledged by a previous process but never processed are replayed.
   * Slash commands and interactions are not: their user is gone and their trigger expired.
   */
  async replayUnfinished(app: App, maxAgeMs: number): Promise<number> {
    const pending = this.store
      .unfinishedSince(this.clock.now() - maxAgeMs)
      .filter((d) => d.kind === 'event_callback' && !this.active.has(d.key) && !this.finished.has(d.key));
    for (const item of pending) {
      this.active.add(item.key);
      try {
        await app.processEvent({
          body: item.body as Record<string, unknown>,
          ack: async () => {},
          retryNum: 0,
        });
        this.finish({ key: item.key, kind: item.kind });
      } catch (error) {
        this.abandon({ key: item.key, kind: item.kind });
        this.logger.error(
          { err: error, delivery: item.key },
          'replay of an unfinished Slack delivery failed',
        );
      }
    }
    if (pending.length > 0)
      this.logger.warn({ replayed: pending.length }, 'replayed unfinished Slack deliveries');
    return pending.length;
  }
}
