import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../sandbox/fake-clock.js';
import { waitForIdle } from '../../../sandbox/idle.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';
import { recurringJob } from '../../../src/jobs/recurring.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { type Db, openDatabase } from '../../../src/store/db.js';
import { JobStore } from '../../../src/store/job-store.js';
import { memoryLogger } from '../../helpers/logger.js';
import { tempDir } from '../../helpers/temp-db.js';
import { testJob } from '../../helpers/test-job.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
const open: Array<{ db: Db; scheduler: Scheduler }> = [];

function boot(dbPath: string, clock: FakeClock, maxAttempts = 3) {
  const db = openDatabase(dbPath);
  const store = new JobStore(db);
  const scheduler = new Scheduler({
    store,
    clock,
    logger: memoryLogger('silent').logger,
    maxAttempts,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    concurrency: 4,
    random: () => 1, // deterministic: always the top of the jitter range
  });
  open.push({ db, scheduler });
  return { db, store, scheduler };
}

function setup(maxAttempts = 3) {
  const tmp = tempDir();
  temps.push(tmp);
  const clock = new FakeClock('2026-11-26T09:00:00Z');
  return { tmp, clock, ...boot(tmp.dbPath, clock, maxAttempts) };
}

afterEach(async () => {
  for (const { db, scheduler } of open.splice(0)) {
    await scheduler.stop();
    if (db.open) db.close();
  }
  for (const t of temps.splice(0)) t.remove();
});

describe('Scheduler', () => {
  it('runs a job at its time, not before, exactly once', async () => {
    const { clock, scheduler, store } = setup();
    const runs: number[] = [];
    scheduler.define(
      testJob<{ n: number }>('test.echo', async ({ n }) => {
        runs.push(n);
      }),
    );
    scheduler.start();
    scheduler.enqueue({ kind: 'test.echo', payload: { n: 1 }, key: 'echo-1', runAt: clock.now() + 60_000 });
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toEqual([]);
    clock.advance(59_999);
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toEqual([]);
    clock.advance(1);
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toEqual([1]);
    clock.advance('1h');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toEqual([1]);
    expect(store.getByKey('echo-1')?.status).toBe('done');
  });

  it('treats the idempotency key as the identity of a job', async () => {
    const { scheduler } = setup();
    let runs = 0;
    scheduler.define(
      testJob('test.once', async () => {
        runs++;
      }),
    );
    scheduler.start();
    const first = scheduler.enqueue({ kind: 'test.once', payload: {}, key: 'same' });
    await waitForIdle(() => scheduler.isIdleNow());
    const second = scheduler.enqueue({ kind: 'test.once', payload: {}, key: 'same' });
    await waitForIdle(() => scheduler.isIdleNow());
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
    expect(runs).toBe(1);
  });

  it('enqueueIfAbsent keeps the first job of a key too, and says whether it was new', async () => {
    const { scheduler, store } = setup();
    let runs = 0;
    scheduler.define(
      testJob('test.once', async () => {
        runs++;
      }),
    );
    scheduler.start();
    expect(scheduler.enqueueIfAbsent({ kind: 'test.once', payload: { n: 1 }, key: 'same' })).toBe(true);
    expect(scheduler.enqueueIfAbsent({ kind: 'test.once', payload: { n: 2 }, key: 'same' })).toBe(false);
    await waitForIdle(() => scheduler.isIdleNow());
    expect(scheduler.enqueueIfAbsent({ kind: 'test.once', payload: { n: 3 }, key: 'same' })).toBe(false);
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toBe(1);
    expect(store.getByKey('same')).toMatchObject({ payload: { n: 1 }, status: 'done' });
    expect(() => scheduler.enqueueIfAbsent({ kind: 'test.unknown', payload: {}, key: 'k' })).toThrow(
      /no handler registered/,
    );
  });

  it('arms one timer for the earliest job instead of polling', async () => {
    const { clock, scheduler } = setup();
    scheduler.define(testJob('test.noop', async () => {}));
    scheduler.start();
    for (let i = 0; i < 20; i++) {
      scheduler.enqueue({
        kind: 'test.noop',
        payload: {},
        key: `k${i}`,
        runAt: clock.now() + (i + 1) * 60_000,
      });
    }
    await waitForIdle(() => scheduler.isIdleNow());
    expect(clock.pendingTimers()).toBe(1);
  });

  it('backs off exponentially, honours Retry-After, then dead-letters after maxAttempts', async () => {
    const { clock, scheduler, store } = setup(3);
    const attemptsAt: number[] = [];
    const dead: string[] = [];
    scheduler.define(
      testJob('test.flaky', async () => {
        attemptsAt.push(clock.now());
        throw new RetryableError('remote is down', attemptsAt.length === 1 ? { retryAfterMs: 30_000 } : {});
      }),
    );
    scheduler.onDeadLetter((job) => dead.push(job.key));
    scheduler.start();
    const start = clock.now();
    scheduler.enqueue({ kind: 'test.flaky', payload: {}, key: 'flaky' });
    await waitForIdle(() => scheduler.isIdleNow());
    clock.advance('29s');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(attemptsAt).toHaveLength(1); // Retry-After of 30 s is a floor over the 1 s back-off
    clock.advance('1s');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(attemptsAt).toHaveLength(2);
    clock.advance('2s'); // attempt 2 → base*2 = 2 s (jitter pinned to the top)
    await waitForIdle(() => scheduler.isIdleNow());
    expect(attemptsAt.map((t) => t - start)).toEqual([0, 30_000, 32_000]);
    const job = store.getByKey('flaky');
    expect(job?.status).toBe('dead');
    expect(job?.attempts).toBe(3);
    expect(job?.lastError).toContain('remote is down');
    expect(dead).toEqual(['flaky']);
  });

  it('does not count rate limiting against the attempt budget', async () => {
    const { clock, scheduler, store } = setup(2);
    let calls = 0;
    scheduler.define(
      testJob('test.throttled', async () => {
        calls++;
        if (calls <= 4) throw new RetryableError('429', { retryAfterMs: 5000, rateLimited: true });
      }),
    );
    scheduler.start();
    scheduler.enqueue({ kind: 'test.throttled', payload: {}, key: 't' });
    for (let i = 0; i < 5; i++) {
      await waitForIdle(() => scheduler.isIdleNow());
      clock.advance('5s');
    }
    await waitForIdle(() => scheduler.isIdleNow());
    expect(calls).toBe(5);
    expect(store.getByKey('t')?.status).toBe('done');
  });

  it('dead-letters a permanent error at once with its message', async () => {
    const { scheduler, store } = setup(5);
    scheduler.define(
      testJob('test.bad', async () => {
        throw new PermanentError('channel_not_found');
      }),
    );
    scheduler.start();
    scheduler.enqueue({ kind: 'test.bad', payload: {}, key: 'bad' });
    await waitForIdle(() => scheduler.isIdleNow());
    expect(store.getByKey('bad')).toMatchObject({ status: 'dead', attempts: 1 });
    expect(scheduler.retryDead(store.getByKey('bad')!.id)).toBe(true);
    await waitForIdle(() => scheduler.isIdleNow());
    expect(store.getByKey('bad')).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('runs jobs of one lane strictly in order, even while the head waits out a back-off', async () => {
    const { clock, scheduler } = setup(5);
    const order: string[] = [];
    let failHead = true;
    scheduler.define(
      testJob<{ id: string }>('test.lane', async ({ id }) => {
        if (id === 'a' && failHead) {
          failHead = false;
          throw new RetryableError('busy', { retryAfterMs: 10_000 });
        }
        order.push(id);
      }),
    );
    scheduler.start();
    for (const id of ['a', 'b', 'c']) {
      scheduler.enqueue({ kind: 'test.lane', payload: { id }, key: id, lane: 'chan' });
    }
    scheduler.enqueue({ kind: 'test.lane', payload: { id: 'other' }, key: 'other', lane: 'elsewhere' });
    await waitForIdle(() => scheduler.isIdleNow());
    expect(order).toEqual(['other']);
    clock.advance('10s');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(order).toEqual(['other', 'a', 'b', 'c']);
  });

  it('does not let a job scheduled for later hold up its lane', async () => {
    const { clock, scheduler } = setup();
    const order: string[] = [];
    scheduler.define(
      testJob<{ id: string }>('test.lane', async ({ id }) => {
        order.push(id);
      }),
    );
    scheduler.start();
    scheduler.enqueue({
      kind: 'test.lane',
      payload: { id: 'later' },
      key: 'later',
      lane: 'c',
      runAt: clock.now() + 60_000,
    });
    scheduler.enqueue({ kind: 'test.lane', payload: { id: 'now' }, key: 'now', lane: 'c' });
    await waitForIdle(() => scheduler.isIdleNow());
    expect(order).toEqual(['now']);
    clock.advance('1m');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(order).toEqual(['now', 'later']);
  });

  it('runs a job that fell due while the process was down exactly once after restart', async () => {
    const { tmp, clock, scheduler, db } = setup();
    const runs: string[] = [];
    scheduler.define(
      testJob('test.reminder', async () => {
        runs.push('first-process');
      }),
    );
    scheduler.start();
    scheduler.enqueue({
      kind: 'test.reminder',
      payload: {},
      key: 'reminder',
      runAt: clock.now() + 25 * 60_000,
    });
    await waitForIdle(() => scheduler.isIdleNow());
    // "Crash": the process goes away before the reminder is due.
    await scheduler.stop();
    db.close();
    clock.advance('2h');
    expect(runs).toEqual([]);

    const second = boot(tmp.dbPath, clock);
    second.scheduler.define(
      testJob('test.reminder', async () => {
        runs.push('second-process');
      }),
    );
    second.scheduler.start();
    await waitForIdle(() => second.scheduler.isIdleNow());
    clock.advance('1h');
    await waitForIdle(() => second.scheduler.isIdleNow());
    expect(runs).toEqual(['second-process']);
  });

  it('re-runs a job interrupted mid-flight by a crash', async () => {
    const { tmp, clock, store, db, scheduler } = setup();
    scheduler.define(testJob('test.slow', async () => {}));
    const { job } = store.enqueue(
      { kind: 'test.slow', payload: {}, key: 'slow', runAt: clock.now(), maxAttempts: 3 },
      clock.now(),
    );
    store.markRunning(job.id, clock.now()); // the process died while the job was running
    db.close();

    const second = boot(tmp.dbPath, clock);
    let runs = 0;
    second.scheduler.define(
      testJob('test.slow', async () => {
        runs++;
      }),
    );
    second.scheduler.start();
    await waitForIdle(() => second.scheduler.isIdleNow());
    expect(runs).toBe(1);
    expect(second.store.getByKey('slow')?.status).toBe('done');
  });

  it('starts the next attempt from the last checkpoint, after a failure and after a crash', async () => {
    const { tmp, clock, scheduler, store, db } = setup();
    const seen: Array<{ step: number }> = [];
    scheduler.define(
      testJob<{ step: number }>('test.steps', async (payload, { checkpoint }) => {
        seen.push(payload);
        checkpoint({ step: payload.step + 1 });
        throw new RetryableError('step failed');
      }),
    );
    scheduler.start();
    scheduler.enqueue({ kind: 'test.steps', payload: { step: 0 }, key: 'steps' });
    await waitForIdle(() => scheduler.isIdleNow());
    clock.advance('1m');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(seen).toEqual([{ step: 0 }, { step: 1 }]);
    expect(store.getByKey('steps')?.payload).toEqual({ step: 2 });
    await scheduler.stop();
    db.close();

    // A checkpoint written by an attempt that then crashed is kept too.
    const second = boot(tmp.dbPath, clock);
    const id = second.store.getByKey('steps')?.id ?? -1;
    second.store.markRunning(id, clock.now());
    second.store.savePayload(id, { step: 7 }, clock.now());
    const resumed: unknown[] = [];
    second.scheduler.define(testJob('test.steps', async (payload) => void resumed.push(payload)));
    second.scheduler.start();
    clock.advance('1h'); // past the back-off of the second failure
    await waitForIdle(() => second.scheduler.isIdleNow());
    expect(resumed).toEqual([{ step: 7 }]);
    // Only a running job's payload is rewritten: a finished job keeps its own.
    second.store.savePayload(id, { step: 99 }, clock.now());
    expect(second.store.getByKey('steps')).toMatchObject({ status: 'done', payload: { step: 7 } });
  });

  it('a recurring occurrence missed while the process was down runs once, late, and the schedule resumes from now', async () => {
    const { tmp, clock, scheduler, db } = setup();
    const HOUR = 3_600_000;
    const runs: number[] = [];
    const hourly = (s: Scheduler) =>
      recurringJob(s, {
        kind: 'test.hourly',
        failure: { what: 'run the hourly test job' },
        scopes: () => [{ scope: 'all', recurrence: { every: HOUR } }],
        run: async (occurrence) => {
          runs.push(occurrence.at);
        },
      });
    const first = hourly(scheduler);
    scheduler.define(first.definition);
    first.ensure(clock.now());
    scheduler.start();
    clock.advance('1h');
    await waitForIdle(() => scheduler.isIdleNow());
    expect(runs).toHaveLength(1);
    // "Crash", five hours of downtime, restart: ensure() is called again at start.
    await scheduler.stop();
    db.close();
    clock.advance('5h');
    const second = boot(tmp.dbPath, clock);
    const again = hourly(second.scheduler);
    second.scheduler.define(again.definition);
    again.ensure(clock.now());
    second.scheduler.start();
    await waitForIdle(() => second.scheduler.isIdleNow());
    expect(runs).toHaveLength(2); // the one missed occurrence, late — not five
    clock.advance('1h');
    await waitForIdle(() => second.scheduler.isIdleNow());
    expect(runs).toHaveLength(3);
    expect(new Set(runs).size).toBe(3);
  });
});
