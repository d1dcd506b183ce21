// The vocabulary of SLA contracts: the terms as an operator writes them (SlaTerms, the shape
// the config schema produces and is checked against) and the resolved policy every clock and
// report reads (SlaPolicy: every severity filled in, durations in ms, calendars with a zone).
// Pure types and constants: no I/O.
import type { Severity } from '../alarms/types.js';

export type { Severity };

export const SEVERITY_KEYS = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type SeverityKey = (typeof SEVERITY_KEYS)[number];

/** Who a reminder or breach notification goes to; the on-call engine and config say who holds each role. */
export const SLA_ROLES = ['primary', 'secondary', 'manager', 'csm'] as const;
export type SlaRole = (typeof SLA_ROLES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** 24x7: every instant counts. business-hours: only the policy's business hours count. */
export const COVERAGE_KINDS = ['24x7', 'business-hours'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/** What counts as the first human response (the clock stops there). */
export const RESPONSE_KINDS = ['ack', 'thread-reply', 'resolve'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/** The response target text that is not a duration: due at the close of the next business day. */
export const NEXT_BUSINESS_DAY = 'next-business-day';

// ---------------------------------------------------------------------------------------------
// As written (config). Everything a contract may leave out is optional; resolveSlaPolicy fills
// in the defaults and says which ones it used.

export interface BusinessHoursTerms {
  /** IANA zone; defaults to the tenant's timezone. */
  zone?: string;
  weekdays?: Weekday[];
  /** Local "HH:MM" the coverage opens each business day. */
  start?: string;
  /** Local "HH:MM" (or "24:00") the coverage closes each business day. */
  end?: string;
  /** Local dates "YYYY-MM-DD" without coverage. */
  holidays?: string[];
}

export interface ReminderTerms {
  /** Counted minutes after the clock start (coverage-aware, pauses excluded). */
  afterMinutes: number;
  notify: SlaRole[];
}

export interface SeverityTerms {
  /** A duration ("30m", "2h", "8h") of counted time, or "next-business-day". */
  response?: string;
  coverage?: CoverageKind;
  reminders?: ReminderTerms[];
}

export interface BreachCountTier {
  fromBreaches: number;
  /** Inclusive; absent on the last tier means "and more". */
  toBreaches?: number;
  creditPercent: number;
}

export interface ThresholdTier {
  /** The tier applies when the measured percentage is strictly below this. */
  belowPercent: number;
  creditPercent: number;
}

export interface ComplianceTerms {
  /** Fewer measured responses than this in a month: compliance is not assessed. */
  minSample: number;
  tiers: ThresholdTier[];
}

export interface AvailabilityTerms {
  sloPercent: number;
  tiers: ThresholdTier[];
}

export interface PenaltyTerms {
  monthlyFee: number;
  /** ISO 4217 code, e.g. USD. */
  currency: string;
  /** Upper bound of all credits in a month, in % of the monthly fee; absent means no cap. */
  capPercent?: number;
  responseBreaches?: { severities?: Severity[]; tiers: BreachCountTier[] };
  compliance?: Partial<Record<SeverityKey, ComplianceTerms>>;
  availability?: AvailabilityTerms;
}

export interface SlaTerms {
  /** The original flat targets, kept: minutes of counted time to first human response. */
  sev1ResponseMinutes?: number;
  sev2ResponseMinutes?: number;
  sev3ResponseMinutes?: number;
  sev4ResponseMinutes?: number;
  /** Coverage for every severity that does not name its own. */
  coverage?: CoverageKind;
  businessHours?: BusinessHoursTerms;
  severities?: Partial<Record<SeverityKey, SeverityTerms>>;
  /** Pause reasons that stop the clock (e.g. waiting-on-customer, set from the card). */
  pauseReasons?: string[];
  /** Escalation chain, in order. */
  escalation?: SlaRole[];
  /** Who hears of a breach. */
  breachNotify?: SlaRole[];
  penalties?: PenaltyTerms;
  /** What stops the clock; default all of RESPONSE_KINDS. */
  responseOn?: ResponseKind[];
}

// ---------------------------------------------------------------------------------------------
// Resolved (what clocks and reports read).

export interface BusinessHoursCalendar {
  kind: 'business-hours';
  zone: string;
  weekdays: readonly Weekday[];
  /** Minutes after local midnight, 0..1439. */
  startMinute: number;
  /** Minutes after local midnight, startMinute+1..1440. */
  endMinute: number;
  holidays: readonly string[];
}

export type CoverageCalendar = { kind: '24x7' } | BusinessHoursCalendar;

export type ResponseTarget = { kind: 'duration'; ms: number } | { kind: 'next-business-day' };

export interface SeverityPolicy {
  severity: Severity;
  response: ResponseTarget;
  coverage: CoverageCalendar;
  /** Ascending afterMinutes, each before the target when the target is a duration. */
  reminders: readonly ReminderTerms[];
}

export interface SlaPolicy {
  severities: Readonly<Record<Severity, SeverityPolicy>>;
  pauseReasons: readonly string[];
  escalation: readonly SlaRole[];
  breachNotify: readonly SlaRole[];
  penalties?: PenaltyTerms;
  responseOn: readonly ResponseKind[];
}

/** A problem or a notice about the terms, at a path relative to the sla block. */
export interface SlaNote {
  path: (string | number)[];
  message: string;
}
