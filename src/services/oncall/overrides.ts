// Overrides and swaps made from Slack: `/oncall override`, `swap`, `take`, `cancel` and swap
// requests taken with a button. Each change is persisted and audited in one unit of work with
// its consequences: the cache every surface reads is dropped (effective everywhere at once),
// the handoff jobs and user groups are re-queued, and everyone whose future shifts changed gets
// a DM saying what changed, in their own time zone (the person who made the change sees the
// command's reply instead).
import { z } from 'zod';
import { bold, emoji, join, type Message, mention, msg } from '../../domain/message.js';
import { type CoveredShift, formatRange, LEVELS, type Level } from '../../domain/oncall/index.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { NewOverride, OncallStore, StoredOverride } from '../../store/oncall-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { ActionResult, ButtonMessages, ChatPort, PeopleProfiles } from '../ports.js';
import type { ScheduleService } from './schedule.js';

export const TAKE_SWAP_ACTION = 'oncall_take_swap';
export const CHANGE_DM_JOB = 'oncall.change-dm';

type Interval = [number, number];
/** Time on call per `user|level`: disjoint intervals, in order. */
type Snapshot = Map<string, Interval[]>;
interface Change {
  level: Level;
  from: number;
  to: number;
}

/** The parts of `a` not covered by `b` (both disjoint and ordered). */
function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [start, end] of a) {
    let from = start;
    for (const [bs, be] of b) {
      if (be <= from || bs >= end) continue;
      if (bs > from) out.push([from, bs]);
      from = Math.max(from, be);
    }
    if (from < end) out.push([from, end]);
  }
  return out;
}

const ShiftChange = z.object({ level: z.enum(['primary', 'secondary']), from: z.number(), to: z.number() });
const ChangeDmPayload = z.object({
  team: z.string(),
  userId: z.string(),
  actor: z.string(),
  ref: z.string(),
  gained: z.array(ShiftChange),
  lost: z.array(ShiftChange),
});
/** Changes are looked for this far ahead (a shift that changes later is found then). */
const LOOKAHEAD_MS = 60 * 86_400_000;

export interface OverrideDeps {
  schedule: ScheduleService;
  store: OncallStore;
  chat: ChatPort;
  buttons: ButtonMessages;
  people: PeopleProfiles;
  scheduler: Scheduler;
  tx: UnitOfWork;
  /** Called inside the change's unit of work: re-queue handoffs and user groups. */
  afterChange: (now: number, reason: string) => void;
}

const ok = (message: Message): ActionResult => ({ ok: true, message });
const fail = (message: Message | string): ActionResult => ({
  ok: false,
  message: typeof message === 'string' ? msg(message) : message,
});
const range = (from: number, to: number) => `${formatRange(from, to, 'UTC')} UTC`;

export class OverrideService {
  constructor(private readonly deps: OverrideDeps) {}

  /** `userId` on call for `team` at `level` over [from, to). */
  override(
    actor: string,
    o: { team: string; level: Level; userId: string; from: number; to: number },
    now: number,
  ): ActionResult {
    const made = this.apply(actor, [{ ...o, kind: 'override', createdBy: actor }], now);
    return ok(
      msg(
        emoji('white_check_mark'),
        ` ${made[0]?.id}: `,
        mention(o.userId),
        ` is ${o.level} on call for ${o.team} ${range(o.from, o.to)}.`,
      ),
    );
  }

  /** Takes the current shift at `level` (e.g. during an incident) until it would have ended. */
  take(actor: string, team: string, level: Level, now: number): ActionResult {
    const current = this.deps.schedule.onCall(team, level, now);
    if (current?.userId === actor) return fail(`You already are ${level} on call for ${team}.`);
    const to = current?.shiftEnd ?? now + 8 * 3_600_000;
    const made = this.apply(
      actor,
      [
        {
          team,
          level,
          userId: actor,
          from: now,
          to,
          replaces: current?.userId,
          kind: 'take',
          createdBy: actor,
        },
      ],
      now,
    );
    return ok(
      msg(
        emoji('white_check_mark'),
        ` ${made[0]?.id}: you are ${level} on call for ${team} until ${range(now, to).slice(-9)}`,
        current ? msg(' instead of ', mention(current.userId)) : '',
        '.',
      ),
    );
  }

  /**
   * `b` takes `a`'s shift that contains (or is the first to start after) `at`, and `a` takes
   * `b`'s next shift at the same level after it: two overrides that only apply while the person
   * they replace would be on.
   */
  swap(actor: string, team: string, a: string, b: string, at: number, now: number): ActionResult {
    if (a === b) return fail('A swap needs two different people.');
    const shiftA = this.shiftOf(team, a, at);
    if (!shiftA)
      return fail(
        msg(mention(a), ` has no shift for ${team} in the 60 days from ${range(at, at).slice(0, 16)} UTC.`),
      );
    const shiftB = this.shiftOf(team, b, shiftA.end, shiftA.level);
    if (!shiftB)
      return fail(
        msg(
          mention(b),
          ` has no ${shiftA.level} shift after that one to give back; use /oncall override for a one-way cover.`,
        ),
      );
    const made = this.apply(
      actor,
      [
        {
          team,
          level: shiftA.level,
          userId: b,
          from: shiftA.start,
          to: shiftA.end,
          replaces: a,
          kind: 'swap',
          createdBy: actor,
        },
        {
          team,
          level: shiftB.level,
          userId: a,
          from: shiftB.start,
          to: shiftB.end,
          replaces: b,
          kind: 'swap',
          createdBy: actor,
        },
      ],
      now,
    );
    const [first, second] = made;
    if (first && second) this.deps.store.pair(first.n, second.n);
    return ok(
      msg(
        emoji('white_check_mark'),
        ` Swapped (${first?.id}, ${second?.id}): `,
        mention(b),
        ` covers ${range(shiftA.start, shiftA.end)}, `,
        mention(a),
        ` covers ${range(shiftB.start, shiftB.end)}.`,
      ),
    );
  }

  cancel(actor: string, n: number, now: number): ActionResult {
    const found = this.deps.store.override(n);
    if (!found || found.cancelledAt !== null)
      return fail(`There is no override OV-${n} in effect. \`/oncall overrides\` lists them.`);
    this.deps.tx(() => {
      const before = this.snapshot(found.team, now);
      this.deps.store.cancelOverride(n, actor, now);
      this.deps.store.audit({ at: now, actor, action: 'cancel', detail: { id: found.id } });
      this.deps.schedule.changed();
      this.notify(actor, found.team, before, now, found.id);
      this.deps.afterChange(now, `cancel:${found.id}`);
    });
    return ok(msg(emoji('white_check_mark'), ` ${found.id} cancelled.`));
  }

  list(now: number): StoredOverride[] {
    return this.deps.store.upcomingOverrides(now);
  }

  /** Posts "who takes my shift?" with a Take it button in the team's channel. */
  requestSwap(actor: string, team: string, at: number, note: string, now: number): ActionResult {
    const channel = this.deps.schedule.team(team)?.channel;
    if (!channel) return fail(`Team ${team} has no on-call channel configured for swap requests.`);
    const shift = this.shiftOf(team, actor, at);
    if (!shift)
      return fail(`You have no shift for ${team} in the 60 days from ${range(at, at).slice(0, 16)} UTC.`);
    const request = this.deps.tx(() => {
      const r = this.deps.store.addSwapRequest(
        { team, level: shift.level, requester: actor, from: shift.start, to: shift.end, note },
        now,
      );
      this.deps.store.audit({ at: now, actor, action: 'swap-request', detail: { id: r.id } });
      this.deps.buttons.postWithButton(
        channel,
        msg(
          emoji('raising_hand'),
          ' ',
          mention(actor),
          ` asks who can take their ${shift.level} shift ${range(shift.start, shift.end)}`,
          note ? `: ${note}` : '.',
        ),
        { actionId: TAKE_SWAP_ACTION, value: String(r.id), label: 'Take it' },
        `oncall-swap-request:${r.id}`,
      );
      return r;
    });
    return ok(
      msg(emoji('white_check_mark'), ` Swap request SR-${request.id} posted in `, `<#${channel}>`, '.'),
    );
  }

  /** A teammate clicked Take it. */
  takeRequest(user: string, id: number, now: number): ActionResult {
    const r = this.deps.store.swapRequest(id);
    if (!r) return fail('That swap request no longer exists.');
    if (r.takenBy) return fail(msg('Already taken by ', mention(r.takenBy), '.'));
    if (r.requester === user) return fail('That is your own shift: someone else has to take it.');
    if (r.to <= now) return fail('That shift is already over.');
    const result = this.deps.tx(() => {
      const [made] = this.apply(
        user,
        [
          {
            team: r.team,
            level: r.level,
            userId: user,
            from: Math.max(r.from, now),
            to: r.to,
            replaces: r.requester,
            kind: 'swap-request',
            createdBy: user,
          },
        ],
        now,
      );
      if (!made || !this.deps.store.takeSwapRequest(id, user, made.n, now))
        throw new Error('swap request taken twice');
      const channel = this.deps.schedule.team(r.team)?.channel;
      if (channel)
        this.deps.chat.post(
          { channel },
          msg(
            emoji('handshake'),
            ' ',
            mention(user),
            ' took ',
            mention(r.requester),
            `’s ${r.level} shift ${range(r.from, r.to)} (SR-${id}).`,
          ),
          `oncall-swap-taken:${id}`,
        );
      return made;
    });
    return ok(msg(emoji('white_check_mark'), ` ${result.id}: you cover ${range(r.from, r.to)}.`));
  }

  /** The person's shift containing `at` or the first to start after it (at one or any level). */
  private shiftOf(team: string, userId: string, at: number, level?: Level): CoveredShift | undefined {
    const all = this.deps.schedule.shifts(team, at, at + LOOKAHEAD_MS);
    const found = (level ? [level] : LEVELS)
      .flatMap((l) => all[l])
      .filter((s): s is CoveredShift => s.source !== 'gap' && s.userId === userId && s.end > at)
      .sort((x, y) => x.start - y.start);
    return found[0];
  }

  private apply(actor: string, overrides: NewOverride[], now: number): StoredOverride[] {
    return this.deps.tx(() => {
      const team = overrides[0]?.team as string;
      const before = this.snapshot(team, now);
      const made = overrides.map((o) => this.deps.store.addOverride(o, now));
      for (const o of made)
        this.deps.store.audit({
          at: now,
          actor,
          action: o.kind,
          detail: {
            id: o.id,
            team: o.team,
            level: o.level,
            userId: o.userId,
            from: o.from,
            to: o.to,
            replaces: o.replaces,
          },
        });
      this.deps.schedule.changed();
      this.notify(actor, team, before, now, made.map((o) => o.id).join('+'));
      this.deps.afterChange(now, made.map((o) => o.id).join('+'));
      return made;
    });
  }

  /** Every person's future time on call for a team, per level, as merged intervals. */
  private snapshot(team: string, now: number): Snapshot {
    const all = this.deps.schedule.shifts(team, now, now + LOOKAHEAD_MS);
    const out: Snapshot = new Map();
    for (const level of LEVELS)
      for (const s of all[level]) {
        if (s.source === 'gap' || s.end <= now) continue;
        const key = `${s.userId}|${level}`;
        const list = out.get(key) ?? [];
        const last = list.at(-1);
        const from = Math.max(s.start, now);
        if (last && last[1] === from) last[1] = s.end;
        else list.push([from, s.end]);
        out.set(key, list);
      }
    return out;
  }

  /** Queues a DM (a job: it reads the person's zone) for everyone but the actor whose future time on call changed. */
  private notify(actor: string, team: string, before: Snapshot, now: number, ref: string): void {
    const after = this.snapshot(team, now);
    const changes = new Map<string, { gained: Change[]; lost: Change[] }>();
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const [user, level] = key.split('|') as [string, Level];
      if (user === actor) continue;
      const was = before.get(key) ?? [];
      const is = after.get(key) ?? [];
      const entry = changes.get(user) ?? { gained: [], lost: [] };
      for (const [from, to] of subtract(is, was)) entry.gained.push({ level, from, to });
      for (const [from, to] of subtract(was, is)) entry.lost.push({ level, from, to });
      changes.set(user, entry);
    }
    for (const [user, { gained, lost }] of changes) {
      if (gained.length === 0 && lost.length === 0) continue;
      const byStart = (a: Change, b: Change) => a.from - b.from;
      this.deps.scheduler.enqueue({
        kind: CHANGE_DM_JOB,
        payload: { team, userId: user, actor, ref, gained: gained.sort(byStart), lost: lost.sort(byStart) },
        key: `oncall-change:${ref}:${user}`,
      });
    }
  }

  jobs(): JobDefinition<never>[] {
    return [
      defineJob({
        kind: CHANGE_DM_JOB,
        payload: ChangeDmPayload,
        failure: { what: 'tell someone their on-call shifts changed' },
        run: async (p) => {
          const zone = (await this.deps.people.profile(p.userId)).zone ?? 'UTC';
          const line = (s: { level: Level; from: number; to: number }) =>
            msg(`• ${s.level} ${formatRange(s.from, s.to, zone)}`);
          this.deps.chat.post(
            { channel: p.userId },
            msg(
              emoji('calendar'),
              ' ',
              bold(`Your on-call shifts for ${p.team} changed`),
              ' (',
              mention(p.actor),
              `, ${p.ref}; times in ${zone})`,
              p.gained.length ? msg('\nNow on call:\n', join(p.gained.map(line), '\n')) : '',
              p.lost.length ? msg('\nNo longer on call:\n', join(p.lost.map(line), '\n')) : '',
            ),
            `oncall-change:${p.ref}:${p.userId}`,
          );
          return { told: p.userId };
        },
      }),
    ] as JobDefinition<never>[];
  }
}
