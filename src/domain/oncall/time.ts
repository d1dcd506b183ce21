// Wall-clock ↔ instant conversion for the on-call engine. Every local time the engine turns
// into an instant (shift windows, rotation handoffs, weekend spans, cron occurrences) goes
// through `localInstant`, so ONE rule for DST holds everywhere:
//   - a local time skipped by a spring-forward gap moves forward by the length of the gap
//     (02:30 on the night Los Angeles jumps 02:00→03:00 means 03:30) — luxon's behaviour and
//     the one `nextDailyAt` in domain/recurrence.ts already uses;
//   - a local time that happens twice when clocks fall back means its FIRST occurrence (the
//     earlier instant, still on the summer offset). Luxon alone is not consistent here (it
//     picks the later instant in Los Angeles and the earlier in Sydney), hence this module.
// Local dates are "epoch days" (days since 1970-01-01 on the wall calendar), so date maths
// never touches a zone.
import { DateTime, IANAZone } from 'luxon';

export const DAY_MS = 86_400_000;
const zones = new Map<string, IANAZone>();

function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    if (!zone.isValid) throw new Error(`unknown time zone ${name}`);
    zones.set(name, zone);
  }
  return zone;
}

const offsets = new Map<string, Map<number, number>>();
const MINUTE_MS = 60_000;

/** Offset of `zone` from UTC at `instant`, in minutes (e.g. -420 for PDT). */
export function offsetMinutes(zone: string, instant: number): number {
  // Asking Intl costs microseconds and the engine asks thousands of times per answer, so
  // offsets are remembered per UTC minute (zones change offset on whole minutes).
  let byMinute = offsets.get(zone);
  if (!byMinute || byMinute.size > 200_000) {
    byMinute = new Map();
    offsets.set(zone, byMinute);
  }
  const minute = Math.floor(instant / MINUTE_MS);
  let offset = byMinute.get(minute);
  if (offset === undefined) {
    offset = zoneOf(zone).offset(minute * MINUTE_MS);
    byMinute.set(minute, offset);
  }
  return offset;
}

/** The wall-calendar day (epoch day) and second of that day at `instant` in `zone`. */
export function localParts(instant: number, zone: string): { day: number; secondOfDay: number } {
  const local = instant + offsetMinutes(zone, instant) * 60_000;
  const day = Math.floor(local / DAY_MS);
  return { day, secondOfDay: Math.floor((local - day * DAY_MS) / 1000) };
}

export function localDay(instant: number, zone: string): number {
  return localParts(instant, zone).day;
}

/** The instant at which the wall clock in `zone` reads `secondOfDay` on local `day` (DST rule above). */
export function localInstant(day: number, secondOfDay: number, zone: string): number {
  const naive = day * DAY_MS + secondOfDay * 1000;
  // Offsets in force around that wall time; a zone changes offset at most once within 36 h.
  const before = offsetMinutes(zone, naive - 1.5 * DAY_MS);
  const candidates = [before, offsetMinutes(zone, naive), offsetMinutes(zone, naive + 1.5 * DAY_MS)];
  let best: number | undefined;
  for (const offset of candidates) {
    const instant = naive - offset * 60_000;
    if (offsetMinutes(zone, instant) === offset && (best === undefined || instant < best)) best = instant;
  }
  // No offset fits: the wall time was skipped. Read it with the offset before the jump, which
  // lands the same distance past the jump as the wall time was past it (02:30 → 03:30).
  return best ?? naive - before * 60_000;
}

/** 0 = Sunday … 6 = Saturday (cron numbering) of an epoch day. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Calendar fields of an epoch day. */
export function dateOf(day: number): { year: number; month: number; dayOfMonth: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, dayOfMonth: date.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch day of an ISO date (YYYY-MM-DD), or undefined when it is not a real date. */
export function parseIsoDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, dayOfMonth) / DAY_MS;
}

/** Seconds of the day of an "HH:mm" (or "HH:mm:ss") wall time, or undefined when malformed. */
export function parseWallTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** "2026-03-08 15:00" in `zone` (UTC when zone is 'UTC'). */
export function formatLocal(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/** "2026-03-08 15:00–16:00" or "2026-03-08 23:00 – 2026-03-09 01:00" in `zone`. */
export function formatRange(from: number, to: number, zone: string): string {
  const a = formatLocal(from, zone);
  const b = formatLocal(to, zone);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
}
