import type { Db } from './db.js';

/**
 * A unit of work: everything `fn` writes commits together or not at all. Services get this
 * instead of the database, so they can group writes without reaching into SQLite. Nested units
 * become savepoints (better-sqlite3's transaction semantics).
 */
export type UnitOfWork = <T>(fn: () => T) => T;

export function unitOfWork(db: Db): UnitOfWork {
  return (fn) => db.transaction(fn)();
}
