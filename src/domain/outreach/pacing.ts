// Quiet hours and the per-tenant rate limit: when may the bot post outreach into a customer's
// channel? Quiet hours are local wall-clock times in the tenant's zone, so "22:00–07:00" means
// what the customer reads on their clock, also on the nights the clocks change. The rule is simply
// "an instant is quiet when its local time is inside the window"; on a spring-forward night a quiet
// end inside the skipped hour ends at the transition, and on a fall-back night the repeated hour
// may be quiet twice. Pure: the caller passes `now`; DST comes from luxon's zone data.
import { DateTime, IANAZone } from 'luxon';
import { MINUTE_MS, type QuietHours, type RateLimit, WEEKDAYS } from './types.js';

export interface PacingSettings {
  /** IANA zone of the tenant (tenants[].timezone). */
  timezone: string;
  quietHours?: QuietHours | undefined;
  rateLimit: RateLimit;
}

export type PostDecision =
  | { ok: true }
  | { ok: false; reason: 'quiet-hours' | 'rate-limit'; nextAllowedAt: number };

/** "HH:MM" (00:00–23:59) → minutes after local midnight, or undefined. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The instants whose wall clock in `zone` reads `minutes` on `date`: one normally, two in a
 * fall-back overlap; in a spring-forward gap (the time does not exist) the transition instant,
 * which is the first moment the clock reads later than it.
 */
function wallClockInstants(zone: IANAZone, date: LocalDate, minutes: number): number[] {
  const wall = Date.UTC(date.year, date.month - 1, date.day, Math.floor(minutes / 60), minutes % 60);
  // Offsets in force around that day (no zone changes its offset twice within ±1 day).
  const offsets = [
    ...new Set([zone.offset(wall - 86_400_000), zone.offset(wall), zone.offset(wall + 86_400_000)]),
  ];
  const valid = offsets
    .map((o) => wall - o * MINUTE_MS)
    .filter((ts) => zone.offset(ts) * MINUTE_MS === wall - ts);
  if (valid.length > 0) return [...new Set(valid)].sort((a, b) => a - b);
  // Gap: binary-search the transition between the two readings of the wall time.
  const before = Math.min(...offsets);
  let lo = wall - Math.max(...offsets) * MINUTE_MS; // reads earlier than `wall` (old offset)
  let hi = wall - before * MINUTE_MS; // reads later than `wall` (new offset)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return [hi];
}

function localDateOf(dt: DateTime): LocalDate {
  return { year: dt.year, month: dt.month, day: dt.day };
}

function nextDate(date: LocalDate): LocalDate {
  return localDateOf(DateTime.fromObject(date, { zone: 'UTC' }).plus({ days: 1 }));
}

/** The first instant after `at` when the wall clock reads `minutes` on `date`, if any. */
function firstAfter(zone: IANAZone, date: LocalDate, minutes: number, at: number): number | undefined {
  return wallClockInstants(zone, date, minutes).find((ts) => ts > at);
}

/** When the quiet period that contains `at` ends, or undefined when `at` is not quiet. */
export function quietUntil(quiet: QuietHours, timezone: string, at: number): number | undefined {
  const zone = IANAZone.create(timezone);
  const dt = DateTime.fromMillis(at, { zone });
  const today = localDateOf(dt);
  if (quiet.days.includes(WEEKDAYS[dt.weekday - 1] as (typeof WEEKDAYS)[number])) {
    return firstAfter(zone, nextDate(today), 0, at) ?? at + MINUTE_MS;
  }
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === undefined || end === undefined || start === end) return undefined;
  const m = dt.hour * 60 + dt.minute;
  const inWindow = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inWindow) return undefined;
  // Ends today when we are before `end` on the clock, else (after a start that wraps midnight) tomorrow.
  const endDate = m < end ? today : nextDate(today);
  return firstAfter(zone, endDate, end, at) ?? firstAfter(zone, nextDate(endDate), end, at) ?? at + MINUTE_MS;
}

/** The first instant ≥ at when fewer than `max` messages were sent in the rolling window (t − W, t]. */
function rateFreeAt(limit: RateLimit, sent: readonly number[], at: number): number {
  const windowMs = limit.windowMinutes * MINUTE_MS;
  const inWindow = sent.filter((t) => t > at - windowMs && t <= at).sort((a, b) => a - b);
  if (inWindow.length < limit.max) return at;
  // When the (k − max)-th oldest leaves the window, max − 1 remain: room for one more.
  return (inWindow[inWindow.length - limit.max] as number) + windowMs;
}

/**
 * May outreach be posted at `now`, given the instants earlier messages were sent? If not, why,
 * and the earliest instant both quiet hours and the rate limit allow (the reason is the first
 * obstacle at `now`).
 */
export function mayPostAt(settings: PacingSettings, sentTimes: readonly number[], now: number): PostDecision {
  const sent = sentTimes.filter((t) => Number.isFinite(t) && t <= now);
  let at = now;
  let reason: 'quiet-hours' | 'rate-limit' | undefined;
  // Each step moves strictly forward; quiet periods and window expiries alternate at most a few times.
  for (let step = 0; step < 64; step++) {
    const quietEnd = settings.quietHours ? quietUntil(settings.quietHours, settings.timezone, at) : undefined;
    if (quietEnd !== undefined) {
      reason ??= 'quiet-hours';
      at = quietEnd;
      continue;
    }
    const free = rateFreeAt(settings.rateLimit, sent, at);
    if (free > at) {
      reason ??= 'rate-limit';
      at = free;
      continue;
    }
    break;
  }
  return reason === undefined ? { ok: true } : { ok: false, reason, nextAllowedAt: at };
}
