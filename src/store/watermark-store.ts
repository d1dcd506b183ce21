// Poll watermarks: up to which instant a poll of Salesforce or Jira has seen changes, so the next
// poll (or the first after a restart) asks for exactly the window after it. Kept in the `kv`
// table (0004); a store of its own because watermarks are not links.
import type { Db } from './db.js';

export class WatermarkStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT value FROM kv WHERE key = ?'),
      set: db.prepare(
        `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** The instant (epoch ms) the named poll has covered up to, if it ever ran. */
  get(name: string): number | undefined {
    const row = this.s.get.get(name) as { value: string } | undefined;
    const value = row ? Number(row.value) : Number.NaN;
    return Number.isFinite(value) ? value : undefined;
  }

  set(name: string, at: number, now: number): void {
    this.s.set.run(name, String(at), now);
  }
}
