// Inhibition, as in Alertmanager: while a "cause" alarm fires (e.g. a network partition), the
// "symptom" alarms it explains (nodes and volumes of the same cluster looking down) join the
// incident but do not page. Pure: the caller passes the firing sources.
import { labelValue, type Matcher, matchesAll, parseMatchers } from './matchers.js';

export interface InhibitRule {
  name: string;
  /** A firing alarm matching all of these can inhibit. */
  sourceMatchers: Matcher[];
  /** An alarm matching all of these can be inhibited. */
  targetMatchers: Matcher[];
  /** Labels whose values must be identical on source and target (missing on both = equal). */
  equal: string[];
}

export interface InhibitionSource {
  id: string;
  labels: Record<string, string>;
}

export interface Inhibition {
  rule: InhibitRule;
  sourceId: string;
}

/**
 * The first (rule order, then source order) firing source that inhibits the target, if any.
 * Mirrors Alertmanager's `Inhibitor.Mutes`:
 * - the target must match the rule's target matchers and the source its source matchers;
 * - every `equal` label has the same value on both, a missing label reading as '' (so missing on
 *   both sides counts as equal);
 * - when the target also matches the source side, sources that also match the target side are
 *   skipped, so two alarms of the same kind never inhibit each other (and none inhibits itself).
 * `targetId`, when given, additionally excludes the source with that id.
 */
export function findInhibitor(
  targetLabels: Record<string, string>,
  activeSources: readonly InhibitionSource[],
  rules: readonly InhibitRule[],
  targetId?: string,
): Inhibition | undefined {
  for (const rule of rules) {
    if (!matchesAll(rule.targetMatchers, targetLabels)) continue;
    const targetIsAlsoSource = matchesAll(rule.sourceMatchers, targetLabels);
    for (const source of activeSources) {
      if (targetId !== undefined && source.id === targetId) continue;
      if (sameLabels(source.labels, targetLabels)) continue;
      if (!matchesAll(rule.sourceMatchers, source.labels)) continue;
      if (!rule.equal.every((n) => labelValue(source.labels, n) === labelValue(targetLabels, n))) continue;
      if (targetIsAlsoSource && matchesAll(rule.targetMatchers, source.labels)) continue;
      return { rule, sourceId: source.id };
    }
  }
  return undefined;
}

// Alertmanager identifies an alert by its label set; the same labels are the same alarm.
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** The same rules in config form (matchers as strings); also the default of the config file. */
export const DEFAULT_INHIBIT_RULE_SPECS = [
  {
    name: 'partition-inhibits-nodes-and-volumes',
    sourceMatchers: ['alertname=~NETWORK_PARTITION|CLUSTER_UNREACHABLE|ClusterUnreachable|NetworkPartition'],
    targetMatchers: ['component=~cnode|dnode|volume'],
    equal: ['tenant', 'cluster'],
  },
  {
    name: 'cluster-network-inhibits-nodes-and-volumes',
    sourceMatchers: ['component=cluster', 'category=network'],
    targetMatchers: ['component=~cnode|dnode|volume'],
    equal: ['tenant', 'cluster'],
  },
] as const satisfies ReadonlyArray<{
  name: string;
  sourceMatchers: readonly string[];
  targetMatchers: readonly string[];
  equal: readonly string[];
}>;

/**
 * While a whole cluster is partitioned or unreachable, its C-nodes, D-nodes and volumes all look
 * down; those alarms are symptoms, the partition is the one thing to page about. `equal` on
 * tenant and cluster keeps one cluster's partition from hiding another cluster's failures.
 */
export const DEFAULT_INHIBIT_RULES: readonly InhibitRule[] = DEFAULT_INHIBIT_RULE_SPECS.map((spec) => ({
  name: spec.name,
  sourceMatchers: mustParse(spec.sourceMatchers),
  targetMatchers: mustParse(spec.targetMatchers),
  equal: [...spec.equal],
}));

// Only for the constants above: a typo there is a programming error and must fail loudly at start.
function mustParse(words: readonly string[]): Matcher[] {
  const parsed = parseMatchers([...words]);
  if (!parsed.ok) throw new Error(`built-in inhibit rule: ${parsed.problem}`);
  return parsed.matchers;
}
