import type { Db } from './db.js';

/**
 * A unit of work: everything `fn` writes commits together or not at all. Services get this
 * instead of the database, so they can group writes without reaching into SQLite. Nested units
 * become savepoints (better-sqlite3's transaction semantics).
 */
export type UnitOfWork = <T>(fn: () => T) => T;

export function unitOfWork(db: Db): UnitOfWork {
  // One transaction function, made once: db.transaction(fn) builds four wrappers and defines
  // their properties on every call, which cost more than a small unit of work itself.
  const run = db.transaction((fn: () => unknown) => fn());
  return <T>(fn: () => T) => run(fn) as T;
}
