// Recurring instants and spans in a zone, computed from wall-clock fields day by day (so DST
// is handled once, by localInstant). Cron syntax is node-cron's: its parser expands the
// fields and we match them here with node-cron's semantics (day-of-month AND day-of-week, L,
// L-n, nW, LW, dL, d#n), because node-cron itself can only schedule timers, not answer
// "when is the next occurrence after t" for an arbitrary t.
import { parse as parseCron } from 'node-cron';
import { dateOf, daysInMonth, localDay, localInstant, parseWallTime, weekdayOf } from './time.js';
import { type RecurringTime, type Span, WEEKDAYS } from './types.js';

/** How far back/ahead the engine looks for the previous/next occurrence of a rule. */
export const SEARCH_DAYS = 400;

export interface Rule {
  zone: string;
  /** Seconds of the day, ascending. */
  times: number[];
  matchesDay(day: number): boolean;
}

export function compileRecurringTime(time: RecurringTime, defaultZone: string): Rule {
  const zone = time.zone ?? defaultZone;
  if ('cron' in time) {
    const fields = parseCron(time.cron);
    const times: number[] = [];
    for (const h of fields.hour)
      for (const m of fields.minute) for (const s of fields.second) times.push(h * 3600 + m * 60 + s);
    times.sort((a, b) => a - b);
    const months = new Set(fields.month);
    return {
      zone,
      times,
      matchesDay(day) {
        const { year, month, dayOfMonth } = dateOf(day);
        return (
          months.has(month) &&
          matchesDayOfMonth(fields.dayOfMonth, year, month, dayOfMonth) &&
          matchesDayOfWeek(fields.dayOfWeek, year, month, dayOfMonth, weekdayOf(day))
        );
      },
    };
  }
  const second = parseWallTime(time.time);
  if (second === undefined) throw new Error(`schedule not validated: bad wall time ${time.time}`);
  return { zone, times: [second], matchesDay: weekdaySet(time.days) };
}

export function weekdaySet(days: readonly string[] | undefined): (day: number) => boolean {
  if (!days) return () => true;
  const set = new Set(days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])));
  return (day) => set.has(weekdayOf(day));
}

/** Occurrences of the rule on local day `day`, ascending (a skipped time may coincide with another). */
function occurrencesOn(rule: Rule, day: number): number[] {
  if (!rule.matchesDay(day)) return [];
  const instants = rule.times.map((t) => localInstant(day, t, rule.zone));
  return [...new Set(instants)].sort((a, b) => a - b);
}

/** Occurrences in [from, to), ascending. */
export function occurrencesBetween(rule: Rule, from: number, to: number): number[] {
  const out: number[] = [];
  const last = localDay(to, rule.zone) + 1;
  for (let day = localDay(from, rule.zone) - 1; day <= last; day++) {
    for (const at of occurrencesOn(rule, day)) if (at >= from && at < to) out.push(at);
  }
  return out;
}

/** First occurrence strictly after `after`, within SEARCH_DAYS. */
export function nextOccurrence(rule: Rule, after: number): number | undefined {
  const first = localDay(after, rule.zone) - 1;
  for (let day = first; day <= first + SEARCH_DAYS; day++) {
    for (const at of occurrencesOn(rule, day)) if (at > after) return at;
  }
  return undefined;
}

/** Last occurrence at or before `atOrBefore`, within SEARCH_DAYS. */
export function previousOccurrence(rule: Rule, atOrBefore: number): number | undefined {
  const first = localDay(atOrBefore, rule.zone) + 1;
  for (let day = first; day >= first - SEARCH_DAYS; day--) {
    const found = occurrencesOn(rule, day).filter((at) => at <= atOrBefore);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

export type Interval = readonly [start: number, end: number];

/** A span compiled to its start and end rules: active from each start until the next end. */
export interface CompiledSpan {
  start: Rule;
  end: Rule;
}

export function compileSpan(span: Span, zone: string): CompiledSpan {
  if ('from' in span) {
    return { start: compileRecurringTime(span.from, zone), end: compileRecurringTime(span.to, zone) };
  }
  return {
    start: compileRecurringTime({ time: span.start, days: span.days, zone }, zone),
    // The window ends at the first `end` after it started, whatever the day: 22:00–06:00 ends
    // the next morning, and end = start means a full day.
    end: compileRecurringTime({ time: span.end, zone }, zone),
  };
}

/** The span's active intervals overlapping [from, to), merged, ascending; the first may start before `from`. */
export function spanIntervals(span: CompiledSpan, from: number, to: number): Interval[] {
  const starts: number[] = [];
  const before = previousOccurrence(span.start, from);
  if (before !== undefined) starts.push(before);
  for (const at of occurrencesBetween(span.start, from, to)) if (at !== before) starts.push(at);
  const out: [number, number][] = [];
  for (const start of starts) {
    const end = nextOccurrence(span.end, start);
    if (end === undefined || end <= from) continue;
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

function matchesDayOfMonth(field: (number | string)[], year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  return field.some((value) => {
    if (value === day) return true;
    if (value === 'L') return day === last;
    if (typeof value !== 'string') return false;
    const weekday = /^(\d{1,2}|L)W$/.exec(value);
    if (weekday) return nearestWeekday(year, month, weekday[1] === 'L' ? last : Number(weekday[1])) === day;
    const offset = /^L-(\d{1,2})$/.exec(value);
    return offset !== null && last - Number(offset[1]) === day;
  });
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function matchesDayOfWeek(
  field: (number | string)[],
  year: number,
  month: number,
  day: number,
  weekday: number,
): boolean {
  return field.some((value) => {
    if (value === weekday) return true;
    if (typeof value !== 'string') return false;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth) return Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]);
    const lastOf = /^([0-7])L$/i.exec(value);
    return lastOf !== null && Number(lastOf[1]) % 7 === weekday && day + 7 > daysInMonth(year, month);
  });
}
