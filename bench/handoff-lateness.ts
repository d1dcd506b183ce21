// Handoff lateness: from a shift boundary instant to the moment the Slack stand-in accepts that
// handoff's post, for 50 follow-the-sun schedules handing over at the same instants (APJ → EMEA
// → US, two weekdays: 300 handoffs), with the bot restarted once mid-run — down for ten minutes
// across one boundary, whose 50 handoffs are reported apart (they are late by the downtime and
// must each be posted once). The run is the real bot (SandboxDriver: HTTP mode, SQLite, the
// durable scheduler, the Web API to the stand-in) on a clock that jumps to each timer and then
// runs at wall-clock speed, so the figures include the real processing time. Reference in the
// same run: one chat.postMessage straight to the stand-in (the floor of any post).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { parse, stringify } from 'yaml';
import { SandboxDriver } from '../sandbox/driver.js';
import { FakeClock } from '../sandbox/fake-clock.js';
import type { TimerHandle } from '../src/domain/clock.js';
import { percentile } from './alarm-storm/load.js';
import type { Benchmark, Row } from './lib.js';

const SCHEDULES = 50;
const START = '2026-12-01T23:00:00Z'; // Tuesday 15:00 in Los Angeles
const END = Date.parse('2026-12-03T23:00:00Z');
const RESTART_AT = Date.parse('2026-12-02T23:55:00Z'); // stop before Thursday 00:00 UTC (APJ) …
const BACK_AT = Date.parse('2026-12-03T00:05:00Z'); // … and come back ten minutes later
const TARGET_P99_MS = 1000;

/** A fake clock that jumps to each timer and then runs at wall-clock speed until the next jump. */
class JumpingClock extends FakeClock {
  private base: number;
  private wall = performance.now();
  private pending: Array<{ id: number; at: number; fn: () => void }> = [];
  private ids = 1;

  constructor(start: string) {
    super(start);
    this.base = Date.parse(start);
  }

  override now(): number {
    return Math.floor(this.base + (performance.now() - this.wall));
  }

  override setTimer(at: number, fn: () => void): TimerHandle {
    const timer = { id: this.ids++, at, fn };
    this.pending.push(timer);
    return { cancel: () => this.drop(timer.id) };
  }

  override setTime(target: number | Date | string): void {
    const t = typeof target === 'number' ? target : new Date(target).getTime();
    if (t > this.now()) {
      this.base = t;
      this.wall = performance.now();
    }
    for (;;) {
      const due = this.pending
        .filter((x) => x.at <= this.now())
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.drop(due.id);
      due.fn();
    }
  }

  override nextTimerAt(): number | undefined {
    return this.pending.reduce<number | undefined>(
      (m, t) => (m === undefined || t.at < m ? t.at : m),
      undefined,
    );
  }

  private drop(id: number): void {
    this.pending = this.pending.filter((t) => t.id !== id);
  }
}

/** config/sandbox.yaml's tenants plus 50 teams, each with three regional rosters and a channel. */
function benchConfig(dir: string): string {
  const base = parse(readFileSync('config/sandbox.yaml', 'utf8')) as Record<string, unknown>;
  const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(4, '0')}`;
  const roster = (users: string[]) => ({
    users,
    rotation: 'weekly',
    handoffTime: '08:00',
    startDate: '2026-11-02',
  });
  const teams = Array.from({ length: SCHEDULES }, (_, i) => ({
    id: `team-${i + 1}`,
    channel: id('C0BNCH', i),
    regions: Object.fromEntries(
      ['APJ', 'EMEA', 'US'].map((region, r) => [
        region,
        { manager: id('U0MGRX', i), primary: roster([id(`U0E${r}NG`, i * 2), id(`U0E${r}NG`, i * 2 + 1)]) },
      ]),
    ),
  }));
  const config = {
    ...base,
    oncall: {
      regions: [
        { name: 'APJ', zone: 'Asia/Singapore', shift: { start: '08:00' } },
        { name: 'EMEA', zone: 'Europe/London', shift: { start: '08:00' } },
        { name: 'US', zone: 'America/Los_Angeles', shift: { start: '08:00' } },
      ],
      teams,
      handoff: { dmMinutesBefore: 15 },
    },
  };
  const path = join(dir, 'bench-oncall.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

async function referencePostMs(driver: SandboxDriver, n: number): Promise<number[]> {
  const web = new WebClient(driver.slack.botToken, { slackApiUrl: driver.slack.apiUrl });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await web.chat.postMessage({ channel: 'C0BNCH0000', text: `reference ${i}` });
    out.push(performance.now() - t0);
  }
  return out;
}

export const handoffLateness: Benchmark = {
  name: 'handoff-lateness',
  description: `boundary instant → handoff post accepted by the Slack stand-in, ${SCHEDULES} schedules, one restart mid-run`,
  async run(): Promise<Row[]> {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-oncall-'));
    const clock = new JumpingClock(START);
    const driver = await SandboxDriver.start({ mode: 'http', configFile: benchConfig(dir), clock });
    try {
      let restarted = false;
      for (;;) {
        const next = clock.nextTimerAt();
        if (next === undefined || next > END) break;
        if (!restarted && next >= RESTART_AT) {
          restarted = true;
          await driver.restart(() => clock.setTime(BACK_AT));
          continue;
        }
        clock.setTime(Math.max(next, clock.now()));
        await driver.settle();
      }
      await driver.settle();
      const normal: number[] = [];
      const acrossRestart: number[] = [];
      const keys = new Set<string>();
      for (const call of driver.slack.callsTo('chat.postMessage')) {
        const key = (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload
          ?.key;
        const match = /^oncall-handoff:[^:]+:(.+)$/.exec(key ?? '');
        if (!match || !call.ok) continue;
        if (keys.has(key as string)) throw new Error(`handoff ${key} was posted twice`);
        keys.add(key as string);
        const at = Date.parse(match[1] as string);
        (at > RESTART_AT && at <= BACK_AT ? acrossRestart : normal).push(call.at - at);
      }
      const reference = await referencePostMs(driver, 200);
      const row = (scenario: string, values: number[]): Row => ({
        scenario,
        handoffs: values.length,
        'p50 ms': Math.round(percentile(values, 50)),
        'p99 ms': Math.round(percentile(values, 99)),
        'max ms': Math.round(Math.max(...values)),
      });
      const refP50 = percentile(reference, 50);
      return [
        {
          ...row('normal operation', normal),
          'p50 ÷ one direct post': Math.round((percentile(normal, 50) / refP50) * 10) / 10,
          target: `p99 ≤ ${TARGET_P99_MS} ms: ${percentile(normal, 99) <= TARGET_P99_MS ? 'met' : 'MISSED'}`,
        },
        {
          ...row('across the restart (down 10 min)', acrossRestart),
          target: 'each posted once, marked late',
        },
        {
          scenario: 'reference: one chat.postMessage to the stand-in',
          handoffs: reference.length,
          'p50 ms': Math.round(refP50 * 100) / 100,
          'p99 ms': Math.round(percentile(reference, 99) * 100) / 100,
          'max ms': Math.round(Math.max(...reference) * 100) / 100,
        },
      ];
    } finally {
      await driver.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  // Its rows are per scenario, not per measurement: the summary names each one's p99.
  summary: (rows) =>
    rows
      .filter((r) => r.target !== undefined)
      .map((r) => ({
        measurement: `${r.scenario}: handoff lateness p99 (${r.handoffs} handoffs)`,
        value: r['p99 ms'] ?? '',
        unit: 'ms',
        target: String(r.target).split(':')[0] ?? '',
        result: String(r.target).includes('MISSED') ? 'MISS' : 'PASS',
      })),
};
