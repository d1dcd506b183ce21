// SLA response clocks at scale (issue 10), on the real bot (SandboxDriver: HTTP mode, SQLite, the
// durable scheduler, the Web API to the Slack stand-in) and a fake clock:
//
// (a) N open Sev1 clocks (default 10,000; BENCH_SLA_CLOCKS for a quick run) of tenant vega, whose
//     incidents open evenly across one hour, so their reminders (10, 20, 25 min) and breaches
//     (30 min) fall due continuously for 80 minutes. Every incident comes in through the real
//     Slack door: a signed Events API `message` from the VMS integration in vega's alarm channel
//     (one D-node down each; the bench config groups by component id so each opens its own incident).
// (b) kill -9 and restart: N clocks opened within 5 minutes (same door) in a bot running as a child
//     process (bench/sla-clocks/child.ts), SIGKILLed 15 s into their first reminders, while it is
//     sending; fake time jumps 5 minutes and a new bot starts on the same database and the same Slack
//     stand-in (Slack outlives the bot): all but the few already sent have their 10-minute reminder
//     overdue. Measured: restart → the last of them accepted by Slack, and that each went out exactly
//     once across the crash (recorded once, one thread post, one DM).
//
// How lateness is measured in (a), and why it is honest. Fake time moves in steps of STEP_MS (default
// 1 s). Before each step the bench notes the wall-clock instant (performance.now()) and then moves
// fake time; a notice due at instant d became due, in wall-clock terms, at the first step whose
// target reaches d. After each step the bench waits until the bot is idle (nothing running, nothing
// due) before the next, so work never piles up across steps, and everything due in one step (the
// step's reminders, breaches, card updates and new alarms) competes for the same event loop. A
// notice's lateness is then (wall instant its thread post was accepted by the Slack stand-in, or its
// row was recorded) − (wall instant of the step that made it due): the bot's own processing delay.
// Fake time inside a step adds nothing (the notices of a step are due at its target: STEP_MS
// divides every offset). What settling hides — a backlog that would build up if a second of
// work took more than a second — is reported as the wall time per step against the step's fake
// length (the load factor): below 1 the bot keeps up in real time with this load.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { SandboxDriver, sandboxChannels, sandboxUsergroups } from '../sandbox/driver.js';
import { FakeClock } from '../sandbox/fake-clock.js';
import { waitForIdle } from '../sandbox/idle.js';
import { SlackStandIn } from '../sandbox/slack-standin/index.js';
import type { RecordedCall } from '../sandbox/slack-standin/types.js';
import { loadConfigFile } from '../src/config/load.js';
import { percentile } from './alarm-storm/load.js';
import { childEnv, childExecArgv, childPath, newBot, settled, standInUsers } from './bot-process.js';
import type { Benchmark, Row } from './lib.js';
import { readPositiveInt } from './lib.js';
import {
  ALARM_CHANNEL,
  benchConfig,
  dnodeDown,
  MINUTE,
  REMINDER_MINUTES,
  T0,
  TARGET_MINUTES,
  VMS_BOT,
} from './sla-clocks/bot.js';
import type { ChildMessage, ChildSpec } from './sla-clocks/child.js';

const N = readPositiveInt('BENCH_SLA_CLOCKS', 10_000);
const STEP_MS = readPositiveInt('BENCH_SLA_STEP_MS', 1000);
const OPEN_SPREAD_MS = 60 * MINUTE;
/**
 * (b): the clocks open within 5 minutes; the bot is killed 15 s (fake) into their first reminders,
 * 40 ms (wall) into that step's work, and stays down 5 minutes.
 */
const RESTART = { spreadMs: 5 * MINUTE, killAfterFirstDueMs: 15_000, killIntoStepMs: 40, downMs: 5 * MINUTE };
const TARGET = { lateP99Ms: 1000, restartMs: 5000 };

if (60_000 % STEP_MS !== 0) throw new Error(`BENCH_SLA_STEP_MS must divide 60000, got ${STEP_MS}`);

/** The SLA key an outbox post carries (its idempotency key, as message metadata). */
export function postKey(call: RecordedCall): string | undefined {
  if (call.method !== 'chat.postMessage' || !call.ok) return undefined;
  return (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
}

/**
 * Wall-clock instants (performance.now()) of what the bot did: the Slack stand-in's accepted SLA
 * posts (thread post under the notice key, DMs under `<key>:dm:<user>`) and the bot's own "SLA
 * reminder sent" / "SLA breach recorded" log lines, written inside the transaction that records the
 * notice. Duplicates are counted, never overwritten.
 */
export class Observed {
  readonly posted = new Map<string, number>();
  readonly dms = new Map<string, number>();
  readonly recorded = new Map<string, number>();
  duplicatePosts = 0;
  duplicateDms = 0;
  duplicateRecords = 0;
  /** The keys that went out more than once (posts and DMs), to say which. */
  readonly duplicates: string[] = [];

  /** Hooks the stand-in's call log (the array it pushes every answered call onto). */
  watch(calls: RecordedCall[]): void {
    const push = calls.push.bind(calls);
    calls.push = (...items: RecordedCall[]) => {
      const at = performance.now();
      for (const call of items) {
        const key = postKey(call);
        if (!key?.startsWith('sla-')) continue;
        const dm = key.includes(':dm:');
        const into = dm ? this.dms : this.posted;
        if (into.has(key)) {
          if (dm) this.duplicateDms++;
          else this.duplicatePosts++;
          this.duplicates.push(key);
        } else into.set(key, at);
      }
      return push(...items);
    };
  }

  /**
   * A logger that notes the SLA log lines and drops every other info/warn line before it is
   * serialised (the bot's log would cost CPU the bot does not spend silent); errors go to stderr.
   */
  logger(): pino.Logger {
    const observed = this;
    return pino(
      {
        level: 'info',
        hooks: {
          logMethod(args, method, level) {
            if (level >= 50) return method.apply(this, args);
            const [fields, message] = args as unknown[];
            if (message !== 'SLA reminder sent' && message !== 'SLA breach recorded') return;
            const key = (fields as { key?: string }).key as string;
            if (observed.recorded.has(key)) observed.duplicateRecords++;
            else observed.recorded.set(key, performance.now());
          },
        },
      },
      pino.destination(2),
    );
  }
}

interface NoticeRow {
  key: string;
  kind: 'reminder' | 'breach';
  due_at: number;
  notified: string;
}

function noticesIn(dbPath: string): NoticeRow[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT key, kind, due_at, notified FROM sla_notices').all() as NoticeRow[];
  } finally {
    db.close();
  }
}

const round = (v: number, digits = 0) => Number(v.toFixed(digits));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const row = (
  section: string,
  measurement: string,
  value: number | string,
  unit: string,
  target = '',
  result = '',
) => ({ section, measurement, value, unit, target, result }) satisfies Row;

async function continuous(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-sla-'));
  const observed = new Observed();
  const clock = new FakeClock(T0);
  const driver = await SandboxDriver.start({
    mode: 'http',
    configFile: benchConfig(dir),
    dbPath: join(dir, 'opsbot.db'),
    clock,
    logger: observed.logger(),
  });
  observed.watch(driver.slack.calls);
  const idle = () => driver.inspect.idle();
  // Incident i opens at the step nearest i/N of the hour.
  const openAt = (i: number) => T0 + Math.floor((i * OPEN_SPREAD_MS) / N / STEP_MS) * STEP_MS;
  const end = openAt(N - 1) + TARGET_MINUTES * MINUTE + STEP_MS;
  const stepTargets: number[] = [];
  const stepWalls: number[] = [];
  const stepBusy: number[] = [];
  const profiler = await startProfiler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  try {
    for (let at = T0; at <= end; at += STEP_MS) {
      const wall = performance.now();
      stepTargets.push(at);
      stepWalls.push(wall);
      if (at > clock.now()) clock.setTime(at);
      for (; next < N && openAt(next) <= at; next++) {
        const r = await driver.postMessage({
          channel: ALARM_CHANNEL,
          text: dnodeDown(next + 1),
          botId: VMS_BOT,
          username: 'VMS',
        });
        if (r.status !== 200) throw new Error(`the Slack door answered ${r.status}`);
      }
      await waitForIdle(idle, 600_000);
      stepBusy.push(performance.now() - wall);
      // The stand-in keeps every call for tests; the bench has read what it needs (watch()).
      driver.slack.calls.length = 0;
    }
  } finally {
    await profiler?.stop('continuous');
    await driver.stop();
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const notices = noticesIn(join(dir, 'opsbot.db'));
  rmSync(dir, { recursive: true, force: true });

  /** Wall instant at which fake time reached `due`: the first step whose target is ≥ due. */
  const dueWall = (due: number) => {
    let lo = 0;
    let hi = stepTargets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((stepTargets[mid] as number) >= due) hi = mid;
      else lo = mid + 1;
    }
    return stepWalls[lo] as number;
  };
  const late = {
    reminderPost: [] as number[],
    breachPost: [] as number[],
    recorded: [] as number[],
    dm: [] as number[],
  };
  let missing = 0;
  let expectedDms = 0;
  for (const n of notices) {
    const from = dueWall(n.due_at);
    const posted = observed.posted.get(n.key);
    const recorded = observed.recorded.get(n.key);
    if (posted === undefined || recorded === undefined) missing++;
    else {
      (n.kind === 'reminder' ? late.reminderPost : late.breachPost).push(posted - from);
      late.recorded.push(recorded - from);
    }
    for (const r of JSON.parse(n.notified) as Array<{ userId: string }>) {
      expectedDms++;
      const dm = observed.dms.get(`${n.key}:dm:${r.userId}`);
      if (dm !== undefined) late.dm.push(dm - from);
    }
  }
  const reminders = notices.filter((n) => n.kind === 'reminder').length;
  const breaches = notices.length - reminders;
  const expected = { reminders: N * REMINDER_MINUTES.length, breaches: N };
  const exact =
    reminders === expected.reminders &&
    breaches === expected.breaches &&
    observed.posted.size === notices.length &&
    missing === 0 &&
    observed.duplicatePosts + observed.duplicateDms + observed.duplicateRecords === 0 &&
    observed.dms.size === expectedDms;
  const section = `(a) ${N} Sev1 clocks opened over 1 h, fake time in ${STEP_MS} ms steps`;
  const fakeSteps = stepBusy.length;
  const p = (values: number[], q: number) => round(percentile(values, q), 1);
  const rp99 = percentile(late.reminderPost, 99);
  return [
    row(section, 'incidents opened through the Slack door (signed VMS alarm events)', next, 'incidents'),
    row(
      section,
      `reminders sent (expected ${expected.reminders})`,
      reminders,
      'notices',
      '= expected',
      verdict(reminders === expected.reminders),
    ),
    row(
      section,
      `breaches recorded (expected ${expected.breaches})`,
      breaches,
      'notices',
      '= expected',
      verdict(breaches === expected.breaches),
    ),
    row(
      section,
      'thread posts accepted / DMs accepted / duplicates (posts, DMs, records)',
      `${observed.posted.size} / ${observed.dms.size} of ${expectedDms} / ${observed.duplicatePosts}, ${observed.duplicateDms}, ${observed.duplicateRecords}${observed.duplicates.length ? ` (${observed.duplicates.slice(0, 3).join(', ')})` : ''}`,
      '',
      'each once',
      verdict(exact),
    ),
    row(section, 'reminder lateness, thread post accepted: p50', p(late.reminderPost, 50), 'ms'),
    row(
      section,
      'reminder lateness, thread post accepted: p99',
      p(late.reminderPost, 99),
      'ms',
      `≤ ${TARGET.lateP99Ms}`,
      verdict(rp99 <= TARGET.lateP99Ms),
    ),
    row(section, 'reminder lateness, thread post accepted: max', p(late.reminderPost, 100), 'ms'),
    row(
      section,
      'breach lateness, thread post accepted: p50 / p99 / max',
      `${p(late.breachPost, 50)} / ${p(late.breachPost, 99)} / ${p(late.breachPost, 100)}`,
      'ms',
    ),
    row(
      section,
      'notice recorded (tick committed): p50 / p99 / max',
      `${p(late.recorded, 50)} / ${p(late.recorded, 99)} / ${p(late.recorded, 100)}`,
      'ms',
    ),
    row(
      section,
      'DM accepted: p50 / p99 / max',
      `${p(late.dm, 50)} / ${p(late.dm, 99)} / ${p(late.dm, 100)}`,
      'ms',
    ),
    row(
      section,
      `load factor: wall time per ${STEP_MS} ms step of fake time, p50 / p99 / max`,
      `${round(percentile(stepBusy, 50) / STEP_MS, 3)} / ${round(percentile(stepBusy, 99) / STEP_MS, 3)} / ${round(Math.max(...stepBusy) / STEP_MS, 3)}`,
      'x',
      '< 1 (keeps up in real time)',
      verdict(percentile(stepBusy, 99) < STEP_MS),
    ),
    row(
      section,
      `wall time of the run (${fakeSteps} steps, ${round((end - T0) / MINUTE)} fake minutes)`,
      round(wallS),
      's',
    ),
    row(
      section,
      'CPU of the run (user + system, this process: bot and stand-in)',
      round((cpu.user + cpu.system) / 1e6),
      's',
    ),
  ];
}

/** BENCH_SLA_PROFILE=dir: a V8 CPU profile of each measured part (bot and stand-in), for where the time goes. */
async function startProfiler(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const dir = process.env.BENCH_SLA_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `sla-clocks-${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const CHILD = childPath('./sla-clocks/child.ts', import.meta.url);

async function killAndRestart(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-sla-restart-'));
  const configFile = benchConfig(dir);
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const config = loaded.config;
  const dbPath = join(dir, 'opsbot.db');
  // Slack outlives the bot: one stand-in for both processes, on the fake time the bot is at.
  let slackNow = T0;
  const slack = await SlackStandIn.start({
    now: () => slackNow,
    users: standInUsers(config),
    channels: sandboxChannels(config),
    usergroups: sandboxUsergroups(config),
  });
  const observed = new Observed();
  observed.watch(slack.calls);
  const bot = {
    dbPath,
    configFile,
    apiUrl: slack.apiUrl,
    botToken: slack.botToken,
    appToken: slack.appToken,
  };
  const spec: ChildSpec = { ...bot, n: N, t0: T0, spreadMs: RESTART.spreadMs, stepMs: STEP_MS };
  const firstDue = T0 + (REMINDER_MINUTES[0] as number) * MINUTE;
  const killAt = firstDue + RESTART.killAfterFirstDueMs;

  // 1. The first process: N clocks, then SIGKILL in the middle of sending their first reminders.
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: childExecArgv(),
    env: childEnv({ BENCH_SLA_CHILD: JSON.stringify(spec) }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let ready: Extract<ChildMessage, { type: 'ready' }> | undefined;
  let killedAt: number | undefined;
  child.on('message', (m: ChildMessage) => {
    slackNow = Math.max(slackNow, m.at);
    if (m.type === 'ready') {
      ready = m;
      child.send('go');
    } else if (m.type === 'step' && m.at >= killAt && killedAt === undefined) {
      killedAt = m.at;
      // A moment into the step, while its due reminders are being recorded and posted.
      setTimeout(() => child.kill('SIGKILL'), RESTART.killIntoStepMs);
    }
  });
  const how = await exited;
  if (how !== 'SIGKILL' || !ready || killedAt === undefined)
    throw new Error(`the bot process ended with ${how} before it was killed`);
  const before = { posted: observed.posted.size, dms: observed.dms.size, recorded: noticesIn(dbPath).length };

  // 2. Down for RESTART.downMs; then a new bot on the same database and the same Slack.
  const restartAt = killedAt + RESTART.downMs;
  const clock = new FakeClock(restartAt);
  slackNow = restartAt;
  const overdue = N - before.recorded;
  const profiler = await startProfiler();
  const t0 = performance.now();
  const restarted = newBot(bot, config, clock, observed.logger());
  let startedMs = 0;
  let idleMs = 0;
  try {
    await restarted.start();
    startedMs = performance.now() - t0;
    await settled(restarted);
    idleMs = performance.now() - t0;
  } finally {
    await profiler?.stop('restart');
    await restarted.stop();
    await slack.stop();
  }
  const notices = noticesIn(dbPath);
  rmSync(dir, { recursive: true, force: true });

  const firstReminders = notices.filter(
    (n) => n.kind === 'reminder' && n.key.endsWith(`:${REMINDER_MINUTES[0]}`),
  );
  const after = (m: Map<string, number>) => [...m.values()].filter((at) => at >= t0);
  const postedAfter = after(observed.posted);
  const dmsAfter = after(observed.dms);
  const recordedAfter = after(observed.recorded);
  const allOut = postedAfter.length ? Math.max(...postedAfter) - t0 : 0;
  const expectedDms = firstReminders.reduce(
    (sum, n) => sum + (JSON.parse(n.notified) as unknown[]).length,
    0,
  );
  const exact =
    notices.length === N &&
    firstReminders.length === N &&
    observed.posted.size === N &&
    observed.dms.size === expectedDms &&
    observed.duplicatePosts + observed.duplicateDms + observed.duplicateRecords === 0;
  const section = `(b) kill -9 with ${N} clocks, down ${RESTART.downMs / MINUTE} min, restart on the same database`;
  return [
    row(
      section,
      'incidents opened through the Slack door of the first process (signed VMS alarm events)',
      ready.opened,
      'incidents',
    ),
    row(
      section,
      `first process: opening them over ${RESTART.spreadMs / MINUTE} fake minutes took`,
      round(ready.setupMs / 1000, 1),
      's',
    ),
    row(
      section,
      `SIGKILL ${(killedAt - firstDue) / 1000} s (fake) into the first reminders, ${RESTART.killIntoStepMs} ms into that step: recorded / thread posts / DMs out before it`,
      `${before.recorded} / ${before.posted} / ${before.dms}`,
      'notices',
    ),
    row(section, 'reminders overdue at the restart (not recorded before the kill)', overdue, 'notices'),
    row(
      section,
      'restart → bot started (store opened, SLA clocks re-armed, scheduler running)',
      round(startedMs),
      'ms',
    ),
    row(
      section,
      'restart → last overdue reminder recorded',
      round(recordedAfter.length ? Math.max(...recordedAfter) - t0 : 0),
      'ms',
    ),
    row(
      section,
      'restart → every overdue reminder in its thread (last accepted by Slack)',
      round(allOut),
      'ms',
      `≤ ${TARGET.restartMs}`,
      verdict(allOut <= TARGET.restartMs && observed.posted.size === N),
    ),
    row(
      section,
      'restart → every DM accepted / bot idle',
      `${round(dmsAfter.length ? Math.max(...dmsAfter) - t0 : 0)} / ${round(idleMs)}`,
      'ms',
    ),
    row(
      section,
      `10-minute reminders recorded / in threads / DMs (expected ${N} / ${N} / ${expectedDms}); sent after the restart; duplicates (posts, DMs, records)`,
      `${firstReminders.length} / ${observed.posted.size} / ${observed.dms.size}; ${postedAfter.length} posts, ${dmsAfter.length} DMs; ${observed.duplicatePosts}, ${observed.duplicateDms}, ${observed.duplicateRecords}${observed.duplicates.length ? ` (${observed.duplicates.slice(0, 3).join(', ')})` : ''}`,
      '',
      'each exactly once',
      verdict(exact),
    ),
  ];
}

export const slaClocks: Benchmark = {
  name: 'sla-clocks',
  description: `SLA response clocks: ${N} open Sev1 clocks with reminders due continuously (lateness, exactly once), then kill -9 and restart with ${N} overdue reminders`,
  async run() {
    const parts = (process.env.BENCH_SLA_PARTS ?? 'a,b').split(',');
    return [
      ...(parts.includes('a') ? await continuous() : []),
      ...(parts.includes('b') ? await killAndRestart() : []),
    ];
  },
};
