import { z } from 'zod';
import type { Matcher } from '../domain/alarms/matchers.js';
import type { Silence } from '../domain/alarms/silences.js';
import type { Db } from './db.js';

const SilenceRow = z.object({
  id: z.string(),
  tenant_id: z.string().nullable(),
  matchers: z.string(),
  starts_at: z.number(),
  ends_at: z.number(),
  created_by: z.string(),
  reason: z.string(),
  created_at: z.number(),
  expired_by: z.string().nullable(),
  hits: z.number(),
});

export interface StoredSilence extends Silence {
  createdAt: number;
  expiredBy: string | null;
  hits: number;
}

function toSilence(row: unknown): StoredSilence {
  const r = SilenceRow.parse(row);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    matchers: JSON.parse(r.matchers) as Matcher[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdBy: r.created_by,
    reason: r.reason,
    createdAt: r.created_at,
    expiredBy: r.expired_by,
    hits: r.hits,
  };
}

export class SilenceStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO silences (id, tenant_id, matchers, starts_at, ends_at, created_by, reason, created_at)
         VALUES (@id, @tenantId, @matchers, @startsAt, @endsAt, @createdBy, @reason, @createdAt)`,
      ),
      get: db.prepare('SELECT * FROM silences WHERE id = ?'),
      active: db.prepare(
        `SELECT * FROM silences WHERE starts_at <= @now AND ends_at > @now
         AND (@tenant IS NULL OR tenant_id IS NULL OR tenant_id = @tenant) ORDER BY ends_at`,
      ),
      expire: db.prepare(
        'UPDATE silences SET ends_at = @now, expired_by = @user WHERE id = @id AND ends_at > @now',
      ),
      hit: db.prepare('UPDATE silences SET hits = hits + 1 WHERE id = ?'),
    };
  }

  create(silence: Silence, now: number): StoredSilence {
    this.s.insert.run({ ...silence, matchers: JSON.stringify(silence.matchers), createdAt: now });
    return this.get(silence.id) as StoredSilence;
  }

  get(id: string): StoredSilence | undefined {
    const row = this.s.get.get(id);
    return row ? toSilence(row) : undefined;
  }

  /** Active silences that apply to a tenant (its own and global ones); all tenants when undefined. */
  activeFor(tenantId: string | undefined, now: number): StoredSilence[] {
    return this.s.active.all({ now, tenant: tenantId ?? null }).map(toSilence);
  }

  /** Ends a silence now; false when it does not exist or already ended. */
  expire(id: string, user: string, now: number): boolean {
    return this.s.expire.run({ id, user, now }).changes === 1;
  }

  recordHit(id: string): void {
    this.s.hit.run(id);
  }
}
