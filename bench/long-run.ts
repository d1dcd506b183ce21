// Months of alarms in minutes: N Alertmanager alerts (default 1,000,000; BENCH_LONG_ALARMS=50000
// for a quick run) over 30 simulated days on a fake clock, through the real bot's webhook door in
// 50-alert groups, with retention pruning as it runs in production (the recurring job). The mix
// (bench/long-run/mix.ts): resolved pairs, flaps (a fixed pool toggling), and storms (a burst of
// distinct nodes on one cluster, then their resolves). Raw alarms are kept BENCH_RETENTION_DAYS
// (default 7) so the run reaches steady state well inside the 30 days. The bot runs in a child
// process (bench/long-run/child.ts) with the Slack stand-in here, so the RSS it reports is the
// bot's own. Reports: RSS at the end against RSS after the first 10,000 alarms, database MB per
// day at steady state, intake p99 of requests that overlapped a prune against those that did not,
// and start-to-ready on the full file.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SandboxDriver, sandboxChannels, sandboxUsergroups } from '../sandbox/driver.js';
import { FakeClock } from '../sandbox/fake-clock.js';
import { SlackStandIn } from '../sandbox/slack-standin/index.js';
import { loadConfigFile } from '../src/config/load.js';
import { childEnv, childExecArgv, childPath, standInUsers } from './bot-process.js';
import type { Benchmark, Row } from './lib.js';
import { readPositiveInt } from './lib.js';
import type { LongRunMessage, LongRunResult, LongRunSpec, MemoryReading } from './long-run/child.js';
import { bytesByKind, DAY_MS, DAYS, databaseBytes } from './long-run/mix.js';

const IN_FLIGHT = 4;
const TOTAL = readPositiveInt('BENCH_LONG_ALARMS', 1_000_000);
const RETENTION_DAYS = readPositiveInt('BENCH_RETENTION_DAYS', 7);
const CHILD = childPath('./long-run/child.ts', import.meta.url);

const TARGET = { rssRatio: 1.2, pruneP99Ratio: 1.5, readyMs: 2000 };

/** Forks the bot's process on `spec` and answers its Slack calls until it reports. */
async function runChild(spec: LongRunSpec, slack: SlackStandIn, setSlackNow: (at: number) => void) {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: childExecArgv(),
    env: childEnv({ BENCH_LONG_CHILD: JSON.stringify(spec) }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result: LongRunResult | undefined;
  let day = -1;
  child.on('message', (m: LongRunMessage) => {
    if (m.type === 'result') {
      result = m.result;
      return;
    }
    setSlackNow(m.at);
    const today = Math.floor((m.at - spec.startMs) / DAY_MS);
    // The stand-in records every call for tests; a month of them is nobody's memory worth keeping.
    if (today !== day) slack.calls.length = 0;
    day = today;
  });
  const exit = await new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  if (exit !== 0 || result === undefined) throw new Error(`the long-run bot exited with ${exit}`);
  return result;
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
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const startMs = Date.parse('2026-01-05T00:00:00Z');
  const steadyFrom = Math.min(RETENTION_DAYS + 2, DAYS - 2);
  // Slack, here: it keeps every message the bot posts for the month, as the real one does.
  let slackNow = startMs;
  const slack = await SlackStandIn.start({
    now: () => slackNow,
    users: standInUsers(loaded.config),
    channels: sandboxChannels(loaded.config),
    usergroups: sandboxUsergroups(loaded.config),
  });
  let child: LongRunResult;
  let slackMessages: number;
  try {
    child = await runChild(
      {
        dbPath,
        configFile,
        apiUrl: slack.apiUrl,
        botToken: slack.botToken,
        appToken: slack.appToken,
        total: TOTAL,
        startMs,
        inFlight: IN_FLIGHT,
        steadyFrom,
      },
      slack,
      (at) => {
        slackNow = at;
      },
    );
    slackMessages = slack.messages().length;
  } finally {
    await slack.stop();
  }
  const { sizeByDay, stored } = child;
  sizeByDay.push(databaseBytes(dbPath));
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
    clock: new FakeClock(startMs + DAYS * DAY_MS),
  });
  for (;;) {
    const r = await fetch(`${again.baseUrl}/readyz`);
    await r.text();
    if (r.status === 200) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  const readyMs = performance.now() - readyT0;
  await again.stop();
  const finalBytes = databaseBytes(dbPath);
  rmSync(dir, { recursive: true, force: true });

  const mb = (b: number) => Number((b / 1_048_576).toFixed(1));
  const steadyDays = sizeByDay.length - 1 - steadyFrom;
  const steady = child.atSteady ?? atEnd;
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
  const { after10k, end, p99Quiet, p99Pruning } = child;
  const rssRatio = end.rss / after10k.rss;
  const memory = (m: MemoryReading) =>
    `${mb(m.anonymous)} + ${mb(m.file)} (heap ${mb(m.heapUsed)} used / ${mb(m.heapTotal)} committed, external ${mb(m.external)})`;
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
    r('wall time of the run', Number(child.ingestSeconds.toFixed(0)), 's'),
    r(
      'then running the jobs due at day 30 (cards, auto-resolves, prune)',
      Number(child.settleMs.toFixed(0)),
      'ms',
    ),
    r('bot process RSS after the first 10,000 alerts (after a full GC)', mb(after10k.rss), 'MB'),
    r('bot process RSS after the run (after a full GC)', mb(end.rss), 'MB'),
    r('of it anonymous + file-backed, after 10,000', memory(after10k), 'MB'),
    r('of it anonymous + file-backed, after the run', memory(end), 'MB'),
    r('Slack stand-in (in the parent process): messages it holds at the end', slackMessages, 'messages'),
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
    r('raw alarms kept at the end', child.rawKept, 'rows'),
    r(
      'intake p99 (50-alert request), no prune running',
      Number(p99Quiet.toFixed(2)),
      'ms',
      '',
      `${child.quietRequests} requests`,
    ),
    r(
      'intake p99 (50-alert request), while a prune ran',
      Number(p99Pruning.toFixed(2)),
      'ms',
      '',
      `${child.pruningRequests} requests`,
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
