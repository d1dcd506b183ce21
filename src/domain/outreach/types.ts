// The vocabulary of proactive outreach: what a detector reads (small structural types, so the
// domain does not depend on the store's row shapes), what it finds, and the per-tenant settings
// the config schema (config/outreach-schema.ts) is checked against with `satisfies`.
// Pure types: no I/O. Units are in the field names (minutes, hours, days) like the SLA config.
import type { AlarmStatus, Category, ComponentKind, Severity } from '../alarms/types.js';

/** One alarm of an incident, as the impact detector and first-contact matching read it. */
export interface OutreachIncidentMember {
  name: string;
  componentKind: ComponentKind;
  componentId: string;
  status: AlarmStatus;
  firstSeen: number;
  lastSeen: number;
  labels: Record<string, string>;
  /** Epoch ms of each firing↔resolved change. */
  transitions: readonly number[];
  /** Alarm text, when the caller has it (used for impact keywords). */
  summary?: string | undefined;
}

export interface OutreachIncident {
  incidentId: number;
  tenantId: string;
  cluster: string;
  category: Category;
  severity: Severity;
  openedAt: number;
  title: string;
  members: readonly OutreachIncidentMember[];
}

/** One alarm as it arrived (firing or resolved): the stream recurring/capacity/performance read. */
export interface OutreachAlarmEvent {
  at: number;
  tenantId: string;
  cluster: string;
  category: Category;
  componentKind: ComponentKind;
  componentId: string;
  name: string;
  status: AlarmStatus;
  summary: string;
  labels: Record<string, string>;
}

/** What the detectors look at: recent incidents and recent alarm events (see lookbackMs). */
export interface OutreachStream {
  incidents: readonly OutreachIncident[];
  events: readonly OutreachAlarmEvent[];
}

export const DETECTORS = ['impact', 'recurring', 'capacity', 'performance'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** Detector-specific numbers and names that explain a finding and fill template placeholders. */
export type FindingFacts = Record<string, string | number | boolean | readonly string[]>;

export interface Finding {
  detector: DetectorName;
  tenantId: string;
  incidentId?: number | undefined;
  /** Identity of the finding: the same trouble seen again yields the same key (idempotency). */
  key: string;
  category: Category;
  cluster: string;
  /** One neutral sentence for people (and the {observation} placeholder). */
  observation: string;
  facts: FindingFacts;
}

// ---- settings (the domain owns the shape; config/outreach-schema.ts satisfies it) ----

export interface ImpactDetectorSettings {
  enabled: boolean;
  /** Incident severities that are candidates at all (default Sev1 and Sev2). */
  severities: Severity[];
  /** An incident opened longer ago than this is not "new" (a restart does not draft old incidents). */
  maxAgeMinutes: number;
  /** Distinct compute nodes down in one incident that mean protocol-serving redundancy is degraded. */
  computeNodesDown: number;
}

export interface RecurringDetectorSettings {
  enabled: boolean;
  /** Firing transitions of one component within the window that count as recurring (default 5). */
  componentCount: number;
  componentWindowMinutes: number;
  /** Component kinds watched for recurrence (default: hardware and network parts). */
  componentKinds: ComponentKind[];
  /** Distinct nodes of one cluster alarming in the same category within the window (default 3). */
  nodeCount: number;
  nodeWindowMinutes: number;
  /** Categories watched for spread across nodes. */
  nodeCategories: Category[];
}

export interface CapacityDetectorSettings {
  enabled: boolean;
  /** Percent used that the forecast must not reach (default 90). */
  thresholdPct: number;
  /** How far ahead to forecast (default 14 days). */
  horizonDays: number;
  /** Samples older than this are ignored by the fit. */
  lookbackDays: number;
  minSamples: number;
  /** First to last sample must span at least this long, so one noisy hour is no trend. */
  minSpanHours: number;
}

export interface PerformanceDetectorSettings {
  enabled: boolean;
  /** "Today": the window ending now that is compared with the same window on previous days. */
  windowHours: number;
  /** Previous days whose mean is the baseline (default 3). */
  priorDays: number;
  /** The cadence range of checkpoint spikes (default 10–15 minutes). */
  minPeriodMinutes: number;
  maxPeriodMinutes: number;
  /** Share of inter-arrival gaps that must sit on the dominant period (or a small multiple of it). */
  regularity: number;
  /** Relative tolerance around the period, e.g. 0.2 = ±20 %. */
  tolerance: number;
  /** Spikes needed in today's window before a cadence is believed. */
  minSpikes: number;
  /** Today is "worse" when spike count or mean magnitude is at least this × the baseline. */
  worseFactor: number;
}

export interface DetectorSettings {
  impact: ImpactDetectorSettings;
  recurring: RecurringDetectorSettings;
  capacity: CapacityDetectorSettings;
  performance: PerformanceDetectorSettings;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface QuietHours {
  /** Local "HH:MM" in the tenant's zone; may be later than `end` (wraps midnight). */
  start: string;
  end: string;
  /** Whole local days that are quiet, e.g. ['sat', 'sun']. */
  days: Weekday[];
}

export interface RateLimit {
  /** At most this many messages sent … */
  max: number;
  /** … in any rolling window of this length. */
  windowMinutes: number;
}

export interface FirstContactSettings {
  /** A customer signal this long before the incident opened can still be about it. */
  leadInMinutes: number;
  /** … and this long after it resolved. */
  tailMinutes: number;
  /** Extra words that tie a customer's message to this tenant's incidents (case-insensitive). */
  keywords: string[];
}

export const TEMPLATE_KINDS = ['initial', 'update', 'closing'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const TEMPLATE_SECTIONS = ['summary', 'impact', 'actions', 'nextUpdate', 'case'] as const;
export type TemplateSection = (typeof TEMPLATE_SECTIONS)[number];

/** Wording of some sections; missing sections fall back to the built-in text. */
export type SectionTexts = Partial<Record<TemplateSection, string>>;

export interface TemplateOverrides {
  /** Initial message, per category; `default` applies to every category without its own. */
  initial: Partial<Record<Category | 'default', SectionTexts>>;
  update: SectionTexts;
  closing: SectionTexts;
}

export interface OutreachSettings {
  enabled: boolean;
  detectors: DetectorSettings;
  quietHours?: QuietHours | undefined;
  rateLimit: RateLimit;
  /** Minutes after which an unanswered draft reminds the on-call (once). */
  draftReminderMinutes: number;
  /** Minutes after which an unanswered draft expires. */
  draftExpiryMinutes: number;
  /** Promised time to the next update, filled into {nextUpdateAt}. */
  updateIntervalMinutes: number;
  /** The customer's own Slack team (workspace) ids: their users' messages are customer signals. */
  customerTeamIds: string[];
  firstContact: FirstContactSettings;
  templates: TemplateOverrides;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
