// Months of alarms in minutes: N Alertmanager alerts (default 1,000,000; BENCH_LONG_ALARMS=50000
// for a quick run) over 30 simulated days on a fake clock, through the real bot's webhook door in
// 50-alert groups, with retention pruning as it runs in production (the recurring job). The mix:
// resolved pairs (fire, then resolve), flaps (a fixed pool toggling), and storms (a burst of
// distinct nodes on one cluster, then their resolves). Raw alarms are kept BENCH_RETENTION_DAYS
// (default 7) so the run reaches steady state well inside the 30 days. Reports: RSS at the end
// against RSS after the first 10,000 alarms, database MB per day at steady state, intake p99 of
// requests that overlapped a prune against those that did not, and start-to-ready on the full file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { SandboxDriver, WEBHOOK_TOKENS } from '../sandbox/driver.js';
import { FakeClock } from '../sandbox/fake-clock.js';
import { waitForIdle } from '../sandbox/idle.js';
import { percentile } from './alarm-storm/load.js';
import { alertmanagerWebhookBody, type StormAlert, stormAlert } from './alarm-storm/payloads.js';
import type { Benchmark, Row } from './lib.js';
import { readPositiveInt } from './lib.js';

const DAY_MS = 86_400_000;
const DAYS = 30;
const GROUP = 50;
const IN_FLIGHT = 4;
const TOTAL = readPositiveInt('BENCH_LONG_ALARMS', 1_000_000);
const RETENTION_DAYS = readPositiveInt('BENCH_RETENTION_DAYS', 7);
const FLAP_POOL = 200;

// RSS is compared after a full GC each time, so it shows what is retained, not when V8 collects.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledRss = () => {
  gc();
  return process.memoryUsage().rss;
};

const TARGET = { rssRatio: 1.2, pruneP99Ratio: 1.5, readyMs: 2000 };

/**
 * Request `s` of the run, at `atMs`. Ten kinds in turn: three pairs of (fire 50 new alerts,
 * resolve them), two flap visits of the pool, then a storm burst and its resolves on another
 * tenant's cluster. Returns the webhook tenant and its alerts.
 */
function request(
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

const fileBytes = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

// What the file holds, by how long it is kept: raw alarms go after the run's raw retention;
// incidents with their member alarms and timelines stay at least 400 days (yearly audits), so
// they are expected to grow through a 30-day run; pages freed by pruning are reused.
const RAW_TABLES = new Set(['raw_alarms', 'alarm_events', 'triage_pending']);
const AUDIT_TABLES = new Set(['incidents', 'incident_alarms', 'timeline', 'incident_links']);
interface BytesByKind {
  raw: number;
  audit: number;
  other: number;
  free: number;
}
function bytesByKind(db: Database.Database): BytesByKind {
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

async function run(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-long-'));
  const dbPath = join(dir, 'opsbot.db');
  const configFile = join(dir, 'opsbot.yaml');
  writeFileSync(
    configFile,
    // The sandbox config with this run's retention section in place of its own.
    `${readFileSync('config/sandbox.yaml', 'utf8').split(/^retention:/m)[0]}\nretention:\n  rawAlarms: ${RETENTION_DAYS}\n  pruneEvery: 6h\n${process.env.BENCH_PRUNE_BATCH ? `  batchSize: ${process.env.BENCH_PRUNE_BATCH}\n` : ''}`,
  );
  const clock = new FakeClock('2026-01-05T00:00:00Z');
  const start = clock.now();
  const requests = Math.ceil(TOTAL / GROUP);
  const stepMs = (DAYS * DAY_MS) / requests;
  const dbBytes = () => fileBytes(dbPath) + fileBytes(`${dbPath}-wal`);
  const sizeByDay: number[] = [];
  const latency = { pruning: [] as number[], quiet: [] as number[] };
  const steadyFrom = Math.min(RETENTION_DAYS + 2, DAYS - 2);
  let atSteady: BytesByKind | undefined;
  let rssAfter10k = 0;
  let memAfter10k: NodeJS.MemoryUsage | undefined;
  // The Slack stand-in runs in this process and keeps every message the bot posted (it answers
  // conversations.history and chat.update from them): harness memory, counted here to tell apart.
  const standInHeld = () => {
    const messages = driver.slack.messages();
    let bytes = 0;
    for (const m of messages) bytes += JSON.stringify(m).length * 2;
    return { count: messages.length, bytes };
  };
  let standInAfter10k = { count: 0, bytes: 0 };
  let stored = 0;
  const flapEpisode = new Map<number, number>();

  const driver = await SandboxDriver.start({ mode: 'http', dbPath, configFile, clock });
  // A second, read-only connection to see whether the retention job is running right now.
  const peek = new Database(dbPath, { readonly: true });
  const pruneRunning = peek.prepare(
    "SELECT 1 FROM jobs WHERE kind = 'platform.retention' AND status = 'running' LIMIT 1",
  );
  const t0 = performance.now();
  try {
    for (let s = 0; s < requests; s += IN_FLIGHT) {
      const atMs = start + s * stepMs;
      clock.setTime(Math.max(clock.now(), Math.floor(atMs)));
      const wave = Array.from({ length: Math.min(IN_FLIGHT, requests - s) }, (_, i) =>
        request(s + i, Math.floor(atMs + i), flapEpisode),
      );
      const pruningBefore = pruneRunning.get() !== undefined;
      const timings = await Promise.all(
        wave.map(async ({ tenant, alerts }) => {
          const body = alertmanagerWebhookBody(alerts);
          const began = performance.now();
          const response = await fetch(`${driver.baseUrl}/webhooks/alertmanager/${tenant}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${WEBHOOK_TOKENS[tenant]}`,
            },
            body,
          });
          await response.text();
          if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
          return performance.now() - began;
        }),
      );
      const pruning = pruningBefore || pruneRunning.get() !== undefined;
      (pruning ? latency.pruning : latency.quiet).push(...timings);
      stored += wave.length * GROUP;
      if (rssAfter10k === 0 && stored >= 10_000) {
        rssAfter10k = settledRss();
        memAfter10k = process.memoryUsage();
        standInAfter10k = standInHeld();
      }
      const day = Math.floor((clock.now() - start) / DAY_MS);
      if (sizeByDay.length <= day) {
        sizeByDay.push(dbBytes());
        if (day === steadyFrom) atSteady = bytesByKind(peek);
        // The Slack stand-in records every call for tests; a month of cards is not the bot's memory.
        driver.slack.calls.length = 0;
      }
    }
  } finally {
    peek.close();
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  const rssEnd = settledRss();
  const memEnd = process.memoryUsage();
  const standInEnd = standInHeld();
  // The end of the 30 days: whatever cards, auto-resolves and prunes are due run to completion.
  const settleT0 = performance.now();
  clock.setTime(start + DAYS * DAY_MS);
  await waitForIdle(() => driver.inspect.idle(), 600_000);
  const settleMs = performance.now() - settleT0;
  const rawKept = driver.inspect.alarms.rawCount();
  await driver.stop();
  sizeByDay.push(dbBytes());
  const atEnd = (() => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return bytesByKind(db);
    } finally {
      db.close();
    }
  })();

  // Start-to-ready on the full database: a new process state (bot, stand-in) on the same file.
  const readyT0 = performance.now();
  const again = await SandboxDriver.start({
    mode: 'http',
    dbPath,
    configFile,
    clock: new FakeClock(clock.now()),
  });
  for (;;) {
    const r = await fetch(`${again.baseUrl}/readyz`);
    await r.text();
    if (r.status === 200) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  const readyMs = performance.now() - readyT0;
  await again.stop();
  const finalBytes = dbBytes();
  rmSync(dir, { recursive: true, force: true });

  const mb = (b: number) => Number((b / 1_048_576).toFixed(1));
  const steadyDays = sizeByDay.length - 1 - steadyFrom;
  const steady = atSteady ?? atEnd;
  const rawRatio = atEnd.raw / steady.raw;
  const auditPerDay = steadyDays > 0 ? (atEnd.audit - steady.audit) / steadyDays : Number.NaN;
  // The file once every class is at its own retention: raw alarms as held now (7 days here, 30 by
  // default in production), the audit data at this run's daily rate for 400 days.
  const rawPerRetainedDay = atEnd.raw / RETENTION_DAYS;
  const growthPerDay =
    steadyDays > 0
      ? ((sizeByDay.at(-1) as number) - (sizeByDay[steadyFrom] as number)) / steadyDays
      : Number.NaN;
  const retainedPerDay =
    (sizeByDay[Math.min(RETENTION_DAYS, sizeByDay.length - 1)] as number) / RETENTION_DAYS;
  const rssRatio = rssEnd / rssAfter10k;
  const p99Quiet = percentile(latency.quiet, 99);
  const p99Pruning = latency.pruning.length ? percentile(latency.pruning, 99) : Number.NaN;
  const section = `${TOTAL} alerts / ${DAYS} simulated days, raw kept ${RETENTION_DAYS} days`;
  const ok = (b: boolean) => (b ? 'PASS' : 'MISS');
  const r = (measurement: string, value: number | string, unit: string, target = '', result = ''): Row => ({
    section,
    measurement,
    value,
    unit,
    target,
    result,
  });
  return [
    r('alerts stored (50 per webhook, 4 in flight)', stored, 'alerts'),
    r('wall time of the run', Number(ingestSeconds.toFixed(0)), 's'),
    r('then running the jobs due at day 30 (cards, auto-resolves, prune)', Number(settleMs.toFixed(0)), 'ms'),
    r('RSS after the first 10,000 alerts (after a full GC)', mb(rssAfter10k), 'MB'),
    r('RSS after the run (after a full GC)', mb(rssEnd), 'MB'),
    r(
      'JS heap used / committed / external after 10,000 → after the run',
      `${mb(memAfter10k?.heapUsed ?? 0)} / ${mb(memAfter10k?.heapTotal ?? 0)} / ${mb(memAfter10k?.external ?? 0)} → ${mb(memEnd.heapUsed)} / ${mb(memEnd.heapTotal)} / ${mb(memEnd.external)}`,
      'MB',
    ),
    r(
      'Slack stand-in (in this process): messages it holds, after 10,000 → after the run',
      `${standInAfter10k.count} → ${standInEnd.count}`,
      'messages',
      '',
      `≈ ${mb(standInAfter10k.bytes)} → ${mb(standInEnd.bytes)} MB of JS strings`,
    ),
    r(
      'RSS after ÷ after 10,000',
      Number(rssRatio.toFixed(2)),
      'x',
      `≤ ${TARGET.rssRatio}`,
      ok(rssRatio <= TARGET.rssRatio),
    ),
    r(
      `database after day 1 / ${RETENTION_DAYS} / ${steadyFrom} / 30`,
      `${mb(sizeByDay[1] ?? 0)} / ${mb(sizeByDay[RETENTION_DAYS] ?? 0)} / ${mb(sizeByDay[steadyFrom] ?? 0)} / ${mb(finalBytes)}`,
      'MB',
    ),
    r('database held per day of raw retention', mb(retainedPerDay), 'MB/day'),
    r(`database growth per day, days ${steadyFrom}–30 (file)`, mb(growthPerDay), 'MB/day'),
    r(
      `raw alarms (kept ${RETENTION_DAYS} days) at day 30 ÷ at day ${steadyFrom}`,
      Number(rawRatio.toFixed(2)),
      'x',
      '≤ 1.1 (bounded by retention)',
      ok(rawRatio <= 1.1),
    ),
    r(`raw alarms at day ${steadyFrom} / 30`, `${mb(steady.raw)} / ${mb(atEnd.raw)}`, 'MB'),
    r(
      `incidents, their alarms and timelines (kept 400 days): growth, days ${steadyFrom}–30`,
      mb(auditPerDay),
      'MB/day',
      '',
      `${mb(steady.audit)} → ${mb(atEnd.audit)} MB`,
    ),
    r('jobs, deliveries and the rest at day 30 / free pages', `${mb(atEnd.other)} / ${mb(atEnd.free)}`, 'MB'),
    r(
      'projected steady state: raw 30 days + audit 400 days at this rate',
      mb(rawPerRetainedDay * 30 + auditPerDay * 400 + atEnd.other),
      'MB',
    ),
    r('raw alarms kept at the end', rawKept, 'rows'),
    r(
      'intake p99 (50-alert request), no prune running',
      Number(p99Quiet.toFixed(2)),
      'ms',
      '',
      `${latency.quiet.length} requests`,
    ),
    r(
      'intake p99 (50-alert request), while a prune ran',
      Number(p99Pruning.toFixed(2)),
      'ms',
      '',
      `${latency.pruning.length} requests`,
    ),
    r(
      'p99 while pruning ÷ without',
      Number((p99Pruning / p99Quiet).toFixed(2)),
      'x',
      `≤ ${TARGET.pruneP99Ratio}`,
      ok(p99Pruning / p99Quiet <= TARGET.pruneP99Ratio),
    ),
    r(
      'start-to-ready on the full database',
      Number(readyMs.toFixed(0)),
      'ms',
      `≤ ${TARGET.readyMs}`,
      ok(readyMs <= TARGET.readyMs),
    ),
  ];
}

export const longRun: Benchmark = {
  name: 'long-run',
  description: `Scale over time: ${TOTAL} Alertmanager alerts over ${DAYS} simulated days (fake clock; pairs, flaps, storms) through the real webhook door with retention pruning.`,
  run,
};
