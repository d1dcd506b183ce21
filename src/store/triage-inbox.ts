import type { AlarmSource, ParsedAlarm } from '../domain/alarms/types.js';
import type { Db } from './db.js';

/** An alarm that is stored (its raw row exists) and waits for triage. */
export interface PendingAlarm {
  rawId: number;
  tenantId: string;
  source: AlarmSource;
  dedupeKey: string;
  origin: string | null;
  /** When the door received it: triage records the alarm at this instant, however late it runs. */
  receivedAt: number;
  body: string;
  parsed: ParsedAlarm;
  channel: string | undefined;
  omittedSiblings: number | undefined;
  attempts: number;
}

interface Row {
  raw_id: number;
  tenant_id: string;
  source: AlarmSource;
  dedupe_key: string;
  origin: string | null;
  received_at: number;
  body: string;
  parsed: string;
  channel: string | null;
  omitted: number | null;
  attempts: number;
}

/**
 * The alarms acknowledged at a webhook door and not yet triaged (table triage_pending), in
 * arrival order. Rows are written next to the raw alarm in the acknowledging transaction and
 * removed in the transaction that triages them.
 */
export class TriageInbox {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      add: db.prepare('INSERT INTO triage_pending (raw_id, parsed, channel, omitted) VALUES (?, ?, ?, ?)'),
      next: db.prepare(
        `SELECT p.raw_id, r.tenant_id, r.source, r.dedupe_key, r.origin, r.received_at, r.body,
                p.parsed, p.channel, p.omitted, p.attempts
         FROM triage_pending p JOIN raw_alarms r ON r.id = p.raw_id
         WHERE p.raw_id > ? AND p.attempts < ? ORDER BY p.raw_id LIMIT ?`,
      ),
      remove: db.prepare('DELETE FROM triage_pending WHERE raw_id = ?'),
      fail: db.prepare('UPDATE triage_pending SET attempts = attempts + 1, last_error = ? WHERE raw_id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM triage_pending WHERE attempts < ?'),
      failed: db.prepare('SELECT COUNT(*) AS n FROM triage_pending WHERE attempts >= ?'),
    };
  }

  add(rawId: number, parsed: ParsedAlarm, channel?: string, omittedSiblings?: number): void {
    this.s.add.run(rawId, JSON.stringify(parsed), channel ?? null, omittedSiblings ?? null);
  }

  /** Up to `limit` waiting alarms after `afterRawId`, oldest first; gave-up ones are skipped. */
  next(afterRawId: number, limit: number, maxAttempts: number): PendingAlarm[] {
    return (this.s.next.all(afterRawId, maxAttempts, limit) as Row[]).map((r) => ({
      rawId: r.raw_id,
      tenantId: r.tenant_id,
      source: r.source,
      dedupeKey: r.dedupe_key,
      origin: r.origin,
      receivedAt: r.received_at,
      body: r.body,
      parsed: JSON.parse(r.parsed) as ParsedAlarm,
      channel: r.channel ?? undefined,
      omittedSiblings: r.omitted ?? undefined,
      attempts: r.attempts,
    }));
  }

  remove(rawId: number): void {
    this.s.remove.run(rawId);
  }

  /** Records a failed attempt; the row stays (evidence) and is retried until `maxAttempts`. */
  fail(rawId: number, error: string): void {
    this.s.fail.run(error.slice(0, 500), rawId);
  }

  /** Alarms still to triage. */
  count(maxAttempts: number): number {
    return (this.s.count.get(maxAttempts) as { n: number }).n;
  }

  /** Alarms triage gave up on (each failed `maxAttempts` times); they stay for an operator. */
  failedCount(maxAttempts: number): number {
    return (this.s.failed.get(maxAttempts) as { n: number }).n;
  }
}
