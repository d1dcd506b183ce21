import { afterEach, describe, expect, it } from 'vitest';
import { CARD_JOB } from '../../../src/services/triage/card-scheduler.js';
import {
  type TriagePacing,
  TriageQueue,
  type UntriagedAlarm,
} from '../../../src/services/triage/triage-queue.js';
import { GroupCommit } from '../../../src/store/group-commit.js';
import { RetentionStore } from '../../../src/store/retention-store.js';
import { memoryLogger } from '../../helpers/logger.js';
import { alarmInput, intakeFor, type ServiceWorld, serviceWorld } from '../../helpers/services.js';

const worlds: ServiceWorld[] = [];
const queues: TriageQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) q.stop();
  for (const w of worlds.splice(0)) await w.close();
});

function queueOn(world: ServiceWorld, pacing: Partial<TriagePacing> = {}) {
  const untriaged: UntriagedAlarm[] = [];
  const log = memoryLogger('info');
  const queue = new TriageQueue({
    intake: intakeFor(world, new GroupCommit(world.db)),
    inbox: world.triageInbox,
    tenants: world.tenants,
    tx: world.tx,
    logger: log.logger,
    pacing,
    onUntriaged: (alarm) => untriaged.push(alarm),
  });
  queues.push(queue);
  return { queue, untriaged, log };
}

function setup(pacing: Partial<TriagePacing> = {}) {
  const world = serviceWorld();
  worlds.push(world);
  return { world, ...queueOn(world, pacing) };
}

const alarm = (world: ServiceWorld, i: number, name = 'DNODE_DOWN') =>
  alarmInput(world, { dedupeKey: `am-${i}`, name, summary: `node ${i} down`, componentId: `dnode-${i}` });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await sleep(2);
  }
}

describe('TriageQueue (webhook alarms: stored and acknowledged first, triaged behind)', () => {
  it('has every alarm on disk when accept resolves, and triages it after, at the instant it arrived', async () => {
    const { world, queue } = setup();
    const arrivedAt = world.clock.now();
    const outcomes = await queue.accept([alarm(world, 1), alarm(world, 2)]);
    expect(outcomes).toEqual(['accepted', 'accepted']);
    // Stored and queued, not triaged yet.
    expect(world.alarms.rawCount()).toBe(2);
    expect(world.triageInbox.count(5)).toBe(2);
    expect(world.incidents.listOpen()).toHaveLength(0);
    world.clock.advance(60_000);
    await until(() => queue.pending === 0);
    const [incident] = world.incidents.listOpen();
    expect(world.incidents.members(incident?.id as number)).toHaveLength(2);
    // Recorded when it came, not when triage ran.
    expect(incident?.openedAt).toBe(arrivedAt);
    expect(world.jobsOf(CARD_JOB)).toHaveLength(1);
    expect(world.triageInbox.count(5)).toBe(0);
    // A re-delivery is a duplicate at the door, and nothing is queued for it.
    expect(await queue.accept([alarm(world, 1)])).toEqual(['duplicate']);
    expect(queue.pending).toBe(0);
  });

  it('waits while alarms keep arriving, but never longer than maxLagMs for the oldest', async () => {
    const { world, queue } = setup({ quietMs: 50, maxLagMs: 150 });
    const started = performance.now();
    let i = 0;
    // A steady stream, one alarm every 10 ms: never quiet for 50 ms.
    while (performance.now() - started < 400) {
      await queue.accept([alarm(world, i++)]);
      if (world.incidents.listOpen().length > 0) break;
      await sleep(10);
    }
    const firstTriagedAfter = performance.now() - started;
    expect(world.incidents.listOpen()).toHaveLength(1);
    expect(firstTriagedAfter).toBeGreaterThanOrEqual(140);
    expect(firstTriagedAfter).toBeLessThan(400);
    await until(() => queue.pending === 0);
    expect(world.incidents.members(world.incidents.listOpen()[0]?.id as number)).toHaveLength(i);
  });

  it('takes a fair share of a busy event loop once behind, so a storm that never pauses cannot starve it', async () => {
    // Other work holds the event loop 20 ms between two triage chunks, for 400 ms. Triage is behind
    // after 30 ms; then its chunks stay at the base 5 ms without the fair share, and grow to about
    // what the other work took (20 ms) with it: so it takes bigger chunks.
    async function busyLoop(maxChunkMs: number): Promise<number> {
      const { world, queue } = setup({ quietMs: 10, maxLagMs: 30, chunkBudgetMs: 5, maxChunkMs });
      const sizes: number[] = [];
      const next = world.triageInbox.next.bind(world.triageInbox);
      world.triageInbox.next = (afterId, size, maxAttempts) => {
        sizes.push(size);
        return next(afterId, size, maxAttempts);
      };
      await queue.accept(Array.from({ length: 3000 }, (_, i) => alarm(world, i)));
      const until = performance.now() + 400;
      while (performance.now() < until) {
        const spinUntil = performance.now() + 20;
        while (performance.now() < spinUntil) {}
        await sleep(0);
      }
      queue.stop();
      const late = sizes.slice(Math.floor(sizes.length / 2));
      return late.reduce((a, b) => a + b, 0) / late.length;
    }
    const base = await busyLoop(5);
    const fair = await busyLoop(100);
    expect(fair).toBeGreaterThan(base * 2);
  });

  it('triages at the next start what a process acknowledged and then lost', async () => {
    const { world, queue } = setup({ quietMs: 60_000, maxLagMs: 60_000 });
    await queue.accept([alarm(world, 1), alarm(world, 2), alarm(world, 3)]);
    // The process dies before triage: nothing but the stored rows is left.
    queue.stop();
    expect(world.incidents.listOpen()).toHaveLength(0);
    const next = queueOn(world, { quietMs: 60_000, maxLagMs: 60_000 });
    next.queue.start();
    expect(next.queue.pending).toBe(3);
    // Left over from a previous run: triaged at once, whatever the pacing says.
    await until(() => next.queue.pending === 0);
    const [incident] = world.incidents.listOpen();
    expect(world.incidents.members(incident?.id as number)).toHaveLength(3);
    expect(next.log.records().some((r) => String(r.msg).includes('previous run'))).toBe(true);
    // Triaged once: starting again finds nothing to do.
    const third = queueOn(world);
    third.queue.start();
    expect(third.queue.pending).toBe(0);
    expect(world.incidents.timeline(incident?.id as number).filter((e) => e.kind === 'alarm')).toHaveLength(
      3,
    );
  });

  it('triages the rest when one alarm fails, retries it, then sets it aside and says so', async () => {
    const { world, queue, untriaged } = setup({ maxAttempts: 3 });
    world.events.on('timeline', (entry) => {
      if (entry.text.includes('EXPLODES')) throw new Error('a listener failed');
    });
    await queue.accept([alarm(world, 1), alarm(world, 2, 'EXPLODES'), alarm(world, 3)]);
    await until(() => queue.pending === 0);
    const [incident] = world.incidents.listOpen();
    expect(
      world.incidents
        .members(incident?.id as number)
        .map((m) => m.componentId)
        .sort(),
    ).toEqual(['dnode-1', 'dnode-3']);
    expect(untriaged).toEqual([
      { rawId: 2, tenantId: 'nimbus', source: 'alertmanager', error: 'a listener failed' },
    ]);
    // Kept, as evidence, and retention does not prune it or anything after it.
    expect(world.triageInbox.failedCount(3)).toBe(1);
    world.clock.advance(400 * 86_400_000);
    const pruned = new RetentionStore(world.db).pruneRawAlarms(world.clock.now(), 100);
    expect(pruned.deleted).toBe(1);
    expect(world.alarms.rawCount()).toBe(2);
  });
});
