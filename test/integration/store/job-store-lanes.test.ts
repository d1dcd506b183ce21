import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.js';
import { JobStore } from '../../../src/store/job-store.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const NOW = 1_000_000;

function setup() {
  const t = tempDir();
  temps.push(t);
  const db = openDatabase(t.dbPath);
  const store = new JobStore(db);
  const add = (key: string, lane: string | null, runAt = NOW) =>
    store.enqueue({ kind: 'k', payload: null, key, lane, runAt, maxAttempts: 3 }, NOW).job;
  return { db, store, add };
}

describe('JobStore.dueJobs over many lanes', () => {
  it('serves the lanes round robin, each strictly in order, and never misses a due head', () => {
    const { store, add } = setup();
    // 40 lanes with 3 jobs each, enqueued lane after lane.
    for (let l = 0; l < 40; l++)
      for (let j = 0; j < 3; j++) add(`l${l}-j${j}`, `lane-${String(l).padStart(2, '0')}`);
    const ran: string[] = [];
    for (;;) {
      const due = store.dueJobs(NOW, 4);
      if (due.length === 0) break;
      // At most one job per lane at a time: each lane's head only.
      expect(new Set(due.map((d) => d.lane)).size).toBe(due.length);
      for (const job of due) {
        expect(store.markRunning(job.id, NOW)).toBe(true);
        store.markDone(job.id, null, NOW);
        ran.push(job.key);
      }
    }
    expect(ran).toHaveLength(120);
    for (let l = 0; l < 40; l++)
      expect(ran.filter((k) => k.startsWith(`l${l}-`))).toEqual([`l${l}-j0`, `l${l}-j1`, `l${l}-j2`]);
    // Round robin: every lane's first job runs before any lane's third.
    const lastFirst = Math.max(...Array.from({ length: 40 }, (_, l) => ran.indexOf(`l${l}-j0`)));
    const firstThird = Math.min(...Array.from({ length: 40 }, (_, l) => ran.indexOf(`l${l}-j2`)));
    expect(lastFirst).toBeLessThan(firstThird);
  });

  it('finds a due head behind many lanes whose heads are running or not due yet', () => {
    const { store, add } = setup();
    for (let l = 0; l < 30; l++) {
      const job = add(`busy-${l}`, `a-${String(l).padStart(2, '0')}`);
      store.markRunning(job.id, NOW);
      add(`behind-${l}`, `a-${String(l).padStart(2, '0')}`);
    }
    for (let l = 0; l < 30; l++) add(`later-${l}`, `b-${String(l).padStart(2, '0')}`, NOW + 60_000);
    add('due', 'c-only');
    add('unlaned', null, NOW - 5);
    expect(store.dueJobs(NOW, 4).map((j) => j.key)).toEqual(['unlaned', 'due']);
    // Asked again from wherever the last call stopped: the same answer.
    expect(store.dueJobs(NOW, 4).map((j) => j.key)).toEqual(['unlaned', 'due']);
    expect(store.dueJobs(NOW, 1).map((j) => j.key)).toEqual(['unlaned']);
    expect(store.dueJobs(NOW + 60_000, 100)).toHaveLength(32);
  });
});
