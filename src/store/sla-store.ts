// Response clocks' rows (0012): the clock index (a projection of each incident's clock, rewritten
// whenever its timeline changes, so listing the running clocks or a month's clocks is an index
// read), the notices sent (reminders and breaches, each once by key) and the breach records,
// which the database itself refuses to change.
import type { ClockState } from '../domain/sla/clock.js';
import type { Severity, SlaRole } from '../domain/sla/types.js';
import type { Db } from './db.js';

export interface ClockRow {
  incidentId: number;
  tenantId: string;
  clockId: string;
  severity: Severity;
  startedAt: number;
  status: ClockState['status'];
  dueAt: number | null;
}

export interface SentNotice {
  key: string;
  incidentId: number;
  clockId: string;
  kind: 'reminder' | 'breach';
  offsetMinutes: number;
  dueAt: number;
  sentAt: number;
  notified: Array<{ role: SlaRole; userId: string }>;
}

export interface BreachEvidence {
  firstAlarmAt: number | null;
  clockStartedAt: number;
  targetMinutes: number;
  pauses: Array<{ from: number; to?: number; reason: string; actor?: string }>;
  remindersSent: Array<{ key: string; at: number; offsetMinutes: number; notified: string[] }>;
  notified: Array<{ role: SlaRole; userId: string }>;
}

export interface StoredBreach {
  clockId: string;
  incidentId: number;
  tenantId: string;
  severity: Severity;
  startedAt: number;
  targetMs: number;
  breachAt: number;
  recordedAt: number;
  evidence: BreachEvidence;
}

/** Clocks still able to page someone (running, paused, outside coverage) or already breached but unanswered. */
const ACTIVE = "('running', 'paused', 'outside-coverage', 'breached')";

interface RawClock {
  incident_id: number;
  tenant_id: string;
  clock_id: string;
  severity: number;
  started_at: number;
  status: ClockState['status'];
  due_at: number | null;
}

const toClock = (r: RawClock): ClockRow => ({
  incidentId: r.incident_id,
  tenantId: r.tenant_id,
  clockId: r.clock_id,
  severity: r.severity as Severity,
  startedAt: r.started_at,
  status: r.status,
  dueAt: r.due_at,
});

interface RawNotice {
  key: string;
  incident_id: number;
  clock_id: string;
  kind: 'reminder' | 'breach';
  offset_minutes: number;
  due_at: number;
  sent_at: number;
  notified: string;
}

const toNotice = (r: RawNotice): SentNotice => ({
  key: r.key,
  incidentId: r.incident_id,
  clockId: r.clock_id,
  kind: r.kind,
  offsetMinutes: r.offset_minutes,
  dueAt: r.due_at,
  sentAt: r.sent_at,
  notified: JSON.parse(r.notified) as SentNotice['notified'],
});

interface RawBreach {
  clock_id: string;
  incident_id: number;
  tenant_id: string;
  severity: number;
  started_at: number;
  target_ms: number;
  breach_at: number;
  recorded_at: number;
  evidence: string;
}

const toBreach = (r: RawBreach): StoredBreach => ({
  clockId: r.clock_id,
  incidentId: r.incident_id,
  tenantId: r.tenant_id,
  severity: r.severity as Severity,
  startedAt: r.started_at,
  targetMs: r.target_ms,
  breachAt: r.breach_at,
  recordedAt: r.recorded_at,
  evidence: JSON.parse(r.evidence) as BreachEvidence,
});

export class SlaStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      upsertClock: db.prepare(
        `INSERT INTO sla_clocks (incident_id, tenant_id, clock_id, severity, started_at, status, due_at, updated_at)
         VALUES (@incidentId, @tenantId, @clockId, @severity, @startedAt, @status, @dueAt, @now)
         ON CONFLICT (incident_id) DO UPDATE SET clock_id = excluded.clock_id, severity = excluded.severity,
           started_at = excluded.started_at, status = excluded.status, due_at = excluded.due_at,
           updated_at = excluded.updated_at`,
      ),
      clock: db.prepare('SELECT * FROM sla_clocks WHERE incident_id = ?'),
      active: db.prepare(`SELECT * FROM sla_clocks WHERE status IN ${ACTIVE} ORDER BY due_at`),
      activeOf: db.prepare(
        `SELECT * FROM sla_clocks WHERE tenant_id = ? AND status IN ${ACTIVE} ORDER BY due_at`,
      ),
      startedBetween: db.prepare(
        'SELECT * FROM sla_clocks WHERE tenant_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at',
      ),
      insertNotice: db.prepare(
        `INSERT INTO sla_notices (key, incident_id, clock_id, kind, offset_minutes, due_at, sent_at, notified)
         VALUES (@key, @incidentId, @clockId, @kind, @offsetMinutes, @dueAt, @sentAt, @notified)
         ON CONFLICT (key) DO NOTHING`,
      ),
      noticesOf: db.prepare('SELECT * FROM sla_notices WHERE incident_id = ? ORDER BY sent_at, key'),
      insertBreach: db.prepare(
        `INSERT INTO sla_breaches (clock_id, incident_id, tenant_id, severity, started_at, target_ms, breach_at, recorded_at, evidence)
         VALUES (@clockId, @incidentId, @tenantId, @severity, @startedAt, @targetMs, @breachAt, @recordedAt, @evidence)
         ON CONFLICT (clock_id) DO NOTHING`,
      ),
      breachesOf: db.prepare('SELECT * FROM sla_breaches WHERE incident_id = ? ORDER BY breach_at'),
      pruneNotices: db.prepare(
        'DELETE FROM sla_notices WHERE rowid IN (SELECT rowid FROM sla_notices WHERE sent_at < ? LIMIT ?)',
      ),
      pruneClocks: db.prepare(
        // Only clocks of resolved incidents: an incident still open keeps its clock whatever its age.
        `DELETE FROM sla_clocks WHERE rowid IN (SELECT c.rowid FROM sla_clocks c JOIN incidents i ON i.id = c.incident_id
           WHERE c.started_at < ? AND i.status = 'resolved' LIMIT ?)`,
      ),
      pruneBreaches: db.prepare(
        'DELETE FROM sla_breaches WHERE rowid IN (SELECT rowid FROM sla_breaches WHERE breach_at < ? LIMIT ?)',
      ),
    };
  }

  saveClock(row: ClockRow, now: number): void {
    this.s.upsertClock.run({ ...row, now });
  }

  clock(incidentId: number): ClockRow | undefined {
    const row = this.s.clock.get(incidentId) as RawClock | undefined;
    return row ? toClock(row) : undefined;
  }

  /** Clocks that are running, paused, outside coverage or breached without a response; soonest due first. */
  activeClocks(tenantId?: string): ClockRow[] {
    const rows = (tenantId ? this.s.activeOf.all(tenantId) : this.s.active.all()) as RawClock[];
    return rows.map(toClock);
  }

  /** Clocks whose incident's first clock started in [from, to). */
  clocksStartedBetween(tenantId: string, from: number, to: number): ClockRow[] {
    return (this.s.startedBetween.all(tenantId, from, to) as RawClock[]).map(toClock);
  }

  /** Records a notice as sent; false when it already was (the caller then sends nothing). */
  recordNotice(notice: SentNotice): boolean {
    return this.s.insertNotice.run({ ...notice, notified: JSON.stringify(notice.notified) }).changes === 1;
  }

  notices(incidentId: number): SentNotice[] {
    return (this.s.noticesOf.all(incidentId) as RawNotice[]).map(toNotice);
  }

  /** Writes a breach record once; false when the clock's breach is already on record. */
  recordBreach(breach: StoredBreach): boolean {
    return this.s.insertBreach.run({ ...breach, evidence: JSON.stringify(breach.evidence) }).changes === 1;
  }

  breaches(incidentId: number): StoredBreach[] {
    return (this.s.breachesOf.all(incidentId) as RawBreach[]).map(toBreach);
  }

  pruneNotices(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const deleted = this.s.pruneNotices.run(cutoff, limit).changes;
    return { deleted, more: deleted === limit };
  }

  pruneClocks(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const deleted = this.s.pruneClocks.run(cutoff, limit).changes;
    return { deleted, more: deleted === limit };
  }

  pruneBreaches(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const deleted = this.s.pruneBreaches.run(cutoff, limit).changes;
    return { deleted, more: deleted === limit };
  }
}
