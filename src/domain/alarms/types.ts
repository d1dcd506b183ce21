// The normalized alarm every intake door produces, and the vocabulary of triage.
// Pure types: no I/O. Parsers turn raw input into ParsedAlarm; classification adds
// category/severity; the incident engine groups alarms into incidents.

export const SEVERITIES = [1, 2, 3, 4] as const;
/** Sev1 (most urgent) … Sev4. */
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'network',
  'compute-node',
  'storage-node',
  'kubernetes-csi',
  'capacity',
  'performance',
  'other',
  'unclassified',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const COMPONENT_KINDS = [
  'cnode',
  'dnode',
  'nic',
  'switch',
  'link',
  'ssd',
  'nvram',
  'fan',
  'psu',
  'k8s-csi',
  'volume',
  'capacity',
  'performance',
  'cluster',
  'other',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export type AlarmStatus = 'firing' | 'resolved';

export type AlarmSource = 'slack' | 'alertmanager' | 'vms';

/** Which parser understood the input (for the timeline and for debugging rules). */
export type AlarmFormat =
  | 'vms-text'
  | 'alertmanager-slack'
  | 'alertmanager-webhook'
  | 'vms-webhook'
  | 'key-value'
  | 'unparseable';

/** What a parser could read from the input, before classification rules run. */
export interface ParsedAlarm {
  format: AlarmFormat;
  /** Alarm/event name as the source calls it (e.g. DNODE_DOWN, NodeDown). */
  name: string;
  status: AlarmStatus;
  cluster?: string;
  site?: string;
  componentKind?: ComponentKind;
  componentId?: string;
  /** Severity as the source said it, before mapping (e.g. CRITICAL, critical, P1). */
  sourceSeverity?: string;
  summary: string;
  labels: Record<string, string>;
  /** Stable identity of "this alarm on this object" across firing/resolved (e.g. Alertmanager fingerprint). */
  fingerprint?: string;
  /** Epoch ms when the alarm started, if the source said so. */
  startsAt?: number;
  endsAt?: number;
}

/** A classified alarm: what the incident engine works with. */
export interface NormalizedAlarm extends ParsedAlarm {
  tenantId: string;
  source: AlarmSource;
  category: Category;
  severity: Severity;
  componentKind: ComponentKind;
  componentId: string;
  cluster: string;
  fingerprint: string;
  startsAt: number;
  /** Names of the classification rules that matched, in order (explains the result). */
  matchedRules: string[];
}

export function severityLabel(severity: Severity): string {
  return `Sev${severity}`;
}

/** Regexes (or, for number:<fields> keys, comparisons) a classification rule's field must match. */
export type RulePatterns = string | string[];

/**
 * One classification rule as triage reads it (the config schema in config/alarm-schema.ts is
 * checked against this type with `satisfies`, so the domain owns the shape).
 */
export interface ClassificationRule {
  name: string;
  match: Record<string, RulePatterns>;
  set: {
    category?: Category | undefined;
    severity?: Severity | undefined;
    componentKind?: ComponentKind | undefined;
    labels?: Record<string, string> | undefined;
  };
  stop?: boolean | undefined;
}

/** VMS severity levels, least to most urgent (Sev4…Sev1 after classification). */
export const VMS_SEVERITY_LEVELS = ['info', 'minor', 'major', 'critical'] as const;
export type VmsSeverityLevel = (typeof VMS_SEVERITY_LEVELS)[number];

/** Where the fields of a tenant's VMS webhook body are, and what its severity names mean. */
export interface VmsWebhookMapping {
  eventName: string;
  severity: string;
  cluster: string;
  object: string;
  message: string;
  status: string;
  id: string;
  timestamp: string;
  site: string;
  resolvedStatuses: string[];
  severities: Record<string, VmsSeverityLevel>;
  clusterSeverities: Record<string, Record<string, VmsSeverityLevel>>;
}
