// On-call load per engineer over a period, so a lead sees who is being burnt out: hours on call
// (any level; overlapping levels count once), the part of it outside the person's own working
// hours (Mon–Fri 09:00–17:00 in their home zone), weekend hours (Saturday and Sunday in that
// zone), pages received, pages outside working hours and Sev1s handled; plus the spread across
// the team. Pure: shifts, pages and zones come in, numbers go out.
import { DateTime } from 'luxon';
import type { Shift } from './types.js';

export interface LoadPage {
  userId: string;
  incidentId: number;
  severity: number;
  at: number;
}

export interface EngineerLoad {
  userId: string;
  hours: number;
  offHoursHours: number;
  weekendHours: number;
  pages: number;
  offHoursPages: number;
  sev1s: number;
}

export interface LoadReport {
  from: number;
  to: number;
  engineers: EngineerLoad[];
  /** Hours on call: fewest, most, and most ÷ mean (1 = perfectly even). */
  spread: { minHours: number; maxHours: number; maxOverMean: number };
}

const HOUR_MS = 3_600_000;
const WORK_START = 9;
const WORK_END = 17;

/** Is `at` inside Mon–Fri 09:00–17:00 on the wall clock of `zone`? */
export function inWorkingHours(at: number, zone: string): boolean {
  const local = DateTime.fromMillis(at, { zone });
  return local.weekday <= 5 && local.hour >= WORK_START && local.hour < WORK_END;
}

export function isWeekend(at: number, zone: string): boolean {
  return DateTime.fromMillis(at, { zone }).weekday >= 6;
}

/** Splits [from, to) at every local hour boundary of `zone` so each piece is one kind of hour. */
function hourPieces(from: number, to: number, zone: string): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = from;
  while (start < to) {
    const next = DateTime.fromMillis(start, { zone }).startOf('hour').plus({ hours: 1 }).toMillis();
    const end = Math.min(next, to);
    pieces.push([start, end]);
    start = end;
  }
  return pieces;
}

/** Merges intervals into disjoint ones (a person on at two levels at once is on call once). */
function union(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function onCallLoad(input: {
  from: number;
  to: number;
  shifts: Shift[];
  pages: LoadPage[];
  /** Everyone to report on (rostered people with no hours show as 0). */
  people: string[];
  zoneOf: (userId: string) => string;
}): LoadReport {
  const { from, to } = input;
  const byUser = new Map<string, Array<[number, number]>>();
  for (const shift of input.shifts) {
    if (shift.source === 'gap') continue;
    const s = Math.max(shift.start, from);
    const e = Math.min(shift.end, to);
    if (e <= s) continue;
    const list = byUser.get(shift.userId) ?? [];
    list.push([s, e]);
    byUser.set(shift.userId, list);
  }
  const people = [...new Set([...input.people, ...byUser.keys(), ...input.pages.map((p) => p.userId)])];
  const engineers = people.map((userId): EngineerLoad => {
    const zone = input.zoneOf(userId);
    let hours = 0;
    let offHours = 0;
    let weekend = 0;
    for (const [s, e] of union(byUser.get(userId) ?? [])) {
      for (const [ps, pe] of hourPieces(s, e, zone)) {
        const h = (pe - ps) / HOUR_MS;
        hours += h;
        if (!inWorkingHours(ps, zone)) offHours += h;
        if (isWeekend(ps, zone)) weekend += h;
      }
    }
    const pages = input.pages.filter((p) => p.userId === userId && p.at >= from && p.at < to);
    return {
      userId,
      hours: round1(hours),
      offHoursHours: round1(offHours),
      weekendHours: round1(weekend),
      pages: pages.length,
      offHoursPages: pages.filter((p) => !inWorkingHours(p.at, zone)).length,
      sev1s: new Set(pages.filter((p) => p.severity === 1).map((p) => p.incidentId)).size,
    };
  });
  engineers.sort((a, b) => b.hours - a.hours || b.pages - a.pages || a.userId.localeCompare(b.userId));
  const hours = engineers.map((e) => e.hours);
  const mean = hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : 0;
  const max = hours.length ? Math.max(...hours) : 0;
  return {
    from,
    to,
    engineers,
    spread: {
      minHours: hours.length ? Math.min(...hours) : 0,
      maxHours: max,
      maxOverMean: mean > 0 ? Math.round((max / mean) * 100) / 100 : 0,
    },
  };
}
