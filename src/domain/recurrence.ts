import { DateTime } from 'luxon';

/**
 * The next instant strictly after `now` at which the wall clock in `zone` reads hour:minute.
 * Luxon applies the zone's DST rules, so "09:00 every day" stays 09:00 local across changes;
 * a wall time skipped by a spring-forward gap resolves to the first valid instant after it.
 */
export function nextDailyAt(
  now: number,
  zone: string,
  hour: number,
  minute = 0,
): { at: number; localDate: string } {
  const local = DateTime.fromMillis(now, { zone });
  let candidate = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= now) candidate = candidate.plus({ days: 1 }).set({ hour, minute });
  return { at: candidate.toMillis(), localDate: candidate.toISODate() as string };
}

/** The fields of a cron expression as node-cron parses them (`L` in day-of-month = last day). */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: Array<number | string>;
  month: number[];
  dayOfWeek: Array<number | string>;
}

const MAX_DAYS_AHEAD = 366 * 5;

/**
 * The first instant strictly after `now` at which the cron fields match the wall clock in `zone`,
 * or undefined if none within five years (e.g. 31 February). Follows Vixie cron: when both
 * day-of-month and day-of-week are restricted, a day matching either runs. A wall time that a
 * DST gap skips runs at the first valid instant after it (like `nextDailyAt`); a repeated wall
 * time runs once, at its first (earlier-offset) occurrence.
 */
export function nextCronAt(fields: CronFields, zone: string, now: number): number | undefined {
  const domAll = fields.dayOfMonth.length >= 31 && !fields.dayOfMonth.includes('L');
  const dowAll = new Set(fields.dayOfWeek.map((d) => Number(d) % 7)).size >= 7;
  const months = new Set(fields.month);
  const dows = new Set(fields.dayOfWeek.map((d) => Number(d) % 7));
  const hours = [...fields.hour].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const seconds = [...fields.second].sort((a, b) => a - b);
  let day = DateTime.fromMillis(now, { zone }).startOf('day');
  for (let i = 0; i < MAX_DAYS_AHEAD; i++, day = day.plus({ days: 1 }).startOf('day')) {
    if (!months.has(day.month)) continue;
    const domHit = fields.dayOfMonth.some((d) =>
      d === 'L' ? day.day === day.daysInMonth : Number(d) === day.day,
    );
    const dowHit = dows.has(day.weekday % 7);
    const dayOk = domAll || dowAll ? domHit && dowHit : domHit || dowHit;
    if (!dayOk) continue;
    for (const hour of hours)
      for (const minute of minutes)
        for (const second of seconds) {
          const at = day.set({ hour, minute, second, millisecond: 0 });
          // A skipped wall time lands later in the day; keep it only if no earlier match was taken.
          if (at.toMillis() > now && at.day === day.day) return at.toMillis();
        }
  }
  return undefined;
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:mm) of an instant in a zone: occurrence keys. */
export function localStamp(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}
