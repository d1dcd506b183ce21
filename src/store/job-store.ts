import { z } from 'zod';
import type { Db } from './db.js';

export const JobStatus = z.enum(['pending', 'running', 'done', 'dead']);
export type JobStatus = z.infer<typeof JobStatus>;

const JobRow = z.object({
  id: z.number(),
  kind: z.string(),
  payload: z.string(),
  idempotency_key: z.string(),
  lane: z.string().nullable(),
  run_at: z.number(),
  status: JobStatus,
  attempts: z.number(),
  max_attempts: z.number(),
  last_error: z.string().nullable(),
  result: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});

export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  key: string;
  lane: string | null;
  runAt: number;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
}

type JobRowShape = z.output<typeof JobRow>;
const JOB_TEXT = ['kind', 'payload', 'idempotency_key'] as const;
const JOB_NUMBERS = ['id', 'run_at', 'attempts', 'max_attempts', 'created_at', 'updated_at'] as const;
const JOB_NULLABLE_TEXT = ['lane', 'last_error', 'result'] as const;
const JOB_STATUSES: ReadonlySet<unknown> = new Set(JobStatus.options);

/**
 * JobRow's check by hand: every enqueue reads its row back, and zod's parse cost more than the
 * insert. A row that fails it goes through zod, which throws naming the wrong field.
 */
function isJobRow(row: unknown): row is JobRowShape {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Record<string, unknown>;
  for (const k of JOB_TEXT) if (typeof r[k] !== 'string') return false;
  for (const k of JOB_NUMBERS) if (typeof r[k] !== 'number') return false;
  for (const k of JOB_NULLABLE_TEXT) if (r[k] !== null && typeof r[k] !== 'string') return false;
  return JOB_STATUSES.has(r.status);
}

const byRunAtThenId = (a: unknown, b: unknown) => {
  const x = a as { run_at: number; id: number };
  const y = b as { run_at: number; id: number };
  return x.run_at - y.run_at || x.id - y.id;
};

function toJob(row: unknown): Job {
  const r = isJobRow(row) ? row : JobRow.parse(row);
  return {
    id: r.id,
    kind: r.kind,
    payload: JSON.parse(r.payload),
    key: r.idempotency_key,
    lane: r.lane,
    runAt: r.run_at,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    result: r.result === null ? null : JSON.parse(r.result),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewJob {
  kind: string;
  payload: unknown;
  key: string;
  lane?: string | null;
  runAt: number;
  maxAttempts: number;
}

// A job is eligible only when no earlier job of its lane is running, due, or backing off after
// a failure, so a lane drains strictly in order even while its head waits out a 429. An earlier
// job merely scheduled for later (a reminder, a coalesced card update) does not hold the lane.
// So each lane has at most one eligible job: its first active job (by id) that is running, due or
// failed — its "blocker" — when that one is pending and due. The queries below enumerate the lanes
// with active jobs (one index seek each, via jobs_active_lane) and look at each lane's blocker,
// instead of testing every pending job against its lane: a backlog of 50,000 jobs behind one
// running job costs one seek per tick, not 50,000 sub-queries.
const ACTIVE_LANES = `lanes(lane) AS (
    SELECT MIN(lane) FROM jobs INDEXED BY jobs_active_lane WHERE lane IS NOT NULL AND status IN ('pending', 'running')
    UNION ALL
    SELECT (SELECT MIN(n.lane) FROM jobs n INDEXED BY jobs_active_lane WHERE n.lane > lanes.lane AND n.status IN ('pending', 'running'))
    FROM lanes WHERE lanes.lane IS NOT NULL)`;
const BLOCKER = `(SELECT b.id FROM jobs b INDEXED BY jobs_active_lane WHERE b.lane = lanes.lane AND b.status IN ('pending', 'running')
      AND (b.status = 'running' OR b.last_error IS NOT NULL OR b.run_at <= @now) ORDER BY b.id LIMIT 1)`;

export class JobStore {
  private readonly insert;
  private readonly byKey;
  private readonly byId;
  private readonly dueInLanes;
  private readonly dueUnlaned;
  /** Where the last lane window ended: the next one starts after it (round robin over lanes). */
  private laneCursor = '';
  private readonly nextRunAt;
  private readonly claim;
  private readonly finish;
  private readonly reschedule;
  private readonly bury;
  private readonly requeueRunning;
  private readonly revive;
  private readonly list;
  private readonly rewrite;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO jobs (kind, payload, idempotency_key, lane, run_at, max_attempts, created_at, updated_at)
       VALUES (@kind, @payload, @key, @lane, @runAt, @maxAttempts, @now, @now)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
    );
    this.byKey = db.prepare('SELECT * FROM jobs WHERE idempotency_key = ?');
    this.byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
    // A window of up to @scan active lanes after @after, in lane order, each with its eligible job
    // (or none): one index seek per lane, however long the backlog behind it.
    this.dueInLanes = db.prepare(
      `WITH RECURSIVE lanes(lane, n) AS (
         SELECT (SELECT MIN(f.lane) FROM jobs f INDEXED BY jobs_active_lane WHERE f.lane > @after AND f.status IN ('pending', 'running')), 1
         UNION ALL
         SELECT (SELECT MIN(x.lane) FROM jobs x INDEXED BY jobs_active_lane WHERE x.lane > lanes.lane AND x.status IN ('pending', 'running')), n + 1
         FROM lanes WHERE lanes.lane IS NOT NULL AND n < @scan)
       SELECT h.scanned, j.* FROM (SELECT lanes.lane AS scanned, ${BLOCKER} AS head FROM lanes WHERE lanes.lane IS NOT NULL) h
       LEFT JOIN jobs j ON j.id = h.head AND j.status = 'pending' AND j.run_at <= @now`,
    );
    this.dueUnlaned = db.prepare(
      `SELECT * FROM jobs INDEXED BY jobs_due_unlaned WHERE status = 'pending' AND lane IS NULL AND run_at <= @now
       ORDER BY run_at, id LIMIT @limit`,
    );
    // The earliest a pending job becomes eligible: outside lanes, the earliest run_at; in a lane,
    // the earliest of its pending jobs up to and including the blocker (later ones wait for it).
    this.nextRunAt = db.prepare(
      `WITH RECURSIVE ${ACTIVE_LANES}
       SELECT MIN(at) AS at FROM (
         SELECT MIN(run_at) AS at FROM jobs INDEXED BY jobs_due_unlaned WHERE status = 'pending' AND lane IS NULL
         UNION ALL
         SELECT (SELECT MIN(p.run_at) FROM jobs p INDEXED BY jobs_active_lane WHERE p.lane = lanes.lane AND p.status IN ('pending', 'running')
                   AND p.status = 'pending' AND p.id <= COALESCE(${BLOCKER}, 9223372036854775807))
         FROM lanes WHERE lanes.lane IS NOT NULL)`,
    );
    this.claim = db.prepare(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND status = 'pending'`,
    );
    this.finish = db.prepare(
      `UPDATE jobs SET status = 'done', result = ?, last_error = NULL, updated_at = ? WHERE id = ?`,
    );
    this.reschedule = db.prepare(
      `UPDATE jobs SET status = 'pending', run_at = ?, last_error = ?, updated_at = ?,
         attempts = attempts - ? WHERE id = ?`,
    );
    this.bury = db.prepare(`UPDATE jobs SET status = 'dead', last_error = ?, updated_at = ? WHERE id = ?`);
    this.requeueRunning = db.prepare(
      `UPDATE jobs SET status = 'pending', updated_at = ? WHERE status = 'running'`,
    );
    this.revive = db.prepare(
      `UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND status = 'dead'`,
    );
    this.rewrite = db.prepare(
      `UPDATE jobs SET payload = ?, updated_at = ? WHERE id = ? AND status = 'running'`,
    );
    this.list = db.prepare(
      `SELECT * FROM jobs WHERE status IN (SELECT value FROM json_each(?)) ORDER BY run_at, id LIMIT ?`,
    );
  }

  /** Inserts the job unless its idempotency key exists; returns the stored job and whether it is new. */
  enqueue(job: NewJob, now: number): { job: Job; created: boolean } {
    // RETURNING hands back the new row; only a key that already existed needs the second read.
    const inserted = this.enqueueRow(job, now);
    if (inserted !== undefined) return { job: toJob(inserted), created: true };
    return { job: toJob(this.byKey.get(job.key)), created: false };
  }

  /** The new row, or undefined when the key already existed. */
  private enqueueRow(job: NewJob, now: number): unknown {
    return this.insert.get({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      key: job.key,
      lane: job.lane ?? null,
      runAt: job.runAt,
      maxAttempts: job.maxAttempts,
      now,
    });
  }

  /** `enqueue` for a caller that needs no job back: an existing key costs no second read. */
  enqueueIfAbsent(job: NewJob, now: number): boolean {
    return this.enqueueRow(job, now) !== undefined;
  }

  get(id: number): Job | undefined {
    const row = this.byId.get(id);
    return row ? toJob(row) : undefined;
  }

  getByKey(key: string): Job | undefined {
    const row = this.byKey.get(key);
    return row ? toJob(row) : undefined;
  }

  dueJobs(now: number, limit: number): Job[] {
    const unlaned = this.dueUnlaned.all({ now, limit });
    const laned = this.dueLaneHeads(now, limit);
    const rows = laned.length === 0 ? unlaned : [...unlaned, ...laned].sort(byRunAtThenId).slice(0, limit);
    return rows.map(toJob);
  }

  /**
   * Up to `limit` eligible lane heads, taking lanes round robin from where the last call stopped:
   * the cost is the lanes looked at, not every active lane, so a tick stays as cheap with 500
   * busy lanes as with one. A full circle is made only when fewer due heads exist than asked for.
   */
  private dueLaneHeads(now: number, limit: number): Array<{ run_at: number; id: number }> {
    const found: Array<{ run_at: number; id: number }> = [];
    const scan = limit + 8;
    const start = this.laneCursor;
    let after = start;
    let wrapped = false;
    for (;;) {
      const window = this.dueInLanes.all({ now, after, scan }) as Array<{
        scanned: string;
        id: number | null;
      }>;
      for (const row of window) {
        // Back where this call began: every active lane has been looked at once.
        if (wrapped && row.scanned > start) return found;
        after = row.scanned;
        if (row.id === null) continue;
        found.push(row as unknown as { run_at: number; id: number });
        if (found.length === limit) {
          this.laneCursor = after;
          return found;
        }
      }
      if (window.length < scan) {
        // The last lane: go on from the first, once.
        if (wrapped || start === '') {
          this.laneCursor = '';
          return found;
        }
        wrapped = true;
        after = '';
      }
    }
  }

  earliestRunAt(now: number): number | undefined {
    const row = this.nextRunAt.get({ now }) as { at: number | null };
    return row.at ?? undefined;
  }

  /** Marks a pending job running; false if someone else took it. */
  markRunning(id: number, now: number): boolean {
    return this.claim.run(now, id).changes === 1;
  }

  markDone(id: number, result: unknown, now: number): void {
    this.finish.run(result === undefined ? null : JSON.stringify(result), now, id);
  }

  /** A running job's progress: the payload its next attempt will start from. */
  savePayload(id: number, payload: unknown, now: number): void {
    this.rewrite.run(JSON.stringify(payload ?? null), now, id);
  }

  /** Puts a failed job back to pending; `refundAttempt` when the failure was only flow control (429). */
  retryAt(id: number, runAt: number, error: string, now: number, refundAttempt = false): void {
    this.reschedule.run(runAt, error, now, refundAttempt ? 1 : 0, id);
  }

  markDead(id: number, error: string, now: number): void {
    this.bury.run(error, now, id);
  }

  /** After a crash, jobs left 'running' never finished: run them again. */
  requeueInterrupted(now: number): number {
    return this.requeueRunning.run(now).changes;
  }

  /** Re-queues a dead job from scratch (operator action). */
  retryDead(id: number, now: number): boolean {
    return this.revive.run(now, now, id).changes === 1;
  }

  byStatus(statuses: JobStatus[], limit = 50): Job[] {
    return this.list.all(JSON.stringify(statuses), limit).map(toJob);
  }

  countByStatus(): Record<JobStatus, number> {
    const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
    for (const row of this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all()) {
      const { status, n } = row as { status: JobStatus; n: number };
      counts[status] = n;
    }
    return counts;
  }
}
