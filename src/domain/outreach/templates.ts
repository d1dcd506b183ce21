// Outreach wording: per-category initial drafts, an update and a closing message, each made of
// the same sections (what happened, impact, what we are doing, next update, case). Tenants may
// override any section's text in config; placeholders like {cluster} are checked at load time
// (placeholderProblems) so a typo is a config error, not a "{clustr}" in a customer's channel.
//
// The renderer produces a neutral structured message — text runs and filled placeholder runs —
// and each edge renders it (mrkdwn for Slack, escaping values there). A placeholder without a value
// becomes a `missing` run the approver sees and fills in before sending. The case section appears
// only when there is a case number; a section whose text is '' is left out.
// Pure: times are formatted in the zone passed in.
import { DateTime } from 'luxon';
import type { Category, Severity } from '../alarms/types.js';
import { formatDuration } from '../clock.js';
import type { Finding, SectionTexts, TemplateKind, TemplateOverrides, TemplateSection } from './types.js';
import { TEMPLATE_SECTIONS } from './types.js';

export const PLACEHOLDERS = {
  customer: 'Customer name (tenants[].name).',
  cluster: 'Cluster id, e.g. sjc-obj-01.',
  observation:
    'What the detector saw, as one sentence (e.g. "nic cnode-4/eth3 … alarmed 5 times within 1 h").',
  component: 'The affected component id, when there is one.',
  title: 'Incident title.',
  severity: 'Incident severity, e.g. Sev1.',
  startedAt: 'When the problem started (local time of the tenant).',
  nextUpdateAt: 'When we promise the next update (local time).',
  resolvedAt: 'When it was resolved (local time).',
  duration: 'How long it lasted (startedAt to resolvedAt), e.g. 1h 20m.',
  caseNumber: 'Salesforce case number.',
  projectedDate: 'Capacity: the date the threshold is projected to be reached (local date).',
  thresholdPct: 'Capacity: the threshold percentage.',
  usedPct: 'Capacity: the latest percent used.',
  count: 'Recurring trouble: how many times / nodes.',
  periodMinutes: 'Performance: the spike cadence in minutes.',
  progress: 'Update: what changed since the last message (written by the approver).',
} as const;
export type PlaceholderName = keyof typeof PLACEHOLDERS;
export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as PlaceholderName[];

export interface TemplateValues {
  customer: string;
  cluster: string;
  observation?: string | undefined;
  component?: string | undefined;
  title?: string | undefined;
  severity?: Severity | undefined;
  startedAt?: number | undefined;
  nextUpdateAt?: number | undefined;
  resolvedAt?: number | undefined;
  caseNumber?: string | undefined;
  projectedAt?: number | undefined;
  thresholdPct?: number | undefined;
  usedPct?: number | undefined;
  count?: number | undefined;
  periodMinutes?: number | undefined;
  progress?: string | undefined;
}

export type MessageRun =
  | { text: string }
  | { placeholder: PlaceholderName; text: string }
  | { missing: PlaceholderName };

export interface MessageSection {
  section: TemplateSection;
  label: string;
  runs: MessageRun[];
}

export interface OutreachMessage {
  kind: TemplateKind;
  category: Category;
  sections: MessageSection[];
  /** Placeholders that had no value (shown to the approver as gaps to fill). */
  missing: PlaceholderName[];
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

function isPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** Unknown placeholders in one template text, as messages (empty when the text is fine). */
export function placeholderProblems(text: string): string[] {
  const unknown = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string).filter((n) => !isPlaceholder(n));
  return [...new Set(unknown)].map(
    (name) =>
      `unknown placeholder {${name}}; known: ${PLACEHOLDER_NAMES.map((n) => `{${n}}`).join(', ')} ` +
      '(e.g. "We see {observation} on {cluster}.")',
  );
}

/** Every unknown placeholder in a set of overrides, with its path inside `templates`. */
export function templateProblems(overrides: TemplateOverrides): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  const check = (path: string[], texts: SectionTexts | undefined) => {
    for (const [section, text] of Object.entries(texts ?? {})) {
      if (typeof text !== 'string') continue;
      for (const message of placeholderProblems(text)) problems.push({ path: [...path, section], message });
    }
  };
  for (const [category, texts] of Object.entries(overrides.initial)) check(['initial', category], texts);
  check(['update'], overrides.update);
  check(['closing'], overrides.closing);
  return problems;
}

const LABELS: Record<TemplateKind, Record<TemplateSection, string>> = {
  initial: {
    summary: 'What happened',
    impact: 'Impact',
    actions: 'What we are doing',
    nextUpdate: 'Next update',
    case: 'Case',
  },
  update: {
    summary: 'Update',
    impact: 'Impact',
    actions: 'What we are doing',
    nextUpdate: 'Next update',
    case: 'Case',
  },
  closing: {
    summary: 'Resolved',
    impact: 'Impact',
    actions: 'What happens now',
    nextUpdate: 'Next update',
    case: 'Case',
  },
};

const COMMON_TAIL = {
  nextUpdate: 'We will send the next update by {nextUpdateAt}.',
  case: 'We are tracking this in case {caseNumber}.',
} satisfies SectionTexts;

type FullTexts = Record<TemplateSection, string>;

const INITIAL_DEFAULT: FullTexts = {
  summary: 'We are seeing a problem on your cluster {cluster}: {observation}.',
  impact: 'You may notice errors or slower responses from {cluster} while we work on it.',
  actions: 'Our engineers are investigating now and will keep you posted in this channel.',
  ...COMMON_TAIL,
};

/** Built-in initial wording; categories not listed use INITIAL_DEFAULT. */
export const DEFAULT_INITIAL: Partial<Record<Category, SectionTexts>> = {
  network: {
    summary: 'We are seeing network trouble on your cluster {cluster}: {observation}.',
    impact: 'Clients may see higher latency, brief connection errors or lower throughput.',
    actions:
      'Our engineers are checking the affected links and switches and working to restore full connectivity.',
  },
  'compute-node': {
    summary:
      'We are seeing a problem with protocol (compute) nodes of your cluster {cluster}: {observation}.',
    impact:
      'Client connections served by the affected nodes may be interrupted and reconnect to other nodes; ' +
      'performance may be lower.',
    actions: 'We are recovering the affected nodes and will arrange a replacement if one is needed.',
  },
  'storage-node': {
    summary: 'We are seeing a problem with a storage enclosure of your cluster {cluster}: {observation}.',
    impact:
      'Data protection is reduced until the affected part is restored, and performance may be lower ' +
      'while the system rebuilds.',
    actions: 'We are restoring the affected part and, if needed, will ship a replacement.',
  },
  'kubernetes-csi': {
    summary: 'We are seeing volume mount problems with your cluster {cluster}: {observation}.',
    impact: 'Pods that use volumes from {cluster} may fail to start or to mount their volumes.',
    actions: 'We are checking the CSI driver and the storage endpoints it uses.',
  },
  capacity: {
    summary: 'Usage on your cluster {cluster} is growing quickly: {observation}.',
    impact:
      'Nothing is affected yet; at this rate {cluster} would reach {thresholdPct} % around {projectedDate}, ' +
      'after which writes may slow down or fail.',
    actions: 'We would like to plan added capacity or a clean-up with you well before then.',
    nextUpdate: 'We will follow up by {nextUpdateAt}.',
  },
  performance: {
    summary: 'We are seeing higher storage latency on your cluster {cluster}: {observation}.',
    impact: 'Checkpoint writes from training jobs may take longer than usual.',
    actions: 'We are analysing the latency pattern and the load around checkpoint writes.',
  },
};

export const DEFAULT_UPDATE: FullTexts = {
  summary: 'An update on the problem on your cluster {cluster}: {progress}',
  impact: '',
  actions: 'We are continuing to work on it.',
  ...COMMON_TAIL,
};

export const DEFAULT_CLOSING: FullTexts = {
  summary: 'The problem on your cluster {cluster} is resolved as of {resolvedAt}.',
  impact: 'It lasted about {duration}.',
  actions: 'We will keep monitoring; reply here if you still see any effect.',
  nextUpdate: '',
  case: 'Case {caseNumber} has the details.',
};

/** The section texts used for one message: built-in, then the tenant's `default`, then its category. */
export function templateFor(
  kind: TemplateKind,
  category: Category,
  overrides?: TemplateOverrides,
): FullTexts {
  if (kind === 'update') return { ...DEFAULT_UPDATE, ...defined(overrides?.update) };
  if (kind === 'closing') return { ...DEFAULT_CLOSING, ...defined(overrides?.closing) };
  return {
    ...INITIAL_DEFAULT,
    ...DEFAULT_INITIAL[category],
    ...defined(overrides?.initial.default),
    ...defined(overrides?.initial[category]),
  };
}

function defined(texts: SectionTexts | undefined): SectionTexts {
  return Object.fromEntries(Object.entries(texts ?? {}).filter(([, v]) => typeof v === 'string'));
}

function formatTime(ms: number, timezone: string): string {
  return DateTime.fromMillis(ms, { zone: timezone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm ZZZZ');
}

function formatDate(ms: number, timezone: string): string {
  return DateTime.fromMillis(ms, { zone: timezone }).setLocale('en-GB').toFormat('ccc d LLL yyyy');
}

function placeholderValue(name: PlaceholderName, v: TemplateValues, timezone: string): string | undefined {
  const time = (ms: number | undefined) => (ms === undefined ? undefined : formatTime(ms, timezone));
  switch (name) {
    case 'severity':
      return v.severity === undefined ? undefined : `Sev${v.severity}`;
    case 'startedAt':
      return time(v.startedAt);
    case 'nextUpdateAt':
      return time(v.nextUpdateAt);
    case 'resolvedAt':
      return time(v.resolvedAt);
    case 'duration':
      return v.startedAt === undefined || v.resolvedAt === undefined
        ? undefined
        : formatDuration(Math.max(0, v.resolvedAt - v.startedAt));
    case 'projectedDate':
      return v.projectedAt === undefined ? undefined : formatDate(v.projectedAt, timezone);
    case 'thresholdPct':
    case 'usedPct':
    case 'count':
    case 'periodMinutes': {
      const n = v[name];
      return n === undefined ? undefined : String(Math.round(n * 10) / 10);
    }
    default: {
      const text = v[name];
      return text === undefined || text.trim() === '' ? undefined : text;
    }
  }
}

/** Fills one template text: literal runs and placeholder runs, in order. */
export function fillTemplate(text: string, values: TemplateValues, timezone: string): MessageRun[] {
  const runs: MessageRun[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (m.index > last) runs.push({ text: text.slice(last, m.index) });
    last = m.index + m[0].length;
    if (!isPlaceholder(name)) {
      runs.push({ text: m[0] }); // unreachable for validated config; shown as written, never dropped
      continue;
    }
    const value = placeholderValue(name, values, timezone);
    runs.push(value === undefined ? { missing: name } : { placeholder: name, text: value });
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}

export interface RenderRequest {
  kind: TemplateKind;
  category: Category;
  values: TemplateValues;
  timezone: string;
  overrides?: TemplateOverrides | undefined;
}

export function renderOutreach(request: RenderRequest): OutreachMessage {
  const texts = templateFor(request.kind, request.category, request.overrides);
  const sections: MessageSection[] = [];
  for (const section of TEMPLATE_SECTIONS) {
    const text = texts[section];
    if (text.trim() === '') continue;
    if (section === 'case' && placeholderValue('caseNumber', request.values, request.timezone) === undefined)
      continue;
    sections.push({
      section,
      label: LABELS[request.kind][section],
      runs: fillTemplate(text, request.values, request.timezone),
    });
  }
  const missing = [
    ...new Set(sections.flatMap((s) => s.runs.flatMap((r) => ('missing' in r ? [r.missing] : [])))),
  ];
  return { kind: request.kind, category: request.category, sections, missing };
}

/** Plain text of a message (for tests, logs and plain-text edges such as Salesforce). */
export function messageText(message: OutreachMessage): string {
  return message.sections
    .map((s) => `${s.label}: ${s.runs.map((r) => ('missing' in r ? `{${r.missing}}` : r.text)).join('')}`)
    .join('\n');
}

/** Template values a finding supplies (the caller adds customer, times and the case number). */
export function valuesFromFinding(finding: Finding): Omit<TemplateValues, 'customer'> {
  const f = finding.facts;
  const num = (key: string) => (typeof f[key] === 'number' ? (f[key] as number) : undefined);
  const str = (key: string) => (typeof f[key] === 'string' ? (f[key] as string) : undefined);
  const components = Array.isArray(f.components) ? (f.components as readonly string[]) : [];
  return {
    cluster: finding.cluster,
    observation: finding.observation,
    component: str('componentId') ?? components[0],
    title: str('title'),
    severity: [1, 2, 3, 4].includes(num('severity') ?? 0) ? (num('severity') as Severity) : undefined,
    projectedAt: num('projectedAt'),
    thresholdPct: num('thresholdPct'),
    usedPct: num('latestPct'),
    count: num('count'),
    periodMinutes: num('periodMinutes'),
  };
}
