// From contract terms as written to the policy clocks run on: defaults for whatever the
// contract leaves out (and a notice saying so), and the checks that reject terms which
// contradict each other. The config schema runs checkSlaTerms so an operator sees each
// problem at its `file:line: path`; resolveSlaPolicy runs at start and its notices are logged.
import { parseDuration } from '../clock.js';
import { businessDayMs, businessMsBetween, nextBusinessDayClose } from './calendar.js';
import {
  type BreachCountTier,
  type BusinessHoursCalendar,
  type BusinessHoursTerms,
  type CoverageCalendar,
  type CoverageKind,
  NEXT_BUSINESS_DAY,
  RESPONSE_KINDS,
  type ReminderTerms,
  type ResponseTarget,
  SEVERITY_KEYS,
  type Severity,
  type SeverityKey,
  type SeverityPolicy,
  type SlaNote,
  type SlaPolicy,
  type SlaRole,
  type SlaTerms,
  type ThresholdTier,
} from './types.js';

const MINUTE = 60_000;

/** Defaults when the contract is silent (issue 10): Sev1 30 min, Sev2 2 h, Sev3 8 business hours, Sev4 next business day. */
export const DEFAULT_SEVERITY_TERMS: Readonly<
  Record<SeverityKey, { response: string; coverage: CoverageKind; reminders: ReminderTerms[] }>
> = {
  sev1: {
    response: '30m',
    coverage: '24x7',
    reminders: [
      { afterMinutes: 10, notify: ['primary'] },
      { afterMinutes: 20, notify: ['secondary'] },
      { afterMinutes: 25, notify: ['manager'] },
    ],
  },
  sev2: {
    response: '2h',
    coverage: '24x7',
    reminders: [
      { afterMinutes: 60, notify: ['primary'] },
      { afterMinutes: 90, notify: ['secondary'] },
      { afterMinutes: 110, notify: ['manager'] },
    ],
  },
  sev3: {
    response: '8h',
    coverage: 'business-hours',
    reminders: [
      { afterMinutes: 240, notify: ['primary'] },
      { afterMinutes: 420, notify: ['secondary'] },
    ],
  },
  sev4: { response: NEXT_BUSINESS_DAY, coverage: 'business-hours', reminders: [] },
};

export const DEFAULT_BUSINESS_HOURS = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
} as const;
export const DEFAULT_PAUSE_REASONS = ['waiting-on-customer'] as const;
export const DEFAULT_ESCALATION: readonly SlaRole[] = ['primary', 'secondary', 'manager', 'csm'];
export const DEFAULT_BREACH_NOTIFY: readonly SlaRole[] = ['manager', 'csm'];

const severityOf = (key: SeverityKey): Severity => (SEVERITY_KEYS.indexOf(key) + 1) as Severity;
const legacyKey = (key: SeverityKey) => `${key}ResponseMinutes` as const;

/** "30m" / "8h" / "next-business-day" → target; undefined when the text is neither. */
export function parseResponseTarget(text: string): ResponseTarget | undefined {
  if (text.trim().toLowerCase() === NEXT_BUSINESS_DAY) return { kind: 'next-business-day' };
  const ms = parseDuration(text);
  return ms !== undefined && ms >= MINUTE ? { kind: 'duration', ms } : undefined;
}

/** "HH:MM" or "24:00" → minutes after midnight; undefined otherwise. */
export function parseLocalTime(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

export function businessHoursCalendar(
  terms: BusinessHoursTerms | undefined,
  tenantZone: string,
): BusinessHoursCalendar {
  return {
    kind: 'business-hours',
    zone: terms?.zone ?? tenantZone,
    weekdays: terms?.weekdays ?? DEFAULT_BUSINESS_HOURS.weekdays,
    startMinute: parseLocalTime(terms?.start ?? DEFAULT_BUSINESS_HOURS.start) ?? 540,
    endMinute: parseLocalTime(terms?.end ?? DEFAULT_BUSINESS_HOURS.end) ?? 1020,
    holidays: terms?.holidays ?? [],
  };
}

/** Where a severity's target came from: the old flat field, the severities block, or the default. */
function targetSource(terms: SlaTerms, key: SeverityKey) {
  const legacy = terms[legacyKey(key)];
  if (legacy !== undefined)
    return { text: `${legacy}m`, path: [legacyKey(key)], label: legacyKey(key), given: true };
  const response = terms.severities?.[key]?.response;
  if (response !== undefined)
    return {
      text: response,
      path: ['severities', key, 'response'],
      label: `severities.${key}.response`,
      given: true,
    };
  return { text: DEFAULT_SEVERITY_TERMS[key].response, path: [], label: `the ${key} default`, given: false };
}

function coverageOf(terms: SlaTerms, key: SeverityKey): CoverageKind {
  return terms.severities?.[key]?.coverage ?? terms.coverage ?? DEFAULT_SEVERITY_TERMS[key].coverage;
}

/** Fills in the defaults; every severity the contract does not set gets a notice saying what applies instead. */
export function resolveSlaPolicy(
  terms: SlaTerms | undefined,
  tenantZone: string,
): { policy: SlaPolicy; warnings: SlaNote[] } {
  const given = terms ?? {};
  const businessHours = businessHoursCalendar(given.businessHours, tenantZone);
  const warnings: SlaNote[] = [];
  const severities = {} as Record<Severity, SeverityPolicy>;
  for (const key of SEVERITY_KEYS) {
    const source = targetSource(given, key);
    const coverage = coverageOf(given, key);
    const calendar: CoverageCalendar = coverage === '24x7' ? { kind: '24x7' } : businessHours;
    const response =
      parseResponseTarget(source.text) ??
      (parseResponseTarget(DEFAULT_SEVERITY_TERMS[key].response) as ResponseTarget);
    const reminders = given.severities?.[key]?.reminders ?? DEFAULT_SEVERITY_TERMS[key].reminders;
    if (!source.given) {
      warnings.push({
        path: ['severities', key],
        message: `${key} has no response target; using the default ${describeTarget(response, calendar)}`,
      });
    }
    severities[severityOf(key)] = {
      severity: severityOf(key),
      response,
      coverage: calendar,
      reminders: [...reminders].sort((a, b) => a.afterMinutes - b.afterMinutes),
    };
  }
  const policy: SlaPolicy = {
    severities,
    pauseReasons: given.pauseReasons ?? DEFAULT_PAUSE_REASONS,
    escalation: given.escalation ?? DEFAULT_ESCALATION,
    breachNotify: given.breachNotify ?? DEFAULT_BREACH_NOTIFY,
    responseOn: given.responseOn ?? RESPONSE_KINDS,
    ...(given.penalties ? { penalties: given.penalties } : {}),
  };
  return { policy, warnings };
}

/** "30m (24x7)", "8h of business hours (mon–fri 09:00–17:00 Europe/London)", "next business day (…)". */
export function describeTarget(target: ResponseTarget, cal: CoverageCalendar): string {
  const where = cal.kind === '24x7' ? '24x7' : `business hours ${describeCalendar(cal)}`;
  if (target.kind === 'next-business-day') return `next business day (close of ${where})`;
  return `${formatMinutes(target.ms / MINUTE)} (${where})`;
}

export function describeCalendar(cal: CoverageCalendar): string {
  if (cal.kind === '24x7') return '24x7';
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const holidays = cal.holidays.length > 0 ? `, ${cal.holidays.length} holidays` : '';
  return `${cal.weekdays.join(',')} ${hhmm(cal.startMinute)}–${hhmm(cal.endMinute)} ${cal.zone}${holidays}`;
}

function formatMinutes(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return minutes > 60 ? `${Math.floor(minutes / 60)}h${minutes % 60}m` : `${minutes}m`;
}

/**
 * The target of a clock that starts at `start`, in counted milliseconds. A next-business-day
 * target becomes the counted time from the start to that close, fixed at the start, so pauses
 * and coverage then work on it as on any other target.
 */
export function targetMsAt(severity: SeverityPolicy, start: number): number {
  const { response, coverage } = severity;
  if (response.kind === 'duration') return response.ms;
  if (coverage.kind === '24x7') return 86_400_000; // rejected by checkSlaTerms; one day if it slips through
  return businessMsBetween(coverage, start, nextBusinessDayClose(coverage, start));
}

/**
 * Contradictions between terms, each at its path under `sla`. Field formats are the schema's
 * job; this checks what needs more than one field. Runs on partly invalid input too.
 */
export function checkSlaTerms(terms: SlaTerms): SlaNote[] {
  const problems: SlaNote[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  // Only the length of a business day matters here, and it does not depend on the zone.
  const calendarFor = (key: SeverityKey): CoverageCalendar =>
    coverageOf(terms, key) === '24x7' ? { kind: '24x7' } : businessHoursCalendar(terms.businessHours, 'UTC');

  const bh = terms.businessHours;
  if (bh?.start !== undefined && bh.end !== undefined) {
    const start = parseLocalTime(bh.start);
    const end = parseLocalTime(bh.end);
    if (start !== undefined && end !== undefined && end <= start)
      add(
        ['businessHours', 'end'],
        `expected a time after start (${bh.start}); overnight windows are not supported`,
      );
  }

  // Targets: said once, never next-business-day on a 24x7 calendar, and never tighter for a less severe level.
  let previous: { key: SeverityKey; label: string; ms: number; given: boolean } | undefined;
  for (const key of SEVERITY_KEYS) {
    const source = targetSource(terms, key);
    if (terms[legacyKey(key)] !== undefined && terms.severities?.[key]?.response !== undefined)
      add(
        ['severities', key, 'response'],
        `expected the ${key} target once: ${legacyKey(key)} already sets it (remove one of the two)`,
      );
    const target = parseResponseTarget(source.text);
    const calendar = calendarFor(key);
    if (!target) continue; // the schema reports the format
    if (target.kind === 'next-business-day' && calendar.kind === '24x7') {
      add(
        source.given ? source.path : ['severities', key, 'coverage'],
        `expected business-hours coverage for a next-business-day target (${key} has 24x7 coverage)`,
      );
    }
    // next-business-day compares as one business day: the least it can be.
    const ms = target.kind === 'duration' ? target.ms : businessDayMs(calendar);
    if (previous && ms < previous.ms && (source.given || previous.given)) {
      const legacyPair =
        source.label.endsWith('ResponseMinutes') && previous.label.endsWith('ResponseMinutes');
      const what = legacyPair
        ? `${previous.label} (${previous.ms / MINUTE})`
        : `${previous.label} (${formatMinutes(previous.ms / MINUTE)})`;
      if (source.given) add(source.path, `expected at least ${what}`);
      else
        add(
          targetSource(terms, previous.key).path,
          `expected at most ${formatMinutes(ms / MINUTE)}, ${source.label}; a less severe level cannot have a tighter target (set ${key} too)`,
        );
    }
    previous = { key, label: source.label, ms, given: source.given };

    // Reminders: ascending, before the target, and only to roles on the escalation chain.
    const chain = terms.escalation ?? DEFAULT_ESCALATION;
    const reminders = terms.severities?.[key]?.reminders ?? [];
    reminders.forEach((reminder, i) => {
      const at = ['severities', key, 'reminders', i];
      const before = reminders[i - 1];
      if (before && reminder.afterMinutes <= before.afterMinutes)
        add([...at, 'afterMinutes'], `expected more than the previous reminder (${before.afterMinutes})`);
      if (target.kind === 'duration' && reminder.afterMinutes * MINUTE >= target.ms)
        add(
          [...at, 'afterMinutes'],
          `expected less than the ${key} target (${target.ms / MINUTE} minutes); the breach itself is notified`,
        );
      (reminder.notify ?? []).forEach((role, r) => {
        if (!chain.includes(role))
          add(
            [...at, 'notify', r],
            `expected a role on the escalation chain (${chain.join(', ')}), found "${role}"`,
          );
      });
    });
  }

  const penalties = terms.penalties;
  if (penalties) {
    const tiers = penalties.responseBreaches?.tiers ?? [];
    checkBreachTiers(tiers, (i, field, message) =>
      add(['penalties', 'responseBreaches', 'tiers', i, field], message),
    );
    for (const key of SEVERITY_KEYS) {
      const compliance = penalties.compliance?.[key];
      if (compliance)
        checkThresholdTiers(compliance.tiers, 100, (i, field, message) =>
          add(['penalties', 'compliance', key, 'tiers', i, field], message),
        );
    }
    if (penalties.availability)
      checkThresholdTiers(
        penalties.availability.tiers,
        penalties.availability.sloPercent,
        (i, field, message) => add(['penalties', 'availability', 'tiers', i, field], message),
      );
  }
  return problems;
}

type TierProblem = (index: number, field: string, message: string) => void;

/** Breach-count tiers: ascending, contiguous, not overlapping, only the last open-ended, credits not falling. */
function checkBreachTiers(tiers: readonly BreachCountTier[], add: TierProblem): void {
  tiers.forEach((tier, i) => {
    const before = tiers[i - 1];
    if (tier.toBreaches !== undefined && tier.toBreaches < tier.fromBreaches)
      add(i, 'toBreaches', `expected at least fromBreaches (${tier.fromBreaches})`);
    if (tier.toBreaches === undefined && i < tiers.length - 1)
      add(i, 'toBreaches', 'expected an upper bound: only the last tier may be open-ended ("and more")');
    if (!before) return;
    const previousEnd = before.toBreaches ?? Number.POSITIVE_INFINITY;
    if (tier.fromBreaches <= previousEnd)
      add(
        i,
        'fromBreaches',
        Number.isFinite(previousEnd)
          ? `expected ${previousEnd + 1}: tiers must be in ascending order without overlap (the previous tier ends at ${previousEnd})`
          : 'expected no tier after an open-ended one',
      );
    else if (tier.fromBreaches > previousEnd + 1)
      add(
        i,
        'fromBreaches',
        `expected ${previousEnd + 1}: a gap after the previous tier (ends at ${previousEnd}) would earn no credit`,
      );
    if (tier.creditPercent < before.creditPercent)
      add(
        i,
        'creditPercent',
        `expected at least the previous tier's ${before.creditPercent} %: more breaches never earn less`,
      );
  });
}

/** Below-threshold tiers: thresholds strictly descending (all at or below `ceiling`), credits not falling. */
function checkThresholdTiers(tiers: readonly ThresholdTier[], ceiling: number, add: TierProblem): void {
  tiers.forEach((tier, i) => {
    const before = tiers[i - 1];
    if (tier.belowPercent > ceiling)
      add(
        i,
        'belowPercent',
        `expected at most ${ceiling} (the target): a tier above it would credit a met target`,
      );
    if (!before) return;
    if (tier.belowPercent >= before.belowPercent)
      add(
        i,
        'belowPercent',
        `expected less than the previous tier's ${before.belowPercent}: list tiers from the mildest shortfall down`,
      );
    if (tier.creditPercent < before.creditPercent)
      add(
        i,
        'creditPercent',
        `expected at least the previous tier's ${before.creditPercent} %: a deeper shortfall never earns less`,
      );
  });
}
