// Who was first: did we reach out before the customer told us? The customer's first signal about
// an incident is the earliest matching message from one of their own users in the shared channel
// or case they opened. A signal matches an incident when
//   - its time lies in [openedAt − leadIn, (resolvedAt ?? ∞) + tail], and
//   - it names the incident's cluster (clusterHints, the channel's or the text's cluster names), or,
//     when it names no cluster at all, its text contains one of the incident's words: its cluster,
//     component ids, the tenant's configured keywords, or the vocabulary of its category.
//     A signal that names only other clusters is about something else.
// Staff overrides on the card win over the matching: 'not-related' drops a signal (or, without a
// signal id, every automatic match); 'customer-reported' forces a signal to count (or, without one,
// records that the customer reported it at `at`, default the incident's start).
// A tie goes to the customer: we were first only when our message is strictly earlier.
// Pure: no clock needed; everything is in the arguments.
import type { Category } from '../alarms/types.js';
import { DEFAULT_OUTREACH_SETTINGS } from './defaults.js';
import { type FirstContactSettings, MINUTE_MS } from './types.js';

export interface CustomerSignal {
  /** Stable id (Slack channel + ts, or the Salesforce case id) that overrides name; default kind:at. */
  id?: string | undefined;
  at: number;
  kind: 'customer-message' | 'customer-case';
  text: string;
  /** Cluster ids the signal names (from the text or where it was posted), lowercase or not. */
  clusterHints: readonly string[];
  link?: string | undefined;
}

export interface StaffOverride {
  kind: 'customer-reported' | 'not-related';
  signalId?: string | undefined;
  /** For 'customer-reported' without a signal: when the customer reported it. */
  at?: number | undefined;
}

export interface FirstContactIncident {
  tenantId: string;
  cluster: string;
  category: Category;
  openedAt: number;
  resolvedAt?: number | null | undefined;
  members?: ReadonlyArray<{ componentId: string }> | undefined;
  overrides?: readonly StaffOverride[] | undefined;
}

export interface FirstSignal {
  /** The signal's id, or 'staff-override' when staff said so without naming one. */
  id: string;
  at: number;
  kind: CustomerSignal['kind'] | 'staff-override';
  link?: string | undefined;
}

export interface FirstContactResult {
  weWereFirst: boolean;
  /** Customer's first signal − our outreach, in ms (negative: they were earlier); null without both. */
  leadMs: number | null;
  firstSignal: FirstSignal | undefined;
}

export const DEFAULT_FIRST_CONTACT: FirstContactSettings = DEFAULT_OUTREACH_SETTINGS.firstContact;

const CATEGORY_WORDS: Record<Category, readonly string[]> = {
  network: ['network', 'link', 'latency', 'packet', 'unreachable', 'timeout', 'timed out', 'connect'],
  'compute-node': ['node', 'nfs', 's3', 'smb', 'unreachable', 'timeout', 'timed out', 'connect', 'mount'],
  'storage-node': ['node', 'drive', 'disk', 'ssd', 'degraded', 'rebuild', 'slow', 'error'],
  'kubernetes-csi': ['csi', 'pvc', 'mount', 'volume', 'pod', 'attach'],
  capacity: ['capacity', 'full', 'space', 'quota', 'usage'],
  performance: ['slow', 'latency', 'checkpoint', 'throughput', 'iops', 'stall'],
  other: [],
  unclassified: [],
};

function wordsOf(incident: FirstContactIncident, settings: FirstContactSettings): string[] {
  return [
    incident.cluster,
    ...(incident.members ?? []).map((m) => m.componentId),
    ...settings.keywords,
    ...CATEGORY_WORDS[incident.category],
  ]
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length >= 2);
}

function containsWord(text: string, word: string): boolean {
  // Whole words (plurals too): "node" matches "nodes" but not "anode"; ids with dashes match as written.
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}(s|es)?($|[^a-z0-9])`).test(text);
}

/** Does this signal belong to this incident by time and cluster/keywords (before overrides)? */
export function signalMatches(
  incident: FirstContactIncident,
  signal: CustomerSignal,
  settings: FirstContactSettings = DEFAULT_FIRST_CONTACT,
): boolean {
  const from = incident.openedAt - settings.leadInMinutes * MINUTE_MS;
  const until =
    incident.resolvedAt === null || incident.resolvedAt === undefined
      ? Number.POSITIVE_INFINITY
      : incident.resolvedAt + settings.tailMinutes * MINUTE_MS;
  if (!(signal.at >= from && signal.at <= until)) return false;
  const hints = signal.clusterHints.map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (hints.length > 0) return hints.includes(incident.cluster.toLowerCase());
  const text = signal.text.toLowerCase();
  return wordsOf(incident, settings).some((w) => containsWord(text, w));
}

function idOf(s: CustomerSignal): string {
  return s.id ?? `${s.kind}:${s.at}`;
}

export function firstContact(
  incident: FirstContactIncident,
  ourOutreachAt: number | undefined,
  customerSignals: readonly CustomerSignal[],
  settings: FirstContactSettings = DEFAULT_FIRST_CONTACT,
): FirstContactResult {
  const matched = new Map<string, FirstSignal>();
  const asFirst = (s: CustomerSignal): FirstSignal => ({ id: idOf(s), at: s.at, kind: s.kind, link: s.link });
  for (const s of customerSignals) {
    if (signalMatches(incident, s, settings)) matched.set(idOf(s), asFirst(s));
  }
  for (const o of incident.overrides ?? []) {
    if (o.kind === 'not-related') {
      if (o.signalId === undefined) matched.clear();
      else matched.delete(o.signalId);
    } else if (o.signalId !== undefined) {
      const s = customerSignals.find((c) => idOf(c) === o.signalId);
      if (s) matched.set(idOf(s), asFirst(s));
    } else {
      matched.set('staff-override', {
        id: 'staff-override',
        at: o.at ?? incident.openedAt,
        kind: 'staff-override',
      });
    }
  }
  const firstSignal = [...matched.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))[0];
  const weWereFirst =
    ourOutreachAt !== undefined && (firstSignal === undefined || ourOutreachAt < firstSignal.at);
  const leadMs =
    ourOutreachAt !== undefined && firstSignal !== undefined ? firstSignal.at - ourOutreachAt : null;
  return { weWereFirst, leadMs, firstSignal };
}

export interface OutreachStatsItem {
  incidentId: number;
  /** Human reference and link for the misses list (e.g. INC-12 and the card's permalink). */
  ref?: string | undefined;
  link?: string | undefined;
  openedAt: number;
  /** A detector judged it customer-impacting, or we reached out about it. */
  customerImpacting: boolean;
  ourOutreachAt?: number | undefined;
  result: FirstContactResult;
}

export interface OutreachMiss {
  incidentId: number;
  ref?: string | undefined;
  link?: string | undefined;
  openedAt: number;
  /** 'customer-first': they told us before our message; 'no-outreach': we never wrote. */
  why: 'customer-first' | 'no-outreach';
  customerAt?: number | undefined;
  ourOutreachAt?: number | undefined;
}

export interface OutreachStats {
  from: number;
  to: number;
  /** Customer-impacting incidents opened in [from, to). */
  impacting: number;
  /** … of which we were first. */
  proactive: number;
  /** proactive ÷ impacting, or null when nothing was impacting. */
  proactiveRate: number | null;
  /** Median of leadMs over the proactive incidents the customer later signalled about; null if none. */
  medianLeadMs: number | null;
  misses: OutreachMiss[];
}

/**
 * Proactive rate, median lead and misses over incidents opened in [from, to). An incident the
 * customer signalled about counts as customer-impacting even when no detector said so: they felt it.
 */
export function outreachStats(
  items: readonly OutreachStatsItem[],
  period: { from: number; to: number },
): OutreachStats {
  const impacting = items
    .filter((i) => i.openedAt >= period.from && i.openedAt < period.to)
    .filter((i) => i.customerImpacting || i.result.firstSignal !== undefined || i.result.weWereFirst)
    .sort((a, b) => a.openedAt - b.openedAt || a.incidentId - b.incidentId);
  const proactive = impacting.filter((i) => i.result.weWereFirst);
  const leads = proactive
    .map((i) => i.result.leadMs)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b);
  const mid = Math.floor(leads.length / 2);
  const medianLeadMs =
    leads.length === 0
      ? null
      : leads.length % 2 === 1
        ? (leads[mid] as number)
        : ((leads[mid - 1] as number) + (leads[mid] as number)) / 2;
  const misses: OutreachMiss[] = impacting
    .filter((i) => !i.result.weWereFirst)
    .map((i) => ({
      incidentId: i.incidentId,
      ref: i.ref,
      link: i.link,
      openedAt: i.openedAt,
      why: i.ourOutreachAt === undefined ? 'no-outreach' : 'customer-first',
      customerAt: i.result.firstSignal?.at,
      ourOutreachAt: i.ourOutreachAt,
    }));
  return {
    from: period.from,
    to: period.to,
    impacting: impacting.length,
    proactive: proactive.length,
    proactiveRate: impacting.length === 0 ? null : proactive.length / impacting.length,
    medianLeadMs,
    misses,
  };
}
