// The one on-call engine every surface asks (handoff posts, user groups, /oncall, cards,
// reminders, SLA escalation), so they can never disagree. One precedence rule:
//   1. overrides, in the order given (later ones win); an override with `replaces: X`
//      applies only while X would otherwise be on call at that level;
//   2. otherwise the active layer with the highest priority that names someone (tenant
//      layers 30 > weekend 20 > regional follow-the-sun 10 by default; tenant layers only
//      when the question is about that tenant); equal priorities overlapping are rejected
//      at load (conflicts()), so the config order only breaks ties in unvalidated input;
//   3. nobody: a gap (coverageGaps() reports it). The region manager is not a level: it is
//      the last step of escalationChain().
// Time is always an argument (epoch ms). The timeline between two instants is cut at every
// instant where anything could change (window edges, rotation handoffs, override edges);
// inside each piece the answer is constant, so it is evaluated once and pieces with the
// same answer are merged into shifts.
import {
  type CompiledLayer,
  type CompiledSchedule,
  type CompiledTeam,
  compileSchedule,
  rotationHandoffs,
  rotationUserAt,
} from './compile.js';
import { type Interval, spanIntervals } from './rules.js';
import { DAY_MS } from './time.js';
import {
  type CoveredShift,
  type Handoff,
  type HandoffChange,
  LEVELS,
  type Level,
  type OnCall,
  type OncallSchedule,
  type Override,
  type Shift,
} from './types.js';

export interface OnCallOptions {
  /** Ask for one tenant: its tenant layers join the precedence. */
  tenantId?: string | undefined;
}

/** Shifts are looked for up to this far either side of a range (longer ones are cut there). */
export const MAX_SHIFT_SEARCH_MS = 366 * DAY_MS;

export function onCallAt(
  schedule: OncallSchedule,
  overrides: readonly Override[],
  team: string,
  level: Level,
  instant: number,
  opts: OnCallOptions = {},
): OnCall | undefined {
  const shift = levelShifts(schedule, overrides, team, level, instant, instant + 1, opts)[0];
  if (!shift || shift.source === 'gap') return undefined;
  const { start, end, ...rest } = shift;
  return { ...rest, shiftStart: start, shiftEnd: end };
}

/**
 * Shifts per level overlapping [from, to), ordered and contiguous: each ends where the next
 * starts, gaps included as `source: 'gap'`. The first and last are not clipped to the range
 * (their real start and end, so they match onCallAt's shiftStart/shiftEnd).
 */
export function shifts(
  schedule: OncallSchedule,
  overrides: readonly Override[],
  team: string,
  from: number,
  to: number,
  opts: OnCallOptions = {},
): Record<Level, Shift[]> {
  if (!(to > from)) throw new RangeError(`expected from < to, got ${from} … ${to}`);
  const out = {} as Record<Level, Shift[]>;
  for (const level of LEVELS) out[level] = levelShifts(schedule, overrides, team, level, from, to, opts);
  return out;
}

/**
 * Boundaries in (after, until] where the person on call at some level of a team changes
 * (team-wide view, without tenant layers), one per team and instant, with an occurrence key
 * for the job that posts it. `team` limits it to one team (one handoff job asks about its own).
 */
export function nextHandoffs(
  schedule: OncallSchedule,
  overrides: readonly Override[],
  after: number,
  until: number,
  opts: { team?: string | undefined } = {},
): Handoff[] {
  const compiled = compileSchedule(schedule);
  const handoffs: Handoff[] = [];
  if (!(until > after)) return handoffs;
  for (const team of compiled.teams.values()) {
    if (opts.team !== undefined && team.id !== opts.team) continue;
    const byInstant = new Map<number, HandoffChange[]>();
    for (const level of LEVELS) {
      const list = timeline(team, overrides, level, after, until + 1, undefined);
      for (let i = 1; i < list.length; i++) {
        const before = list[i - 1]!;
        const next = list[i]!;
        if (before.userId === next.userId) continue;
        const changes = byInstant.get(next.start) ?? [];
        changes.push({
          level,
          from: before.userId,
          to: next.userId,
          fromLayer: layerOf(before),
          toLayer: layerOf(next),
          fromRegion: before.region,
          toRegion: next.region,
        });
        byInstant.set(next.start, changes);
      }
    }
    for (const [at, changes] of byInstant) {
      handoffs.push({
        at,
        team: team.id,
        changes,
        weekend: changes.some((c) => c.toLayer === 'weekend' && c.fromLayer !== 'weekend'),
        key: `oncall-handoff:${team.id}:${new Date(at).toISOString()}`,
      });
    }
  }
  return handoffs.sort((a, b) => a.at - b.at || a.team.localeCompare(b.team));
}

/** [primary, secondary, manager] at `instant`, without repeats and without gaps, in that order. */
export function escalationChain(
  schedule: OncallSchedule,
  overrides: readonly Override[],
  team: string,
  instant: number,
  opts: OnCallOptions = {},
): string[] {
  const compiled = compileSchedule(schedule);
  const t = teamOf(compiled, team);
  const primary = onCallAt(schedule, overrides, team, 'primary', instant, opts);
  const secondary = onCallAt(schedule, overrides, team, 'secondary', instant, opts);
  const answering = [primary, secondary].find((s) => s?.layer !== undefined);
  const layer = t.layers.find((l) => l.id === answering?.layer);
  const region = answering?.region ?? dutyRegion(t, instant);
  const manager = layer?.manager ?? (region === undefined ? undefined : t.managers.get(region));
  const chain: string[] = [];
  for (const id of [primary?.userId, secondary?.userId, manager]) {
    if (id !== undefined && !chain.includes(id)) chain.push(id);
  }
  return chain;
}

function layerOf(shift: Shift): string | undefined {
  return shift.source === 'gap' ? undefined : shift.layer;
}

export function teamOf(compiled: CompiledSchedule, team: string): CompiledTeam {
  const found = compiled.teams.get(team);
  if (!found) {
    throw new RangeError(`unknown on-call team "${team}"; known: ${[...compiled.teams.keys()].join(', ')}`);
  }
  return found;
}

/** The first region (in oncall.regions order) of the team whose daily window contains `instant`. */
function dutyRegion(team: CompiledTeam, instant: number): string | undefined {
  return team.regional.find((layer) =>
    spanIntervals(layer.span, instant, instant + 1).some(([s, e]) => s <= instant && instant < e),
  )?.region;
}

/** Unclipped shifts overlapping [from, to): widen the computed range until both ends are real. */
function levelShifts(
  schedule: OncallSchedule,
  overrides: readonly Override[],
  team: string,
  level: Level,
  from: number,
  to: number,
  opts: OnCallOptions,
): Shift[] {
  const compiled = compileSchedule(schedule);
  const t = teamOf(compiled, team);
  // Widen each side until the shift crossing it begins (ends) inside the computed range.
  let before = DAY_MS;
  let after = DAY_MS;
  for (;;) {
    const list = timeline(t, overrides, level, from - before, to + after, opts.tenantId);
    const first = list.find((s) => s.end > from);
    const last = list.findLast((s) => s.start < to);
    const startReal = before >= MAX_SHIFT_SEARCH_MS || (first?.start ?? 0) > from - before;
    const endReal = after >= MAX_SHIFT_SEARCH_MS || (last?.end ?? 0) < to + after;
    if (startReal && endReal) return list.filter((s) => s.end > from && s.start < to);
    if (!startReal) before = Math.min(before * 4, MAX_SHIFT_SEARCH_MS);
    if (!endReal) after = Math.min(after * 4, MAX_SHIFT_SEARCH_MS);
  }
}

interface LayerWindow {
  layer: CompiledLayer;
  intervals: Interval[];
  cursor: number;
}

/** Contiguous shifts covering exactly [from, to) (clipped to it); tenant layers only for `tenantId`. */
export function timeline(
  team: CompiledTeam,
  overrides: readonly Override[],
  level: Level,
  from: number,
  to: number,
  tenantId: string | undefined,
): Shift[] {
  const cuts = new Set<number>([from, to]);
  const cut = (at: number) => {
    if (at > from && at < to) cuts.add(at);
  };
  const windowOf = (layer: CompiledLayer): LayerWindow => {
    const intervals = spanIntervals(layer.span, from, to);
    for (const [s, e] of intervals) {
      cut(s);
      cut(e);
    }
    return { layer, intervals, cursor: 0 };
  };
  // Highest priority first; the sort is stable, so config order breaks (rejected) ties.
  const staffed = team.layers
    .filter((l) => l.rotations[level] && (l.kind !== 'tenant' || l.tenant === tenantId))
    .sort((a, b) => b.priority - a.priority)
    .map(windowOf);
  for (const w of staffed) for (const at of rotationHandoffs(w.layer.rotations[level]!, from, to)) cut(at);
  const duty = team.regional.map(windowOf);
  const mine = overrides.filter((o) => o.team === team.id && o.level === level && o.from < to && o.to > from);
  for (const o of mine) {
    cut(o.from);
    cut(o.to);
  }

  const instants = [...cuts].sort((a, b) => a - b);
  const out: Shift[] = [];
  for (let i = 0; i + 1 < instants.length; i++) {
    const start = instants[i]!;
    const end = instants[i + 1]!;
    const piece = evaluate(level, staffed, duty, mine, start, end);
    const last = out[out.length - 1];
    if (last && sameAnswer(last, piece)) last.end = end;
    else out.push(piece);
  }
  return out;
}

function activeAt(w: LayerWindow, instant: number): boolean {
  // Instants are visited in ascending order, so each window keeps a cursor.
  while (w.cursor < w.intervals.length && w.intervals[w.cursor]![1] <= instant) w.cursor++;
  const current = w.intervals[w.cursor];
  return current !== undefined && current[0] <= instant;
}

function evaluate(
  level: Level,
  staffed: LayerWindow[],
  duty: LayerWindow[],
  overrides: readonly Override[],
  start: number,
  end: number,
): Shift {
  const onDuty = duty.find((w) => activeAt(w, start))?.layer.region;
  let base: { layer: CompiledLayer; userId: string } | undefined;
  for (const w of staffed) {
    if (!activeAt(w, start)) continue;
    const userId = rotationUserAt(w.layer.rotations[level]!, start);
    if (userId !== undefined) {
      base = { layer: w.layer, userId };
      break;
    }
  }
  const region = base?.layer.region ?? onDuty;
  let answer: CoveredShift | undefined = base && {
    level,
    start,
    end,
    userId: base.userId,
    source: 'layer',
    layer: base.layer.id,
    layerKind: base.layer.kind,
    region,
  };
  for (const o of overrides) {
    if (o.from > start || o.to <= start) continue;
    if (o.replaces !== undefined && answer?.userId !== o.replaces) continue;
    answer = {
      level,
      start,
      end,
      userId: o.userId,
      source: 'override',
      layer: base?.layer.id,
      layerKind: base?.layer.kind,
      region,
      overrideId: o.id,
      replaced: answer?.userId,
    };
  }
  return answer ?? { level, start, end, source: 'gap', region: onDuty };
}

function sameAnswer(a: Shift, b: Shift): boolean {
  if (a.source === 'gap' || b.source === 'gap') return a.source === b.source && a.region === b.region;
  return (
    a.source === b.source &&
    a.userId === b.userId &&
    a.layer === b.layer &&
    a.region === b.region &&
    a.overrideId === b.overrideId &&
    a.replaced === b.replaced
  );
}
