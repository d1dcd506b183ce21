// Times people type in on-call commands, read on the wall clock of the asker's zone:
// `now`, `2026-12-03T08:00` (or with a space, quoted), `08:00` (today, or tomorrow when past),
// `tomorrow 08:00`, and for the end of a range a duration after the start (`+4h`, `4h`).
// Ambiguous and skipped local times follow the engine's one rule (docs/oncall.md): luxon
// resolves a skipped time forward and a repeated one to its first occurrence.
import { DateTime } from 'luxon';

const DURATION = /^\+?(\d+(?:ms|s|m|h|d|w))+$/i;
const UNIT: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function duration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.toLowerCase().matchAll(/(\d+)(ms|s|m|h|d|w)/g))
    total += Number(n) * (UNIT[unit as string] as number);
  return total;
}

/** An instant, or undefined when the text is not a time this understands. */
export function parseWhen(text: string, now: number, zone: string, relativeTo?: number): number | undefined {
  const t = text.trim();
  if (/^now$/i.test(t)) return now;
  if (relativeTo !== undefined) {
    const ms = duration(t);
    if (ms !== undefined) return relativeTo + ms;
  }
  const tomorrow = /^tomorrow[ T](\d{1,2}:\d{2})$/i.exec(t);
  const base = DateTime.fromMillis(now, { zone });
  const clock = (hhmm: string, day: DateTime) => {
    const [h, m] = hhmm.split(':').map(Number);
    if (h === undefined || m === undefined || h > 23 || m > 59) return undefined;
    return day.set({ hour: h, minute: m, second: 0, millisecond: 0 }).toMillis();
  };
  if (tomorrow) return clock(tomorrow[1] as string, base.plus({ days: 1 }));
  if (/^\d{1,2}:\d{2}$/.test(t)) {
    const today = clock(t, base);
    return today === undefined ? undefined : today > now ? today : clock(t, base.plus({ days: 1 }));
  }
  const iso = DateTime.fromISO(t.replace(' ', 'T'), { zone });
  if (iso.isValid && /^\d{4}-\d{2}-\d{2}/.test(t)) return iso.toMillis();
  return undefined;
}

export const WHEN_EXAMPLES =
  '`now`, `18:00`, `tomorrow 08:00`, `2026-12-03T08:00` (your time zone), and for the end `+4h`';
