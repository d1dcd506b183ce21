// How fast the durable scheduler moves jobs through SQLite: enqueue rate, and drain rate for
// independent jobs and for jobs serialised in one lane (messages to one channel).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForIdle } from '../sandbox/idle.js';
import { systemClock } from '../src/domain/clock.js';
import { Scheduler } from '../src/jobs/scheduler.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/db.js';
import { JobStore } from '../src/store/job-store.js';
import { testJob } from '../test/helpers/test-job.js';
import { type Benchmark, peakRssDuring, type Row } from './lib.js';

const BACKLOGS = (process.env.BENCH_BACKLOGS ?? '1000,10000,50000').split(',').map(Number);

async function measure(jobs: number, lanes: number | null): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  const scheduler = new Scheduler({
    store: new JobStore(db),
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    maxAttempts: 3,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    concurrency: 4,
  });
  let done = 0;
  scheduler.define(
    testJob('bench.noop', async () => {
      done++;
    }),
  );
  const { result, peakRssMb } = await peakRssDuring(async () => {
    const t0 = performance.now();
    // All enqueued in one transaction (a backlog that built up while the process was down).
    db.exec('BEGIN');
    for (let i = 0; i < jobs; i++) {
      scheduler.enqueue({
        kind: 'bench.noop',
        payload: { i },
        key: `job-${i}`,
        lane: lanes === null ? undefined : `lane-${i % lanes}`,
      });
    }
    db.exec('COMMIT');
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    scheduler.start();
    await waitForIdle(() => scheduler.isIdleNow(), 600_000);
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return { enqueueMs: t1 - t0, drainMs: t2 - t1, cpuUs: cpu.user + cpu.system };
  });
  await scheduler.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (done !== jobs) throw new Error(`ran ${done} of ${jobs} jobs`);
  return {
    scenario: lanes === null ? 'independent jobs' : `${lanes} lane(s)`,
    jobs,
    'enqueue jobs/s': Math.round(jobs / (result.enqueueMs / 1000)),
    'run jobs/s': Math.round(jobs / (result.drainMs / 1000)),
    'CPU µs per job': Math.round(result.cpuUs / jobs),
    'peak RSS MB': peakRssMb,
  };
}

export const jobScheduler: Benchmark = {
  name: 'job-scheduler',
  description:
    'Durable job scheduler throughput on a real SQLite file (WAL), no-op handlers, concurrency 4; then backlogs of due jobs in one lane and over 500 lanes.',
  async run() {
    const rows = [await measure(5000, null), await measure(5000, 50)];
    // A backlog of due jobs: the per-job cost must not grow with its depth (no per-tick scan).
    for (const lanes of [1, 500]) for (const jobs of BACKLOGS) rows.push(await measure(jobs, lanes));
    return rows;
  },
  summary(rows) {
    // Per-job CPU at the deepest backlog against the shallowest, per lane layout.
    return ['1 lane(s)', '500 lane(s)'].flatMap((scenario): Row[] => {
      const of = rows.filter((r) => r.scenario === scenario);
      const first = of[0];
      const last = of.at(-1);
      if (!first || !last || first === last) return [];
      const growth = Number(last['CPU µs per job']) / Number(first['CPU µs per job']);
      return [
        {
          section: `backlog, ${scenario}`,
          measurement: `run jobs/s at ${first.jobs} / ${last.jobs} due jobs`,
          value: `${first['run jobs/s']} / ${last['run jobs/s']}`,
          unit: 'jobs/s',
        },
        {
          section: `backlog, ${scenario}`,
          measurement: `CPU per job at ${last.jobs} ÷ at ${first.jobs} (${first['CPU µs per job']} → ${last['CPU µs per job']} µs)`,
          value: Number(growth.toFixed(2)),
          unit: 'x',
          target: '≤ 1.5 (flat)',
          result: growth <= 1.5 ? 'PASS' : 'MISS',
        },
      ];
    });
  },
};
