// The long-run bench's alarm mix and how it reads the database file, shared by the parent (the
// report, the file at the end) and the child (the bot under load, the file at steady state).
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { type StormAlert, stormAlert } from '../alarm-storm/payloads.js';

export const DAY_MS = 86_400_000;
export const DAYS = 30;
export const GROUP = 50;
const FLAP_POOL = 200;

/**
 * Request `s` of the run, at `atMs`. Ten kinds in turn: three pairs of (fire 50 new alerts,
 * resolve them), two flap visits of the pool, then a storm burst and its resolves on another
 * tenant's cluster. Returns the webhook tenant and its alerts.
 */
export function request(
  s: number,
  atMs: number,
  flapEpisode: Map<number, number>,
): { tenant: string; alerts: StormAlert[] } {
  const kind = s % 10;
  const block = Math.floor(s / 10);
  const at = (ms: number) => ({ startsAtMs: ms });
  if (kind <= 5) {
    // Pairs: even kinds fire alerts of this block, odd kinds resolve the ones just fired.
    const base = (block * 3 + Math.floor(kind / 2)) * GROUP;
    const firedAt = kind % 2 === 0 ? atMs : atMs - 1;
    return {
      tenant: 'nimbus',
      alerts: Array.from({ length: GROUP }, (_, j) => {
        const a = stormAlert(base + j, { ...at(firedAt), cluster: 'sjc-obj-01' });
        return kind % 2 === 0
          ? a
          : { ...a, status: 'resolved' as const, endsAt: new Date(atMs).toISOString() };
      }),
    };
  }
  if (kind <= 7) {
    // Flaps: 50 of the pool, each toggling on every visit (a new firing episode each time).
    const first = ((block * 2 + (kind - 6)) * GROUP) % FLAP_POOL;
    return {
      tenant: 'nimbus',
      alerts: Array.from({ length: GROUP }, (_, j) => {
        const k = (first + j) % FLAP_POOL;
        const startedAt = flapEpisode.get(k);
        if (startedAt === undefined) {
          flapEpisode.set(k, atMs);
          return stormAlert(1_000_000_000 + k, { startsAtMs: atMs, cluster: 'sjc-gpu-01' });
        }
        flapEpisode.delete(k);
        const a = stormAlert(1_000_000_000 + k, { startsAtMs: startedAt, cluster: 'sjc-gpu-01' });
        return { ...a, status: 'resolved' as const, endsAt: new Date(atMs).toISOString() };
      }),
    };
  }
  // Storms on helix-ai: a burst of distinct nodes, resolved by the next request.
  const cluster = Math.floor(atMs / DAY_MS) % 2 === 0 ? 'lon-obj-01' : 'fra-obj-01';
  const base = 2_000_000_000 + block * GROUP;
  const firedAt = kind === 8 ? atMs : atMs - 1;
  return {
    tenant: 'helix-ai',
    alerts: Array.from({ length: GROUP }, (_, j) => {
      const a = stormAlert(base + j, { startsAtMs: firedAt, cluster });
      return kind === 8 ? a : { ...a, status: 'resolved' as const, endsAt: new Date(atMs).toISOString() };
    }),
  };
}

/** The database file and its WAL, in bytes, as the disk holds them. */
export function databaseBytes(dbPath: string): number {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return size(dbPath) + size(`${dbPath}-wal`);
}

// What the file holds, by how long it is kept: raw alarms go after the run's raw retention;
// incidents with their member alarms and timelines stay at least 400 days (yearly audits), so
// they are expected to grow through a 30-day run; pages freed by pruning are reused.
const RAW_TABLES = new Set(['raw_alarms', 'alarm_events', 'triage_pending']);
const AUDIT_TABLES = new Set(['incidents', 'incident_alarms', 'timeline', 'incident_links']);
export interface BytesByKind {
  raw: number;
  audit: number;
  other: number;
  free: number;
}
export function bytesByKind(db: Database.Database): BytesByKind {
  const rows = db
    .prepare(
      'SELECT s.tbl_name AS tbl, SUM(d.pgsize) AS bytes FROM dbstat d JOIN sqlite_schema s ON s.name = d.name GROUP BY s.tbl_name',
    )
    .all() as Array<{ tbl: string; bytes: number }>;
  const out: BytesByKind = { raw: 0, audit: 0, other: 0, free: 0 };
  for (const { tbl, bytes } of rows) {
    if (RAW_TABLES.has(tbl)) out.raw += bytes;
    else if (AUDIT_TABLES.has(tbl)) out.audit += bytes;
    else out.other += bytes;
  }
  out.free =
    (db.pragma('freelist_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number);
  return out;
}
