// The monthly SLA report of one tenant: response times per severity, every breach with its
// evidence, availability against the SLO, and the credit exposure from the contract's terms
// with the arithmetic spelled out, so the team can show a customer exactly how a figure came
// about. Pure: the clocks are recomputed from the timeline by the caller and handed in.
//
// Definitions (docs/sla.md, "Reports and credits"):
// - A clock belongs to the month (customer's zone) in which the incident's first clock started.
// - Response time = counted time to the response (coverage and pauses applied, as the contract
//   counts it). Median and p90 use the nearest-rank method: the value at rank ⌈p/100 × n⌉ of
//   the sorted list (the median of 4 values is the 2nd).
// - Measured = responded clocks + breached clocks without a response; compliance = on time ÷
//   measured, so never responding cannot improve the figure. Running clocks not yet breached are
//   pending and not measured.
// - Availability = (minutes of the month − minutes with customer impact) ÷ minutes of the month;
//   impact windows are clipped to the month and overlaps merged, so two incidents at once count once.
// - Credits: (a) breach-count tier + (b) each severity's compliance tier (only with at least the
//   minimum sample) + (c) the availability tier, each a percentage of the monthly fee; the total
//   is then capped. Amounts are whole minor units (cents), rounded half up per line.
import { DateTime } from 'luxon';
import type { BreachRecord, ClockState, PauseInterval } from './clock.js';
import {
  type BreachCountTier,
  type PenaltyTerms,
  SEVERITY_KEYS,
  type Severity,
  type SlaPolicy,
  type ThresholdTier,
} from './types.js';

export interface ReportClock {
  state: ClockState;
  /** First alarm of the incident (evidence). */
  firstAlarmAt?: number;
  /** Reminders that went out (evidence). */
  remindersSent?: ReadonlyArray<{ key: string; at: number }>;
}

export interface ImpactWindow {
  from: number;
  /** Absent while the impact lasts: counted until `now`. */
  to?: number;
  incidentId?: string;
}

export interface ReportInput {
  tenant: string;
  /** YYYY-MM in the customer's zone. */
  month: string;
  zone: string;
  now: number;
  clocks: readonly ReportClock[];
  impacts?: readonly ImpactWindow[];
}

export interface SeverityStats {
  severity: Severity;
  responses: number;
  measured: number;
  onTime: number;
  breaches: number;
  pending: number;
  /** Closed without a response and without a breach (the incident resolved itself). */
  closed: number;
  medianMs?: number;
  p90Ms?: number;
  maxMs?: number;
  /** on time ÷ measured × 100; undefined with nothing measured. */
  compliancePercent?: number;
}

export interface ReportBreach extends BreachRecord {
  incidentId: string;
  firstAlarmAt?: number;
  respondedAt?: number;
  responder?: string;
  pauses: PauseInterval[];
  remindersSent: ReadonlyArray<{ key: string; at: number }>;
}

export interface AvailabilityFigures {
  monthMs: number;
  impactMs: number;
  percent: number;
  sloPercent?: number;
  windows: Array<{ from: number; to: number }>;
}

export interface CreditLine {
  family: 'response-breaches' | 'compliance' | 'availability';
  severity?: Severity;
  percent: number;
  amountMinor: number;
  text: string;
}

export interface SlaReport {
  tenant: string;
  month: string;
  zone: string;
  from: number;
  to: number;
  severities: SeverityStats[];
  breaches: ReportBreach[];
  availability: AvailabilityFigures;
  credits?: {
    currency: string;
    monthlyFeeMinor: number;
    lines: CreditLine[];
    totalMinor: number;
    capMinor?: number;
    creditMinor: number;
    capped: boolean;
  };
  /** The arithmetic, one human-readable line each. */
  lines: string[];
}

/** Nearest-rank percentile of an ascending list: the value at rank ⌈p/100 × n⌉ (1-based). */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** [from, to) of a YYYY-MM month in `zone`; throws on a malformed month. */
export function monthBounds(month: string, zone: string): { from: number; to: number } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  if (!/^\d{4}-\d{2}$/.test(month) || !start.isValid)
    throw new RangeError(`expected a month like 2026-11, found "${month}"`);
  return { from: start.toMillis(), to: start.plus({ months: 1 }).toMillis() };
}

/** Union of [from, to) windows clipped to [lo, hi), sorted and merged. */
export function mergeWindows(
  windows: ReadonlyArray<{ from: number; to: number }>,
  lo: number,
  hi: number,
): Array<{ from: number; to: number }> {
  const clipped = windows
    .map((w) => ({ from: Math.max(w.from, lo), to: Math.min(w.to, hi) }))
    .filter((w) => w.to > w.from)
    .sort((a, b) => a.from - b.from);
  const merged: Array<{ from: number; to: number }> = [];
  for (const w of clipped) {
    const last = merged.at(-1);
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else merged.push({ ...w });
  }
  return merged;
}

export function slaReport(policy: SlaPolicy, input: ReportInput): SlaReport {
  const { from, to } = monthBounds(input.month, input.zone);
  const clocks = input.clocks.filter((c) => c.state.firstStartedAt >= from && c.state.firstStartedAt < to);
  const lines: string[] = [];

  const severities = ([1, 2, 3, 4] as const).map((severity) => severityStats(clocks, severity));
  for (const s of severities) {
    if (s.responses + s.pending + s.breaches + s.closed === 0) continue;
    lines.push(
      `Sev${s.severity}: ${plural(s.responses, 'response')}, median ${minutes(s.medianMs)}, p90 ${minutes(s.p90Ms)}, max ${minutes(s.maxMs)}; ` +
        `${s.onTime} of ${s.measured} on time${s.compliancePercent === undefined ? '' : ` = ${pct(s.compliancePercent)}`}; ` +
        `${plural(s.breaches, 'breach')}${s.pending ? `; ${s.pending} pending` : ''}` +
        `${s.closed ? `; ${s.closed} resolved by themselves before anyone responded (not measured)` : ''}`,
    );
  }

  const breaches: ReportBreach[] = clocks
    .flatMap((c) =>
      c.state.breaches.map((b) => ({
        ...b,
        incidentId: c.state.incidentId,
        ...(c.firstAlarmAt !== undefined ? { firstAlarmAt: c.firstAlarmAt } : {}),
        ...(c.state.respondedAt !== undefined ? { respondedAt: c.state.respondedAt } : {}),
        ...(c.state.responder !== undefined ? { responder: c.state.responder } : {}),
        pauses: c.state.pauses,
        remindersSent: c.remindersSent ?? [],
      })),
    )
    .sort((a, b) => a.breachAt - b.breachAt);

  const windows = mergeWindows(
    (input.impacts ?? []).map((w) => ({ from: w.from, to: w.to ?? input.now })),
    from,
    Math.min(to, Math.max(from, input.now)),
  );
  const monthMs = to - from;
  const impactMs = windows.reduce((sum, w) => sum + (w.to - w.from), 0);
  const availability: AvailabilityFigures = {
    monthMs,
    impactMs,
    percent: ((monthMs - impactMs) / monthMs) * 100,
    ...(policy.penalties?.availability ? { sloPercent: policy.penalties.availability.sloPercent } : {}),
    windows,
  };
  lines.push(
    `Availability: (${minutesOf(monthMs)} − ${minutesOf(impactMs)} impact minutes) ÷ ${minutesOf(monthMs)} = ${pct(availability.percent)}` +
      (availability.sloPercent !== undefined ? ` against an SLO of ${pct(availability.sloPercent)}` : ''),
  );

  const penalties = policy.penalties;
  const report: SlaReport = {
    tenant: input.tenant,
    month: input.month,
    zone: input.zone,
    from,
    to,
    severities,
    breaches,
    availability,
    lines,
  };
  if (penalties) report.credits = credits(penalties, severities, breaches, availability, lines);
  return report;
}

function severityStats(clocks: readonly ReportClock[], severity: Severity): SeverityStats {
  const mine = clocks.filter((c) => c.state.severity === severity);
  const responded = mine.filter((c) => c.state.respondedAt !== undefined);
  const times = responded.map((c) => c.state.elapsedBusinessMs).sort((a, b) => a - b);
  const onTime = responded.filter((c) => !c.state.breached).length;
  const unansweredBreaches = mine.filter((c) => c.state.respondedAt === undefined && c.state.breached).length;
  const measured = responded.length + unansweredBreaches;
  const closed = mine.filter((c) => c.state.status === 'closed').length;
  const median = nearestRank(times, 50);
  const p90 = nearestRank(times, 90);
  const max = times.at(-1);
  return {
    severity,
    responses: responded.length,
    measured,
    onTime,
    breaches: mine.filter((c) => c.state.breached).length,
    pending: mine.length - measured - closed,
    closed,
    ...(median !== undefined ? { medianMs: median } : {}),
    ...(p90 !== undefined ? { p90Ms: p90 } : {}),
    ...(max !== undefined ? { maxMs: max } : {}),
    ...(measured > 0 ? { compliancePercent: (onTime / measured) * 100 } : {}),
  };
}

function credits(
  penalties: PenaltyTerms,
  severities: readonly SeverityStats[],
  breaches: readonly ReportBreach[],
  availability: AvailabilityFigures,
  lines: string[],
): NonNullable<SlaReport['credits']> {
  const { currency } = penalties;
  const digits = minorDigits(currency);
  const feeMinor = Math.round(penalties.monthlyFee * 10 ** digits);
  const money = (minor: number) => formatMoney(minor, digits, currency);
  const share = (percent: number) => Math.round((feeMinor * percent) / 100);
  const fee = money(feeMinor);
  const out: CreditLine[] = [];

  // (a) breach-count tiers
  const counted = penalties.responseBreaches;
  if (counted && counted.tiers.length > 0) {
    const which = counted.severities ?? [1, 2, 3, 4];
    const n = breaches.filter((b) => which.includes(b.severity)).length;
    const tier = breachTier(counted.tiers, n);
    const scope = counted.severities ? ` (Sev${which.join('/Sev')})` : '';
    const noun = `${plural(n, 'breach')}${scope}`;
    const text = tier
      ? `${noun} → tier ${tierLabel(tier)} → ${pct(tier.creditPercent)} × ${fee} = ${money(share(tier.creditPercent))}`
      : `${noun} → no tier → 0 ${currency}`;
    out.push({
      family: 'response-breaches',
      percent: tier?.creditPercent ?? 0,
      amountMinor: tier ? share(tier.creditPercent) : 0,
      text,
    });
  }

  // (b) compliance tiers per severity
  for (const key of SEVERITY_KEYS) {
    const terms = penalties.compliance?.[key];
    if (!terms) continue;
    const severity = (SEVERITY_KEYS.indexOf(key) + 1) as Severity;
    const stats = severities[severity - 1] as SeverityStats;
    let text: string;
    let percent = 0;
    if (stats.measured < terms.minSample || stats.compliancePercent === undefined) {
      text = `Sev${severity} compliance: ${stats.measured} measured < minimum sample ${terms.minSample} → not assessed → 0 ${currency}`;
    } else {
      const tier = thresholdTier(terms.tiers, stats.compliancePercent);
      const measured = `Sev${severity} compliance: ${stats.onTime} of ${stats.measured} on time = ${pct(stats.compliancePercent)}`;
      percent = tier?.creditPercent ?? 0;
      text = tier
        ? `${measured} < ${pct(tier.belowPercent)} → ${pct(percent)} × ${fee} = ${money(share(percent))}`
        : `${measured} → no tier → 0 ${currency}`;
    }
    out.push({ family: 'compliance', severity, percent, amountMinor: share(percent), text });
  }

  // (c) availability tiers
  const slo = penalties.availability;
  if (slo) {
    const tier = thresholdTier(slo.tiers, availability.percent);
    const measured = `Availability ${pct(availability.percent)} (SLO ${pct(slo.sloPercent)})`;
    const percent = tier?.creditPercent ?? 0;
    out.push({
      family: 'availability',
      percent,
      amountMinor: share(percent),
      text: tier
        ? `${measured} < ${pct(tier.belowPercent)} → ${pct(percent)} × ${fee} = ${money(share(percent))}`
        : `${measured} → no tier → 0 ${currency}`,
    });
  }

  const totalMinor = out.reduce((sum, line) => sum + line.amountMinor, 0);
  const capMinor = penalties.capPercent !== undefined ? share(penalties.capPercent) : undefined;
  const creditMinor = capMinor !== undefined ? Math.min(totalMinor, capMinor) : totalMinor;
  lines.push(...out.map((line) => line.text));
  lines.push(
    capMinor !== undefined
      ? `Total ${money(totalMinor)}; cap ${pct(penalties.capPercent as number)} = ${money(capMinor)} → credit ${money(creditMinor)}`
      : `Total ${money(totalMinor)}; no cap → credit ${money(creditMinor)}`,
  );
  return {
    currency,
    monthlyFeeMinor: feeMinor,
    lines: out,
    totalMinor,
    ...(capMinor !== undefined ? { capMinor } : {}),
    creditMinor,
    capped: capMinor !== undefined && totalMinor > capMinor,
  };
}

export function breachTier(tiers: readonly BreachCountTier[], n: number): BreachCountTier | undefined {
  return tiers.find((t) => n >= t.fromBreaches && (t.toBreaches === undefined || n <= t.toBreaches));
}

/** The deepest tier whose threshold the figure is strictly below (tiers run from mildest down). */
export function thresholdTier(tiers: readonly ThresholdTier[], percent: number): ThresholdTier | undefined {
  let found: ThresholdTier | undefined;
  for (const tier of tiers) if (percent < tier.belowPercent) found = tier;
  return found;
}

const tierLabel = (t: BreachCountTier) =>
  t.toBreaches === undefined
    ? `${t.fromBreaches}+`
    : t.toBreaches === t.fromBreaches
      ? `${t.fromBreaches}`
      : `${t.fromBreaches}–${t.toBreaches}`;

/** 10 → "10 %", 99.95 → "99.95 %", 99.86559… → "99.866 %" (at most 3 decimals, as read). */
export function pct(value: number): string {
  return `${Number(value.toFixed(3)).toLocaleString('en-US', { maximumFractionDigits: 3 })} %`;
}

function minutes(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const m = ms / 60_000;
  return `${Number(m.toFixed(1))} min`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : noun.endsWith('h') ? 'es' : 's'}`;

const minutesOf = (ms: number) => Math.round(ms / 60_000).toLocaleString('en-US');

/** Decimals of the currency's minor unit (USD 2, JPY 0); Intl knows them, and gives 2 for unknown codes. */
function minorDigits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) return 2; // Intl would throw; the schema never lets one through
  return (
    new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

/** 500000 cents → "5,000 USD"; 250050 → "2,500.50 USD". */
export function formatMoney(minor: number, digits: number, currency: string): string {
  const major = minor / 10 ** digits;
  const fraction = Number.isInteger(major) ? 0 : digits;
  return `${major.toLocaleString('en-US', { minimumFractionDigits: fraction, maximumFractionDigits: fraction })} ${currency}`;
}

// ---------------------------------------------------------------------------------------------

const iso = (ms: number | undefined, zone: string) =>
  ms === undefined ? '' : (DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '');

/** One CSV cell: RFC 4180 quoting, and a leading ' on text a spreadsheet would run as a formula. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+@\t\r]|^-(?![\d.])/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as CSV: one header, then rows by section (severity stats, breaches, availability, credits). */
export function reportCsv(report: SlaReport): string {
  const rows: Array<Array<string | number | undefined>> = [
    ['section', 'tenant', 'month', 'severity', 'incident', 'metric', 'value', 'unit', 'detail'],
  ];
  const row = (
    section: string,
    severity: string | undefined,
    incident: string | undefined,
    metric: string,
    value: string | number | undefined,
    unit: string | undefined,
    detail?: string,
  ) => rows.push([section, report.tenant, report.month, severity, incident, metric, value, unit, detail]);
  const z = report.zone;
  for (const s of report.severities) {
    const sev = `sev${s.severity}`;
    row('responses', sev, undefined, 'responses', s.responses, 'count');
    row('responses', sev, undefined, 'measured', s.measured, 'count');
    row('responses', sev, undefined, 'on_time', s.onTime, 'count');
    row('responses', sev, undefined, 'breaches', s.breaches, 'count');
    row('responses', sev, undefined, 'median', s.medianMs, 'ms', 'nearest-rank');
    row('responses', sev, undefined, 'p90', s.p90Ms, 'ms', 'nearest-rank');
    row('responses', sev, undefined, 'max', s.maxMs, 'ms');
    row(
      'responses',
      sev,
      undefined,
      'compliance',
      s.compliancePercent === undefined ? undefined : round(s.compliancePercent),
      'percent',
    );
  }
  for (const b of report.breaches) {
    const detail = [
      b.firstAlarmAt !== undefined ? `first alarm ${iso(b.firstAlarmAt, z)}` : undefined,
      `clock start ${iso(b.startedAt, z)}`,
      ...b.pauses.map((p) => `paused ${iso(p.from, z)}–${iso(p.to, z) || 'open'} (${p.reason})`),
      b.respondedAt !== undefined
        ? `responded ${iso(b.respondedAt, z)}${b.responder ? ` by ${b.responder}` : ''}`
        : 'no response',
      b.remindersSent.length > 0
        ? `reminders ${b.remindersSent.map((r) => iso(r.at, z)).join(', ')}`
        : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    row('breach', `sev${b.severity}`, b.incidentId, 'breach_at', iso(b.breachAt, z), 'time', detail);
  }
  const a = report.availability;
  row(
    'availability',
    undefined,
    undefined,
    'availability',
    round(a.percent),
    'percent',
    a.sloPercent !== undefined ? `SLO ${a.sloPercent} %` : undefined,
  );
  row('availability', undefined, undefined, 'impact', a.impactMs, 'ms', `${a.windows.length} merged windows`);
  if (report.credits) {
    const c = report.credits;
    const major = (minor: number) => minor / 10 ** minorDigits(c.currency);
    for (const line of c.lines)
      row(
        'credit',
        line.severity ? `sev${line.severity}` : undefined,
        undefined,
        line.family,
        major(line.amountMinor),
        c.currency,
        line.text,
      );
    row('credit', undefined, undefined, 'total', major(c.totalMinor), c.currency);
    if (c.capMinor !== undefined) row('credit', undefined, undefined, 'cap', major(c.capMinor), c.currency);
    row(
      'credit',
      undefined,
      undefined,
      'credit',
      major(c.creditMinor),
      c.currency,
      c.capped ? 'capped' : undefined,
    );
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const round = (n: number) => Number(n.toFixed(4));
