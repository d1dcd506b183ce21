// Business-time arithmetic on a coverage calendar: how much counted time lies between two
// instants, and which instant is N counted milliseconds after another. Business hours are
// wall-clock hours in the customer's zone, so every window is built from the local date with
// Luxon and then measured in real milliseconds: 09:00–17:00 is 8 h on a DST-change day too,
// and a 00:00–24:00 window is 23 h or 25 h on those days, as the wall clock says.
import { DateTime } from 'luxon';
import type { BusinessHoursCalendar as BusinessHours, CoverageCalendar, Weekday } from './types.js';

interface Window {
  start: number;
  end: number;
}

const LUXON_WEEKDAY: Record<Weekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

// A calendar with holidays on every weekday it has would loop forever; no real contract has a
// year without a business day, so give up (loudly) after that.
const MAX_DAYS_WITHOUT_COVERAGE = 366;

const lookups = new WeakMap<BusinessHours, { weekdays: Set<number>; holidays: Set<string> }>();
function lookupOf(cal: BusinessHours) {
  let found = lookups.get(cal);
  if (!found) {
    found = {
      weekdays: new Set(cal.weekdays.map((d) => LUXON_WEEKDAY[d])),
      holidays: new Set(cal.holidays),
    };
    lookups.set(cal, found);
  }
  return found;
}

/** The coverage window of one local day (given as its local midnight), or undefined. */
function windowOn(cal: BusinessHours, day: DateTime): Window | undefined {
  const { weekdays, holidays } = lookupOf(cal);
  if (!weekdays.has(day.weekday) || holidays.has(day.toISODate() as string)) return undefined;
  return { start: atMinute(day, cal.startMinute), end: atMinute(day, cal.endMinute) };
}

function atMinute(day: DateTime, minute: number): number {
  if (minute >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  // A wall time inside a spring-forward gap resolves to the first valid instant after it.
  return day
    .set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 })
    .toMillis();
}

/** Coverage windows ending after `from`, in order, until one starts at or after `until`. */
function* windows(cal: BusinessHours, from: number, until = Number.POSITIVE_INFINITY): Generator<Window> {
  let day = DateTime.fromMillis(from, { zone: cal.zone }).startOf('day');
  let empty = 0;
  for (;;) {
    if (day.toMillis() >= until) return;
    const window = windowOn(cal, day);
    if (window) {
      empty = 0;
      if (window.start >= until) return;
      if (window.end > from) yield window;
    } else if (++empty > MAX_DAYS_WITHOUT_COVERAGE) {
      throw new RangeError(
        `coverage calendar has no business day in a year after ${new Date(from).toISOString()}`,
      );
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
}

/** Whether the instant is covered (counts toward the clock). */
export function isCovered(cal: CoverageCalendar, at: number): boolean {
  if (cal.kind === '24x7') return true;
  const window = windowOn(cal, DateTime.fromMillis(at, { zone: cal.zone }).startOf('day'));
  return window !== undefined && window.start <= at && at < window.end;
}

/** Counted milliseconds in [from, to); 0 when to ≤ from. */
export function businessMsBetween(cal: CoverageCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (cal.kind === '24x7') return to - from;
  let total = 0;
  for (const w of windows(cal, from, to)) total += Math.min(w.end, to) - Math.max(w.start, from);
  return total;
}

/**
 * The earliest instant at which `ms` counted milliseconds have passed since `from`. A sum that
 * is reached exactly at the close of coverage is that close (17:00), not the next opening.
 */
export function addBusinessMs(cal: CoverageCalendar, from: number, ms: number): number {
  if (ms <= 0) return from;
  if (cal.kind === '24x7') return from + ms;
  let rest = ms;
  for (const w of windows(cal, from)) {
    const start = Math.max(w.start, from);
    if (w.end - start >= rest) return start + rest;
    rest -= w.end - start;
  }
  /* c8 ignore next */
  throw new RangeError('unreachable: windows() never ends without an upper bound');
}

/** The next instant at or after `at` that is covered (`at` itself when covered). */
export function nextCoverageStart(cal: CoverageCalendar, at: number): number {
  if (cal.kind === '24x7') return at;
  for (const w of windows(cal, at)) return Math.max(w.start, at);
  /* c8 ignore next */
  throw new RangeError('unreachable');
}

/**
 * "Next business day": the close of coverage on the first business day whose local date is
 * after the local date of `at`. Monday 10:00 → Tuesday's close; Saturday → Monday's close;
 * Monday 20:00 (after hours) → Tuesday's close.
 */
export function nextBusinessDayClose(cal: BusinessHours, at: number): number {
  const nextDay = DateTime.fromMillis(at, { zone: cal.zone }).startOf('day').plus({ days: 1 }).startOf('day');
  for (const w of windows(cal, nextDay.toMillis())) return w.end;
  /* c8 ignore next */
  throw new RangeError('unreachable');
}

/** Nominal length of one business day (wall-clock hours), used to compare targets. */
export function businessDayMs(cal: CoverageCalendar): number {
  return cal.kind === '24x7' ? 86_400_000 : (cal.endMinute - cal.startMinute) * 60_000;
}
