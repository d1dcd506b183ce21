import type { NormalizedAlarm } from '../domain/alarms/types.js';
import type { Db } from './db.js';

export interface RawAlarm {
  tenantId: string;
  source: 'slack' | 'alertmanager' | 'vms';
  dedupeKey: string;
  origin: string | null;
  body: unknown;
}

/** Raw alarms (stored before anything else happens) and every normalized occurrence. */
export class AlarmStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insertRaw: db.prepare(
        `INSERT INTO raw_alarms (tenant_id, source, dedupe_key, origin, received_at, body)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO alarm_events (raw_id, tenant_id, incident_id, fingerprint, status, severity, category, cluster,
           format, summary, suppressed_by, received_at)
         VALUES (@rawId, @tenantId, @incidentId, @fingerprint, @status, @severity, @category, @cluster,
           @format, @summary, @suppressedBy, @at)`,
      ),
      unclassified: db.prepare(
        `SELECT summary, received_at AS at FROM alarm_events
         WHERE tenant_id = ? AND category = 'unclassified' AND received_at >= ? AND received_at < ? ORDER BY received_at`,
      ),
      rawCount: db.prepare('SELECT COUNT(*) AS n FROM raw_alarms'),
    };
  }

  /** Returns the new row id, or undefined when this alarm was already received (a re-delivery). */
  insertRaw(raw: RawAlarm, now: number): number | undefined {
    const body = typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body);
    const info = this.s.insertRaw.run(raw.tenantId, raw.source, raw.dedupeKey, raw.origin, now, body);
    return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
  }

  recordEvent(
    rawId: number,
    alarm: NormalizedAlarm,
    incidentId: number | null,
    suppressedBy: string | null,
    now: number,
  ): void {
    this.s.insertEvent.run({
      rawId,
      tenantId: alarm.tenantId,
      incidentId,
      fingerprint: alarm.fingerprint,
      status: alarm.status,
      severity: alarm.severity,
      category: alarm.category,
      cluster: alarm.cluster,
      format: alarm.format,
      summary: alarm.summary,
      suppressedBy,
      at: now,
    });
  }

  unclassifiedBetween(tenantId: string, from: number, to: number): Array<{ summary: string; at: number }> {
    return this.s.unclassified.all(tenantId, from, to) as Array<{ summary: string; at: number }>;
  }

  rawCount(): number {
    return (this.s.rawCount.get() as { n: number }).n;
  }
}
