import type { Db } from './db.js';

/** What the database holds and since when (for `/opsbot status`). */
export interface StorageStats {
  /** Database file plus its WAL, in bytes. */
  bytes: number;
  /** Pages freed by pruning and reused by new rows (the file does not shrink, it stops growing). */
  freeBytes: number;
  oldestRawAlarmAt: number | undefined;
  oldestIncidentAt: number | undefined;
  oldestTimelineAt: number | undefined;
  rawAlarms: number;
  incidents: number;
}

/**
 * Batch deletes for retention. Every method deletes at most `limit` rows and returns how many it
 * deleted, so the caller commits each batch on its own and lets intake run in between. Rows are
 * taken oldest first by id (ids grow with time), and a batch stops at the first row that is still
 * kept: a run costs what it deletes, never a scan of what stays.
 */
export class RetentionStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      headRaw: db.prepare(
        `SELECT r.id, r.received_at AS at, p.raw_id IS NOT NULL AS waiting
         FROM raw_alarms r LEFT JOIN triage_pending p ON p.raw_id = r.id ORDER BY r.id LIMIT ?`,
      ),
      deleteEventsOfRaw: db.prepare('DELETE FROM alarm_events WHERE raw_id = ?'),
      deleteRaw: db.prepare('DELETE FROM raw_alarms WHERE id = ?'),
      headInbound: db.prepare(
        'SELECT delivery_key AS key FROM slack_inbound WHERE received_at < ? AND processed_at IS NOT NULL ORDER BY received_at LIMIT ?',
      ),
      deleteInbound: db.prepare('DELETE FROM slack_inbound WHERE delivery_key = ?'),
      headJobs: db.prepare(
        "SELECT id FROM jobs WHERE status = 'done' AND run_at < @cutoff AND updated_at < @cutoff ORDER BY run_at LIMIT @limit",
      ),
      deleteJob: db.prepare('DELETE FROM jobs WHERE id = ?'),
      headIncidents: db.prepare(
        "SELECT id FROM incidents WHERE status = 'resolved' AND resolved_at < ? ORDER BY resolved_at LIMIT ?",
      ),
      detachEvents: db.prepare('UPDATE alarm_events SET incident_id = NULL WHERE incident_id = ?'),
      deleteMembers: db.prepare('DELETE FROM incident_alarms WHERE incident_id = ?'),
      deleteTimelineOf: db.prepare('DELETE FROM timeline WHERE incident_id = ?'),
      deleteLinks: db.prepare('DELETE FROM incident_links WHERE incident_id = ?'),
      deleteIncident: db.prepare('DELETE FROM incidents WHERE id = ?'),
      headTimeline: db.prepare(
        `SELECT t.id, t.at, i.status FROM timeline t JOIN incidents i ON i.id = t.incident_id
         WHERE t.id > ? ORDER BY t.id LIMIT ?`,
      ),
      deleteTimeline: db.prepare('DELETE FROM timeline WHERE id = ?'),
      oldestRaw: db.prepare('SELECT received_at AS at FROM raw_alarms ORDER BY id LIMIT 1'),
      oldestIncident: db.prepare('SELECT opened_at AS at FROM incidents ORDER BY id LIMIT 1'),
      oldestTimeline: db.prepare('SELECT at FROM timeline ORDER BY id LIMIT 1'),
      counts: db.prepare(
        'SELECT (SELECT MAX(rowid) - MIN(rowid) + 1 FROM raw_alarms) AS raw, (SELECT COUNT(*) FROM incidents) AS incidents',
      ),
    };
  }

  /**
   * Raw alarms received before `cutoff`, with their normalized occurrences. One still waiting for
   * triage (or set aside by it) is kept, and so is everything after it.
   */
  pruneRawAlarms(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const head = this.s.headRaw.all(limit) as Array<{ id: number; at: number; waiting: number }>;
    let deleted = 0;
    for (const row of head) {
      if (row.at >= cutoff || row.waiting) return { deleted, more: false };
      this.s.deleteEventsOfRaw.run(row.id);
      this.s.deleteRaw.run(row.id);
      deleted++;
    }
    return { deleted, more: head.length === limit };
  }

  /** Slack deliveries already processed before `cutoff` (unprocessed ones wait for replay). */
  pruneSlackInbound(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const keys = this.s.headInbound.all(cutoff, limit) as Array<{ key: string }>;
    for (const { key } of keys) this.s.deleteInbound.run(key);
    return { deleted: keys.length, more: keys.length === limit };
  }

  /** Jobs that finished before `cutoff`; dead-lettered and pending jobs are never pruned. */
  pruneFinishedJobs(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const ids = this.s.headJobs.all({ cutoff, limit }) as Array<{ id: number }>;
    for (const { id } of ids) this.s.deleteJob.run(id);
    return { deleted: ids.length, more: ids.length === limit };
  }

  /**
   * Incidents resolved before `cutoff`, with their members, timeline and links. An incident that
   * other data still references (a capability's table with a foreign key to it, e.g. SLA evidence
   * kept longer) is left alone, whole: each incident goes in its own savepoint.
   */
  pruneIncidents(cutoff: number, limit: number): { deleted: number; more: boolean; kept: number } {
    const ids = this.s.headIncidents.all(cutoff, limit) as Array<{ id: number }>;
    let deleted = 0;
    for (const { id } of ids) {
      try {
        this.db.transaction(() => {
          this.s.detachEvents.run(id);
          this.s.deleteMembers.run(id);
          this.s.deleteTimelineOf.run(id);
          this.s.deleteLinks.run(id);
          this.s.deleteIncident.run(id);
        })();
        deleted++;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
      }
    }
    // A batch of only still-referenced incidents would come back unchanged: stop there.
    return { deleted, more: ids.length === limit && deleted > 0, kept: ids.length - deleted };
  }

  /**
   * Timeline entries before `cutoff` of resolved incidents (the incident itself may be kept
   * longer). Entries of open incidents stay: `afterId` lets the caller step past them.
   */
  pruneTimeline(
    cutoff: number,
    limit: number,
    afterId = 0,
  ): { deleted: number; more: boolean; lastId: number } {
    const rows = this.s.headTimeline.all(afterId, limit) as Array<{ id: number; at: number; status: string }>;
    let deleted = 0;
    let lastId = afterId;
    for (const row of rows) {
      if (row.at >= cutoff) return { deleted, more: false, lastId };
      lastId = row.id;
      if (row.status !== 'resolved') continue;
      this.s.deleteTimeline.run(row.id);
      deleted++;
    }
    return { deleted, more: rows.length === limit, lastId };
  }

  stats(walBytes: number): StorageStats {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const at = (row: unknown) => (row as { at: number } | undefined)?.at;
    const counts = this.s.counts.get() as { raw: number | null; incidents: number };
    return {
      bytes: pageSize * pages + walBytes,
      freeBytes: pageSize * free,
      oldestRawAlarmAt: at(this.s.oldestRaw.get()),
      oldestIncidentAt: at(this.s.oldestIncident.get()),
      oldestTimelineAt: at(this.s.oldestTimeline.get()),
      rawAlarms: counts.raw ?? 0,
      incidents: counts.incidents,
    };
  }
}
