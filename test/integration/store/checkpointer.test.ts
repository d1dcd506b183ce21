import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { Checkpointer } from '../../../src/store/checkpointer.js';
import { openDatabase } from '../../../src/store/db.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const logger = createLogger({ level: 'silent' });

describe('Checkpointer', () => {
  it('moves committed WAL pages into the database file from its worker, not from the commits', async () => {
    const t = tempDir();
    temps.push(t);
    const db = openDatabase(t.dbPath);
    const checkpointer = Checkpointer.start(db, t.dbPath, logger, 20);
    expect(checkpointer).toBeDefined();
    // The main connection no longer checkpoints inside a COMMIT.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const before = statSync(t.dbPath).size;
    for (let i = 0; i < 20; i++) db.transaction(() => insert.run('x'.repeat(50_000)))();
    // The worker's checkpoint grows the main file; nothing here wrote it.
    const deadline = Date.now() + 5000;
    while (statSync(t.dbPath).size < before + 900_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(statSync(t.dbPath).size).toBeGreaterThan(before + 900_000);

    await checkpointer?.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 20 });
    db.close();
  });

  it('is not started for an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(Checkpointer.start(db, ':memory:', logger)).toBeUndefined();
    db.close();
  });
});
