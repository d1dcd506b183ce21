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
