// What people change about on-call in Slack (overrides, swaps, swap requests, handoff notes and
// weekend plans), the audit of those changes, the pages each engineer received and the calendar
// feed tokens. Rows are parsed with zod at the boundary; the schedule itself is config.
import { z } from 'zod';
import type { Level, Override } from '../domain/oncall/index.js';
import type { Db } from './db.js';

export type OverrideKind = 'override' | 'swap' | 'take' | 'swap-request';

export interface StoredOverride extends Override {
  /** Numeric id; `id` (the engine's) is `OV-<n>`. */
  n: number;
  kind: OverrideKind;
  pairId: number | null;
  note: string;
  createdBy: string;
  createdAt: number;
  cancelledBy: string | null;
  cancelledAt: number | null;
}

const OverrideRow = z.object({
  id: z.number(),
  team: z.string(),
  level: z.enum(['primary', 'secondary']),
  user_id: z.string(),
  from_ms: z.number(),
  to_ms: z.number(),
  replaces: z.string().nullable(),
  kind: z.enum(['override', 'swap', 'take', 'swap-request']),
  pair_id: z.number().nullable(),
  note: z.string(),
  created_by: z.string(),
  created_at: z.number(),
  cancelled_by: z.string().nullable(),
  cancelled_at: z.number().nullable(),
});

export const overrideRef = (n: number) => `OV-${n}`;

function toOverride(row: unknown): StoredOverride {
  const r = OverrideRow.parse(row);
  return {
    id: overrideRef(r.id),
    n: r.id,
    team: r.team,
    level: r.level,
    userId: r.user_id,
    from: r.from_ms,
    to: r.to_ms,
    ...(r.replaces ? { replaces: r.replaces } : {}),
    kind: r.kind,
    pairId: r.pair_id,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
    cancelledBy: r.cancelled_by,
    cancelledAt: r.cancelled_at,
  };
}

export interface NewOverride {
  team: string;
  level: Level;
  userId: string;
  from: number;
  to: number;
  replaces?: string | undefined;
  kind: OverrideKind;
  pairId?: number | null;
  note?: string;
  createdBy: string;
}

export interface SwapRequest {
  id: number;
  team: string;
  level: Level;
  requester: string;
  from: number;
  to: number;
  note: string;
  createdAt: number;
  takenBy: string | null;
  takenAt: number | null;
  overrideId: number | null;
}

const SwapRow = z.object({
  id: z.number(),
  team: z.string(),
  level: z.enum(['primary', 'secondary']),
  requester: z.string(),
  from_ms: z.number(),
  to_ms: z.number(),
  note: z.string(),
  created_at: z.number(),
  taken_by: z.string().nullable(),
  taken_at: z.number().nullable(),
  override_id: z.number().nullable(),
});

function toSwap(row: unknown): SwapRequest {
  const r = SwapRow.parse(row);
  return {
    id: r.id,
    team: r.team,
    level: r.level,
    requester: r.requester,
    from: r.from_ms,
    to: r.to_ms,
    note: r.note,
    createdAt: r.created_at,
    takenBy: r.taken_by,
    takenAt: r.taken_at,
    overrideId: r.override_id,
  };
}

export interface HandoffNote {
  id: number;
  team: string;
  kind: 'note' | 'plan';
  author: string;
  text: string;
  createdAt: number;
}

const NoteRow = z.object({
  id: z.number(),
  team: z.string(),
  kind: z.enum(['note', 'plan']),
  author: z.string(),
  text: z.string(),
  created_at: z.number(),
});

const toNote = (row: unknown): HandoffNote => {
  const r = NoteRow.parse(row);
  return { id: r.id, team: r.team, kind: r.kind, author: r.author, text: r.text, createdAt: r.created_at };
};

export interface Page {
  key: string;
  incidentId: number;
  tenantId: string;
  userId: string;
  severity: number;
  at: number;
}

const PageRow = z.object({
  key: z.string(),
  incident_id: z.number(),
  tenant_id: z.string(),
  user_id: z.string(),
  severity: z.number(),
  at: z.number(),
});

export class OncallStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insertOverride: db.prepare(
        `INSERT INTO oncall_overrides (team, level, user_id, from_ms, to_ms, replaces, kind, pair_id, note, created_by, created_at)
         VALUES (@team, @level, @userId, @from, @to, @replaces, @kind, @pairId, @note, @createdBy, @createdAt)`,
      ),
      setPair: db.prepare('UPDATE oncall_overrides SET pair_id = @pairId WHERE id = @id'),
      override: db.prepare('SELECT * FROM oncall_overrides WHERE id = ?'),
      live: db.prepare('SELECT * FROM oncall_overrides WHERE cancelled_at IS NULL ORDER BY id'),
      upcoming: db.prepare(
        'SELECT * FROM oncall_overrides WHERE cancelled_at IS NULL AND to_ms > ? ORDER BY from_ms, id',
      ),
      cancel: db.prepare(
        `UPDATE oncall_overrides SET cancelled_at = @now, cancelled_by = @user
         WHERE (id = @id OR pair_id = @id OR id = (SELECT pair_id FROM oncall_overrides WHERE id = @id))
           AND cancelled_at IS NULL`,
      ),
      audit: db.prepare(
        'INSERT INTO oncall_audit (at, actor, action, detail) VALUES (@at, @actor, @action, @detail)',
      ),
      auditList: db.prepare('SELECT * FROM oncall_audit ORDER BY id DESC LIMIT ?'),
      insertSwap: db.prepare(
        `INSERT INTO oncall_swap_requests (team, level, requester, from_ms, to_ms, note, created_at)
         VALUES (@team, @level, @requester, @from, @to, @note, @createdAt)`,
      ),
      swap: db.prepare('SELECT * FROM oncall_swap_requests WHERE id = ?'),
      takeSwap: db.prepare(
        `UPDATE oncall_swap_requests SET taken_by = @user, taken_at = @now, override_id = @overrideId
         WHERE id = @id AND taken_by IS NULL`,
      ),
      insertNote: db.prepare(
        'INSERT INTO oncall_notes (team, kind, author, text, created_at) VALUES (@team, @kind, @author, @text, @createdAt)',
      ),
      pendingNotes: db.prepare(
        'SELECT * FROM oncall_notes WHERE team = @team AND kind = @kind AND used_by IS NULL AND created_at <= @until ORDER BY id',
      ),
      useNote: db.prepare('UPDATE oncall_notes SET used_by = @key WHERE id = @id AND used_by IS NULL'),
      notesUsedBy: db.prepare('SELECT * FROM oncall_notes WHERE used_by = ? ORDER BY id'),
      insertPage: db.prepare(
        `INSERT OR IGNORE INTO oncall_pages (key, incident_id, tenant_id, user_id, severity, at)
         VALUES (@key, @incidentId, @tenantId, @userId, @severity, @at)`,
      ),
      pages: db.prepare('SELECT * FROM oncall_pages WHERE at >= ? AND at < ? ORDER BY at'),
      feedToken: db.prepare('SELECT token FROM oncall_feed_tokens WHERE feed = ?'),
      feedByToken: db.prepare('SELECT feed FROM oncall_feed_tokens WHERE token = ?'),
      insertFeed: db.prepare(
        'INSERT OR IGNORE INTO oncall_feed_tokens (feed, token, created_at) VALUES (@feed, @token, @now)',
      ),
    };
  }

  addOverride(o: NewOverride, now: number): StoredOverride {
    const info = this.s.insertOverride.run({
      team: o.team,
      level: o.level,
      userId: o.userId,
      from: o.from,
      to: o.to,
      replaces: o.replaces ?? null,
      kind: o.kind,
      pairId: o.pairId ?? null,
      note: o.note ?? '',
      createdBy: o.createdBy,
      createdAt: now,
    });
    return this.override(Number(info.lastInsertRowid)) as StoredOverride;
  }

  pair(a: number, b: number): void {
    this.s.setPair.run({ id: a, pairId: b });
    this.s.setPair.run({ id: b, pairId: a });
  }

  override(n: number): StoredOverride | undefined {
    const row = this.s.override.get(n);
    return row ? toOverride(row) : undefined;
  }

  /** Every override not cancelled, in the order made (the engine's precedence: later wins). */
  liveOverrides(): StoredOverride[] {
    return this.s.live.all().map(toOverride);
  }

  /** Overrides not cancelled that have not ended at `now`, soonest first. */
  upcomingOverrides(now: number): StoredOverride[] {
    return this.s.upcoming.all(now).map(toOverride);
  }

  /** Cancels an override and its swap partner; the number cancelled. */
  cancelOverride(n: number, user: string, now: number): number {
    return this.s.cancel.run({ id: n, user, now }).changes;
  }

  audit(entry: { at: number; actor: string; action: string; detail: Record<string, unknown> }): void {
    this.s.audit.run({ ...entry, detail: JSON.stringify(entry.detail) });
  }

  auditLog(limit = 50): Array<{ at: number; actor: string; action: string; detail: string }> {
    return this.s.auditList.all(limit) as Array<{
      at: number;
      actor: string;
      action: string;
      detail: string;
    }>;
  }

  addSwapRequest(
    r: Omit<SwapRequest, 'id' | 'createdAt' | 'takenBy' | 'takenAt' | 'overrideId'>,
    now: number,
  ): SwapRequest {
    const info = this.s.insertSwap.run({ ...r, createdAt: now });
    return this.swapRequest(Number(info.lastInsertRowid)) as SwapRequest;
  }

  swapRequest(id: number): SwapRequest | undefined {
    const row = this.s.swap.get(id);
    return row ? toSwap(row) : undefined;
  }

  /** Marks a request taken; false when someone else was first. */
  takeSwapRequest(id: number, user: string, overrideId: number, now: number): boolean {
    return this.s.takeSwap.run({ id, user, overrideId, now }).changes === 1;
  }

  addNote(n: { team: string; kind: 'note' | 'plan'; author: string; text: string }, now: number): void {
    this.s.insertNote.run({ ...n, createdAt: now });
  }

  pendingNotes(team: string, kind: 'note' | 'plan', until: number): HandoffNote[] {
    return this.s.pendingNotes.all({ team, kind, until }).map(toNote);
  }

  /** Claims pending notes for one handoff post; a retried post finds the same notes again. */
  claimNotes(team: string, kind: 'note' | 'plan', until: number, key: string): HandoffNote[] {
    for (const note of this.pendingNotes(team, kind, until)) this.s.useNote.run({ id: note.id, key });
    return this.s.notesUsedBy.all(key).map(toNote);
  }

  recordPage(page: Page): void {
    this.s.insertPage.run(page);
  }

  pages(from: number, to: number): Page[] {
    return this.s.pages.all(from, to).map((row) => {
      const r = PageRow.parse(row);
      return {
        key: r.key,
        incidentId: r.incident_id,
        tenantId: r.tenant_id,
        userId: r.user_id,
        severity: r.severity,
        at: r.at,
      };
    });
  }

  /** The feed's token, created (from `fresh`) the first time it is asked for. */
  feedToken(feed: string, fresh: () => string, now: number): string {
    this.s.insertFeed.run({ feed, token: fresh(), now });
    return (this.s.feedToken.get(feed) as { token: string }).token;
  }

  feedOf(token: string): string | undefined {
    return (this.s.feedByToken.get(token) as { feed: string } | undefined)?.feed;
  }
}
