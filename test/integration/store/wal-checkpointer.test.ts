import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.js';
import { WalCheckpointer } from '../../../src/store/wal-checkpointer.js';
import { memoryLogger } from '../../helpers/logger.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const walBytes = (path: string) => statSync(`${path}-wal`).size;

function setup() {
  const t = tempDir();
  temps.push(t);
  const db = openDatabase(t.dbPath);
  db.exec('CREATE TABLE t (v TEXT)');
  return { db, path: t.dbPath };
}

/** 2,000 pages' worth of commits: twice what SQLite lets the WAL reach before it checkpoints itself. */
function writeMuch(db: ReturnType<typeof setup>['db']) {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const row = 'x'.repeat(3500);
  for (let i = 0; i < 2000; i++) insert.run(row);
}

describe('WalCheckpointer', () => {
  it('checkpoints from its worker, so the WAL is bounded while no commit on this thread checkpoints', async () => {
    const { db, path } = setup();
    const log = memoryLogger('info');
    const checkpoints = WalCheckpointer.start(db, path, log.logger, { intervalMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMuch(db);
    // Nothing checkpointed on this thread: every page of those commits is still in the WAL.
    const afterWrites = walBytes(path);
    expect(afterWrites).toBeGreaterThan(2000 * 4096);
    await sleep(200);
    // The worker copied them into the database file: the next commit starts the WAL over, so the
    // same writes again do not double it (without the worker it would hold both rounds).
    db.prepare('INSERT INTO t (v) VALUES (?)').run('after');
    writeMuch(db);
    expect(walBytes(path)).toBeLessThanOrEqual(afterWrites);
    await checkpoints.stop();
    expect(log.records().filter((r) => (r.level as number) >= 40)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 4001 });
    db.close();
  });

  it('keeps the WAL bounded under writes that never pause, by finishing the worker’s pass on this thread', async () => {
    // Commits every millisecond while the worker checkpoints: it never finds the whole WAL copied,
    // so without this thread's catch-up the WAL would only grow (to ~46 MB here; 2–6 MB with it).
    async function sustainedWrites(walLimitBytes: number): Promise<number> {
      const { db, path } = setup();
      const checkpoints = WalCheckpointer.start(db, path, memoryLogger('info').logger, {
        intervalMs: 10,
        walLimitBytes,
      });
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      const row = 'x'.repeat(3500);
      let largest = 0;
      for (let batch = 0; batch < 400; batch++) {
        db.transaction(() => {
          for (let i = 0; i < 25; i++) insert.run(row);
        })();
        largest = Math.max(largest, walBytes(path));
        await sleep(1);
      }
      await checkpoints.stop();
      db.close();
      return largest;
    }
    const limit = 2 * 1024 * 1024;
    expect(await sustainedWrites(limit)).toBeLessThan(6 * limit);
  });

  it('hands checkpoints back to the connection, and says so, when its worker cannot run', async () => {
    const { db } = setup();
    const log = memoryLogger('info');
    const checkpoints = WalCheckpointer.start(db, '/nonexistent/opsbot.db', log.logger, { intervalMs: 20 });
    for (let i = 0; i < 100 && db.pragma('wal_autocheckpoint', { simple: true }) === 0; i++) await sleep(10);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(log.records().some((r) => String(r.msg).includes('checkpoint worker stopped'))).toBe(true);
    await checkpoints.stop();
    db.close();
  });
});
