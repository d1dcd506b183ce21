import { z } from 'zod';
import type { Db } from './db.js';

export type InboundTransport = 'http' | 'socket';

export interface InboundDelivery {
  key: string;
  kind: string;
  transport: InboundTransport;
  body: unknown;
}

const UnprocessedRow = z.object({ delivery_key: z.string(), kind: z.string(), body: z.string() });

/**
 * Durable record of every delivery from Slack, written before we acknowledge it.
 * Re-deliveries share the key, so `record` tells the receiver to ack and skip them.
 */
export class InboundStore {
  private readonly insert;
  private readonly bumpRetry;
  private readonly isProcessed;
  private readonly markDone;
  private readonly unprocessed;
  private readonly count;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO slack_inbound (delivery_key, kind, transport, received_at, body)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`,
    );
    this.bumpRetry = db.prepare(
      'UPDATE slack_inbound SET retries_seen = retries_seen + 1 WHERE delivery_key = ?',
    );
    this.isProcessed = db.prepare('SELECT processed_at FROM slack_inbound WHERE delivery_key = ?');
    this.markDone = db.prepare('UPDATE slack_inbound SET processed_at = ? WHERE delivery_key = ?');
    this.unprocessed = db.prepare(
      `SELECT delivery_key, kind, body FROM slack_inbound
       WHERE processed_at IS NULL AND received_at >= ? ORDER BY received_at, rowid`,
    );
    this.count = db.prepare('SELECT COUNT(*) AS n FROM slack_inbound');
  }

  /**
   * 'new' the first time a key is seen; 'seen' when it was already processed;
   * 'unfinished' when it was stored but its processing never completed (crash).
   */
  record(delivery: InboundDelivery, now: number): 'new' | 'seen' | 'unfinished' {
    const info = this.insert.run(
      delivery.key,
      delivery.kind,
      delivery.transport,
      now,
      JSON.stringify(delivery.body),
    );
    if (info.changes === 1) return 'new';
    this.bumpRetry.run(delivery.key);
    const row = this.isProcessed.get(delivery.key) as { processed_at: number | null } | undefined;
    return row?.processed_at == null ? 'unfinished' : 'seen';
  }

  markProcessed(key: string, now: number): void {
    this.markDone.run(now, key);
  }

  /** Marks many deliveries processed in one transaction (one commit instead of one per event). */
  markProcessedMany(keys: string[], now: number): void {
    this.db.transaction(() => {
      for (const key of keys) this.markDone.run(now, key);
    })();
  }

  /** Deliveries acknowledged but never processed, oldest first. */
  unfinishedSince(sinceMs: number): Array<{ key: string; kind: string; body: unknown }> {
    return this.unprocessed.all(sinceMs).map((row) => {
      const r = UnprocessedRow.parse(row);
      return { key: r.delivery_key, kind: r.kind, body: JSON.parse(r.body) };
    });
  }

  size(): number {
    return (this.count.get() as { n: number }).n;
  }
}
