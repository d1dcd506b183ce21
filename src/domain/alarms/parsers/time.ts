// Timestamps from the wire, as epoch milliseconds. Hand-rolled rather than Date.parse:
// Alertmanager sends nanosecond fractions and the `0001-01-01T00:00:00Z` "no end" marker,
// and Date's two-digit-year and lenient-format quirks must not decide an SLA clock.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const daysInMonth = (y: number, m: number) =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * Epoch ms of an RFC 3339 time, or undefined when it is not one or is Go's zero time
 * (year 1), which Alertmanager uses for "no end".
 */
export function parseRfc3339(text: unknown): number | undefined {
  const read = readRfc3339(text);
  return typeof read === 'number' ? read : undefined;
}

/** Whether `text` is an RFC 3339 time, Go's zero time `0001-01-01T00:00:00Z` included. */
export function isRfc3339(text: unknown): boolean {
  return readRfc3339(text) !== undefined;
}

// Times already read: the alerts of a group mostly share their startsAt (and Go's zero endsAt),
// and each time is read more than once (validated, then parsed). Cleared wholesale when full:
// bounded and simple. Invisible to callers, the function stays pure.
const known = new Map<string, number | 'zero' | undefined>();
const KNOWN_LIMIT = 256;

function readRfc3339(text: unknown): number | 'zero' | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  if (known.has(text)) return known.get(text);
  const read = readUncached(text);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(text, read);
  return read;
}

function readUncached(text: string): number | 'zero' | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y === 1 && mo === 1 && d === 1 && h === 0 && mi === 0 && s === 0) return 'zero';
  if (y <= 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMin = m[8] ? 0 : sign * (Number(m[10]) * 60 + Number(m[11]));
  const utc = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi - offsetMin) * 60_000 + s * 1000 + ms;
  return Number.isFinite(utc) ? utc : undefined;
}

// Epoch numbers below this are seconds: as milliseconds they would fall before 1973,
// as seconds they reach the year 5138.
const SECONDS_BELOW = 1e11;
// The largest instant a JavaScript Date can hold.
const MAX_EPOCH_MS = 8.64e15;

/** A timestamp that may be RFC 3339, epoch seconds or epoch milliseconds (number or digits). */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    const ms = Math.round(value < SECONDS_BELOW ? value * 1000 : value);
    return ms <= MAX_EPOCH_MS ? ms : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d{9,13}(?:\.\d{1,6})?$/.test(trimmed)) return parseTimestamp(Number(trimmed));
  return parseRfc3339(trimmed);
}
