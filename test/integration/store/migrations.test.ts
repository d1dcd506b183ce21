import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, readMigrations } from '../../../src/store/db.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function tables(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => (r as { name: string }).name);
}

describe('migrations', () => {
  it('are numbered, contiguous and each explains itself in a comment', () => {
    const migrations = readMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations)
      expect(m.sql.trimStart().startsWith('--'), `${m.name} starts with a why-comment`).toBe(true);
  });

  it('build the schema on an empty database, in WAL mode', () => {
    const t = tempDir();
    temps.push(t);
    const db = openDatabase(t.dbPath);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Savepoint sub-journals in memory (2), not in temp files: see applyPragmas.
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['jobs', 'schema_migrations', 'slack_inbound']));
    db.close();
  });

  it('upgrade a database that has only the earlier migrations, keeping its data', () => {
    const t = tempDir();
    temps.push(t);
    const all = readMigrations();
    const old = new Database(t.dbPath);
    migrate(old, all.slice(0, 1));
    old
      .prepare(
        `INSERT INTO jobs (kind, payload, idempotency_key, run_at, max_attempts, created_at, updated_at)
         VALUES ('slack.call', '{}', 'kept', 0, 3, 0, 0)`,
      )
      .run();
    old.close();

    const db = openDatabase(t.dbPath);
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(all.map((m) => ({ version: m.version })));
    expect(db.prepare("SELECT idempotency_key FROM jobs WHERE idempotency_key = 'kept'").get()).toBeDefined();
    // Re-opening applies nothing twice.
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('roll back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (y INTEGER); THIS IS NOT SQL;' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(tables(db)).toEqual(['schema_migrations']);
    db.close();
  });
});
