import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.js';
import { GroupCommit } from '../../../src/store/group-commit.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function setup() {
  const t = tempDir();
  temps.push(t);
  const db = openDatabase(t.dbPath);
  db.exec('CREATE TABLE t (v TEXT UNIQUE)');
  return { db, commits: new GroupCommit(db), path: t.dbPath };
}

describe('GroupCommit', () => {
  it('commits writes of one tick together and resolves each after the commit', async () => {
    const { db, commits, path } = setup();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        commits.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes),
      ),
    );
    expect(results).toEqual([1, 1, 1]);
    // Visible to another connection: the data is committed, not just written in this one.
    const other = openDatabase(path);
    expect(other.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 3 });
    other.close();
    db.close();
  });

  it('rolls back only the write that failed and rejects only its caller', async () => {
    const { db, commits } = setup();
    const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    const outcomes = await Promise.allSettled([
      commits.run(insert('x')),
      commits.run(insert('x')),
      commits.run(insert('y')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 'x' }, { v: 'y' }]);
    db.close();
  });

  it('shares flush-local state between the writes of one flush only, and drops it when one fails', async () => {
    const { db, commits } = setup();
    const owner = {};
    const seen: Array<number[] | undefined> = [];
    const write = (v: string) => () => {
      const local = commits.local(owner, () => [] as number[]);
      seen.push(local && [...local]);
      local?.push(seen.length);
      db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    };
    expect(commits.local(owner, () => [])).toBeUndefined();
    // The second write fails after recording in the shared state: its record must not survive.
    await Promise.allSettled([commits.run(write('a')), commits.run(write('a')), commits.run(write('b'))]);
    await commits.run(write('c'));
    expect(seen).toEqual([[], [1], [], []]);
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
    db.close();
  });
});
