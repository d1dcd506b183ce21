// Classification: ParsedAlarm → NormalizedAlarm (category, severity, component, identity).
// Rules are data — the tenant's config rules first, then DEFAULT_CLASSIFICATION_RULES — so an
// operator can correct a misjudged alarm without a release. The rule language (docs/alarm-formats.md):
//   match: { <field>: regex | [regex…] }   every key must hold; within a list any regex may match;
//          regexes use RE2 syntax (linear time), ignore case and match anywhere unless anchored
//          fields: name, summary, text (name + "\n" + summary), cluster, site, status,
//                  componentKind, componentId, sourceSeverity, format, labels.<key>
//          !<field>: none of the regexes may match (a missing field reads as "")
//          number:<field>[,<field>…]: ">=90", "<5", ">=80 <90" (all), or a list (any); the number
//                  is the first field's whole value ("93", "93.5%") or else the first percentage
//                  in it ("pool is 93% full")
//   set:   { category?, severity?, componentKind?, labels? } — the first rule to set a field wins
//   stop:  default true — a matching rule ends evaluation
// Matching always reads the parsed alarm, not what earlier rules set.
import { createHash } from 'node:crypto';
import { compileAnyPattern, compilePattern, type PatternOptions } from '../patterns.js';
import { DEFAULT_CLASSIFICATION_RULES } from './default-rules.js';
import { cleanLabels } from './parsers/clean-alarm.js';
import { stringRecord } from './parsers/labels.js';
import { MAX_EXCERPT_CHARS, MAX_INPUT_CHARS, MAX_SUMMARY_CHARS, nonEmpty, oneLine } from './parsers/text.js';
import type { ClassificationRule } from './types.js';
import {
  type AlarmFormat,
  type AlarmSource,
  type AlarmStatus,
  CATEGORIES,
  type Category,
  COMPONENT_KINDS,
  type ComponentKind,
  type NormalizedAlarm,
  type ParsedAlarm,
  SEVERITIES,
  type Severity,
} from './types.js';

export const MATCH_FIELDS = [
  'name',
  'summary',
  'text',
  'cluster',
  'site',
  'status',
  'componentKind',
  'componentId',
  'sourceSeverity',
  'format',
] as const;
type MatchField = (typeof MATCH_FIELDS)[number];
type FieldRef = { field: MatchField } | { label: string };
type Op = '>=' | '>' | '<=' | '<' | '=' | '!=';
type Comparison = { op: Op; value: number };
type Matcher = { negate: boolean } & (
  | { type: 'regex'; ref: FieldRef; patterns: PatternTest[] }
  | { type: 'number'; refs: FieldRef[]; alternatives: Comparison[][] }
);

export interface CompiledRule {
  name: string;
  matchers: Matcher[];
  set: ClassificationRule['set'];
  stop: boolean;
}

/** A rule that cannot be used, with the path inside that rule (for config error messages). */
export interface RuleProblem {
  /** Index of the rule in the list given to compileRules. */
  rule: number;
  path: (string | number)[];
  message: string;
}

export interface CompiledRules {
  /** Usable rules, in order; a rule with any problem is left out entirely. */
  rules: CompiledRule[];
  problems: RuleProblem[];
}

const MAX_PATTERN_CHARS = 2000;
const FIELD_LIST = `${MATCH_FIELDS.join(', ')}, labels.<key>`;

function parseRef(text: string): FieldRef | string {
  if (text.startsWith('labels.')) {
    const label = text.slice('labels.'.length);
    return label ? { label } : 'expected a label name after "labels."';
  }
  if ((MATCH_FIELDS as readonly string[]).includes(text)) return { field: text as MatchField };
  return `unknown field "${text}"; expected one of ${FIELD_LIST}, optionally prefixed by ! or number:`;
}

const COMPARISON = /\s*(>=|<=|!=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(?:,|&&)?/y;

function parseComparisons(text: string): Comparison[] | undefined {
  const out: Comparison[] = [];
  COMPARISON.lastIndex = 0;
  while (COMPARISON.lastIndex < text.length) {
    const m = COMPARISON.exec(text);
    if (!m) return text.slice(COMPARISON.lastIndex).trim() === '' && out.length ? out : undefined;
    out.push({ op: (m[1] === '==' ? '=' : m[1]) as Op, value: Number(m[2]) });
  }
  return out.length ? out : undefined;
}

type PatternTest = (value: string) => boolean;
const RULE_PATTERN: PatternOptions = { anchored: false, caseInsensitive: true };

// Rule patterns match anywhere in the field (anchor with ^…$ to match it whole) and ignore case;
// RE2 semantics, so no rule — built-in or from a tenant's config — can stall on a hostile alarm.
function compileRegex(source: string): PatternTest | string {
  if (source.length > MAX_PATTERN_CHARS) return `pattern longer than ${MAX_PATTERN_CHARS} characters`;
  const compiled = compilePattern(source, RULE_PATTERN);
  if (compiled.ok) return compiled.test;
  return `not a valid regular expression: ${JSON.stringify(source)} — ${compiled.problem}`;
}

type Found = Array<{ path: (string | number)[]; message: string }>;

function compileMatcher(key: string, value: unknown, found: Found): Matcher | undefined {
  const negate = key.startsWith('!');
  const bare = negate ? key.slice(1) : key;
  const isList = Array.isArray(value);
  const list: unknown[] = isList ? value : [value];
  const at = (i: number) => (isList ? ['match', key, i] : ['match', key]);
  const before = found.length;
  if (list.length === 0) found.push({ path: ['match', key], message: 'expected at least one pattern' });
  const texts = list.map((item, i) => {
    if (typeof item === 'string' && item !== '') return item;
    found.push({ path: at(i), message: 'expected a non-empty string' });
    return '';
  });

  if (bare.startsWith('number:')) {
    const refs = bare
      .slice('number:'.length)
      .split(',')
      .map((part) => parseRef(part.trim()));
    for (const ref of refs) if (typeof ref === 'string') found.push({ path: ['match', key], message: ref });
    const alternatives = texts.map((t, i) => {
      const parsed = t ? parseComparisons(t) : [];
      if (!parsed) {
        found.push({
          path: at(i),
          message: `expected comparisons like ">=90" or ">=80 <90", got ${JSON.stringify(t)}`,
        });
      }
      return parsed ?? [];
    });
    if (found.length > before) return undefined;
    return { negate, type: 'number', refs: refs as FieldRef[], alternatives };
  }

  const ref = parseRef(bare);
  if (typeof ref === 'string') found.push({ path: ['match', key], message: ref });
  const patterns = texts.map((t, i) => {
    const re = t ? compileRegex(t) : undefined;
    if (typeof re === 'string') found.push({ path: at(i), message: re });
    return re;
  });
  if (found.length > before || typeof ref === 'string') return undefined;
  return { negate, type: 'regex', ref, patterns: anyOf(texts, patterns as PatternTest[]) };
}

// "Any of these patterns": one RE2 alternation, so a long field is scanned once, not once per
// pattern (the built-in rules have lists of up to five). Each was compiled on its own first,
// for per-item problems.
function anyOf(texts: string[], tests: PatternTest[]): PatternTest[] {
  if (tests.length < 2) return tests;
  const union = compileAnyPattern(texts, RULE_PATTERN);
  return union.ok ? [union.test] : tests;
}

/** Compiles rules once (regexes, comparisons); reports every unusable part in plain words. */
export function compileRules(rules: readonly ClassificationRule[]): CompiledRules {
  const out: CompiledRules = { rules: [], problems: [] };
  if (!Array.isArray(rules)) return out;
  rules.forEach((rule: unknown, index) => {
    const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Partial<ClassificationRule>;
    const found: Found = [];
    const name = nonEmpty(r.name);
    if (!name) found.push({ path: ['name'], message: 'expected a rule name' });
    const match =
      typeof r.match === 'object' && r.match !== null && !Array.isArray(r.match) ? r.match : undefined;
    if (!match) found.push({ path: ['match'], message: 'expected an object of field: pattern(s)' });
    const matchers = Object.entries(match ?? {}).map(([key, value]) => compileMatcher(key, value, found));
    for (const problem of found) out.problems.push({ rule: index, ...problem });
    if (found.length || !name) return;
    const set = typeof r.set === 'object' && r.set !== null ? r.set : {};
    out.rules.push({ name, matchers: matchers as Matcher[], set, stop: r.stop !== false });
  });
  return out;
}

/** "rules[2] (name): match.name[1]: not a valid regular expression …" */
export function describeRuleProblem(problem: RuleProblem, rules?: readonly ClassificationRule[]): string {
  const name = rules?.[problem.rule]?.name;
  const where = problem.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
  return `rules[${problem.rule}]${name ? ` (${name})` : ''}${where ? ` ${where}` : ''}: ${problem.message}`;
}

// Rule sets are compiled once: config arrays are long-lived objects, defaults are a constant.
const cache = new WeakMap<object, CompiledRule[]>();
function compiled(rules: readonly ClassificationRule[]): CompiledRule[] {
  if (!Array.isArray(rules)) return [];
  let hit = cache.get(rules);
  if (!hit) {
    hit = compileRules(rules).rules;
    cache.set(rules, hit);
  }
  return hit;
}

// ---- reading an alarm --------------------------------------------------------------

const FORMATS = [
  'vms-text',
  'alertmanager-slack',
  'alertmanager-webhook',
  'vms-webhook',
  'key-value',
  'unparseable',
] as const satisfies readonly AlarmFormat[];

const SOURCES = ['slack', 'alertmanager', 'vms'] as const satisfies readonly AlarmSource[];

const oneOf = <T extends string>(list: readonly T[], value: unknown): T | undefined =>
  list.find((item) => item === value);
const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const shortText = (value: unknown, max = 500) => {
  const v = nonEmpty(value);
  return v === undefined ? undefined : nonEmpty(oneLine(v, max));
};

/** A ParsedAlarm made safe: classify accepts whatever a caller built, even by hand. */
function sanitize(parsed: ParsedAlarm) {
  const p = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<ParsedAlarm>;
  const name = shortText(p.name, 200) ?? 'unnamed';
  const format = oneOf(FORMATS, p.format) ?? 'unparseable';
  // Unparseable text is only ever remembered as a short excerpt.
  const summaryMax = format === 'unparseable' ? MAX_EXCERPT_CHARS : MAX_SUMMARY_CHARS;
  return {
    format,
    name,
    status: (p.status === 'resolved' ? 'resolved' : 'firing') as AlarmStatus,
    cluster: shortText(p.cluster, 200),
    site: shortText(p.site, 200),
    componentKind: oneOf(COMPONENT_KINDS, p.componentKind),
    componentId: shortText(p.componentId, 200),
    sourceSeverity: shortText(p.sourceSeverity, 100),
    summary: (typeof p.summary === 'string' ? oneLine(p.summary, summaryMax) : '') || name,
    labels: cleanLabels(stringRecord(p.labels)),
    fingerprint: shortText(p.fingerprint, 200),
    startsAt: finite(p.startsAt),
    endsAt: finite(p.endsAt),
  };
}
type Alarm = ReturnType<typeof sanitize>;

function fieldValue(alarm: Alarm, ref: FieldRef): string | undefined {
  if ('label' in ref) return Object.hasOwn(alarm.labels, ref.label) ? alarm.labels[ref.label] : undefined;
  const v = ref.field === 'text' ? `${alarm.name}\n${alarm.summary}` : alarm[ref.field];
  return v === undefined ? undefined : v.slice(0, MAX_INPUT_CHARS);
}

const WHOLE_NUMBER = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/;
const PERCENTAGE = /(-?\d+(?:\.\d+)?)\s*(?:%|percent\b|pct\b)/i;

function numberIn(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = WHOLE_NUMBER.exec(value) ?? PERCENTAGE.exec(value);
  return m ? Number(m[1]) : undefined;
}

const compare = ({ op, value }: Comparison, n: number) =>
  op === '>='
    ? n >= value
    : op === '>'
      ? n > value
      : op === '<='
        ? n <= value
        : op === '<'
          ? n < value
          : op === '='
            ? n === value
            : n !== value;

function holds(matcher: Matcher, alarm: Alarm): boolean {
  let result: boolean;
  if (matcher.type === 'regex') {
    const value = fieldValue(alarm, matcher.ref) ?? '';
    result = matcher.patterns.some((test) => test(value));
  } else {
    const n = matcher.refs.map((ref) => numberIn(fieldValue(alarm, ref))).find((v) => v !== undefined);
    result = n !== undefined && matcher.alternatives.some((all) => all.every((c) => compare(c, n)));
  }
  return matcher.negate ? !result : result;
}

// ---- fallbacks ---------------------------------------------------------------------

/** Severity from the source's own word when no rule set one. */
export function severityFromSource(source: string | undefined): Severity {
  const s = (source ?? '').trim().toLowerCase();
  if (/^(critical|crit|emergency|emerg|fatal|disaster|page|p[01]|sev-?[01]|s[01])$/.test(s)) return 1;
  if (/^(major|error|err|high|alert|p2|sev-?2|s2)$/.test(s)) return 2;
  if (/^(minor|warning|warn|medium|moderate|average|p3|sev-?3|s3)$/.test(s)) return 3;
  return 4;
}

const CATEGORY_OF_KIND: Partial<Record<ComponentKind, Category>> = {
  cnode: 'compute-node',
  dnode: 'storage-node',
  ssd: 'storage-node',
  nvram: 'storage-node',
  fan: 'storage-node',
  psu: 'storage-node',
  nic: 'network',
  switch: 'network',
  link: 'network',
  'k8s-csi': 'kubernetes-csi',
  capacity: 'capacity',
  performance: 'performance',
};

/** Stable id of "this alarm on this object": the same for its firing and resolved events. */
export function alarmFingerprint(
  tenantId: string,
  cluster: string,
  name: string,
  componentId: string,
): string {
  return createHash('sha256')
    .update(`${tenantId}|${cluster}|${name}|${componentId}`)
    .digest('hex')
    .slice(0, 16);
}

// ---- classify ----------------------------------------------------------------------

export interface ClassifyContext {
  tenantId: string;
  source: AlarmSource;
  /** The tenant's config rules; tried before DEFAULT_CLASSIFICATION_RULES. */
  rules: readonly ClassificationRule[];
  /** Epoch ms; stamps alarms whose source gave no start time. */
  now: number;
  /**
   * The tenant's cluster ids (config `tenants[].clusters[].id`). When no field of the alarm names
   * its cluster, one of these appearing as a whole token in its text is the cluster: Alertmanager's
   * default Slack title carries `sjc-obj-01` without saying it is the cluster label.
   */
  clusterIds?: readonly string[];
}

// Characters that may be part of a cluster id; anything else ends the token.
const ID_CHAR = /[A-Za-z0-9_-]/;

/**
 * The configured cluster id that appears first, as a whole token, in the alarm's name, summary,
 * component or label values (the longer id on a tie: `sjc-obj-01` over `sjc-obj`). Case-insensitive;
 * returns the id as configured. Linear in the text for each id: no regex built from config.
 */
export function clusterNamedIn(
  alarm: { name: string; summary: string; componentId?: string | undefined; labels: Record<string, string> },
  clusterIds: readonly unknown[] | undefined,
): string | undefined {
  if (!Array.isArray(clusterIds) || clusterIds.length === 0) return undefined;
  const text = [alarm.name, alarm.summary, alarm.componentId ?? '', ...Object.values(alarm.labels)]
    .join('\n')
    .slice(0, MAX_INPUT_CHARS)
    .toLowerCase();
  let best: { id: string; at: number } | undefined;
  for (const raw of clusterIds) {
    if (typeof raw !== 'string') continue;
    const id = raw.trim();
    if (id === '') continue;
    const needle = id.toLowerCase();
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      if (best && at > best.at) break;
      const before = text[at - 1];
      const after = text[at + needle.length];
      if ((before !== undefined && ID_CHAR.test(before)) || (after !== undefined && ID_CHAR.test(after)))
        continue;
      if (!best || at < best.at || (at === best.at && id.length > best.id.length)) best = { id, at };
      break;
    }
  }
  return best?.id;
}

/**
 * Classifies a parsed alarm. Unparseable input skips the built-in rules (their text
 * heuristics would misread chat) but config rules still run, so operators can teach the
 * bot a new format; without a match it stays 'unclassified', Sev4. Never throws.
 */
export function classify(parsed: ParsedAlarm, ctx: ClassifyContext): NormalizedAlarm {
  const alarm = sanitize(parsed);
  // Before the rules run, so a rule matching `cluster` sees the cluster the text names.
  alarm.cluster ??= clusterNamedIn(alarm, ctx.clusterIds);
  const unparseable = alarm.format === 'unparseable';
  const ruleSets = unparseable
    ? [compiled(ctx.rules)]
    : [compiled(ctx.rules), compiled(DEFAULT_CLASSIFICATION_RULES)];
  const set: { category?: Category; severity?: Severity; componentKind?: ComponentKind } = {};
  const labels: Record<string, string> = {};
  const matchedRules: string[] = [];

  evaluation: for (const rules of ruleSets) {
    for (const rule of rules) {
      if (!rule.matchers.every((m) => holds(m, alarm))) continue;
      matchedRules.push(rule.name);
      set.category ??= oneOf(CATEGORIES, rule.set.category);
      set.severity ??= SEVERITIES.find((s) => s === rule.set.severity);
      set.componentKind ??= oneOf(COMPONENT_KINDS, rule.set.componentKind);
      for (const [key, value] of Object.entries(stringRecord(rule.set.labels))) {
        if (!Object.hasOwn(labels, key)) labels[key] = value;
      }
      if (rule.stop) break evaluation;
    }
  }

  const now = finite(ctx.now) ?? 0;
  const tenantId = typeof ctx.tenantId === 'string' ? ctx.tenantId : '';
  const componentKind = set.componentKind ?? alarm.componentKind ?? 'other';
  const cluster = alarm.cluster ?? 'unknown';
  const componentId = alarm.componentId ?? cluster;
  const result: NormalizedAlarm = {
    format: alarm.format,
    name: alarm.name,
    status: alarm.status,
    summary: alarm.summary,
    labels: { ...alarm.labels, ...labels },
    tenantId,
    source: oneOf(SOURCES, ctx.source) ?? 'slack',
    category: set.category ?? (unparseable ? 'unclassified' : (CATEGORY_OF_KIND[componentKind] ?? 'other')),
    severity: set.severity ?? (unparseable ? 4 : severityFromSource(alarm.sourceSeverity)),
    componentKind,
    componentId,
    cluster,
    fingerprint: alarm.fingerprint ?? alarmFingerprint(tenantId, cluster, alarm.name, componentId),
    startsAt: alarm.startsAt ?? now,
    matchedRules,
  };
  if (alarm.site) result.site = alarm.site;
  if (alarm.sourceSeverity) result.sourceSeverity = alarm.sourceSeverity;
  // A clear without an end time ended when we heard of it.
  const endsAt = alarm.endsAt ?? (alarm.status === 'resolved' ? now : undefined);
  if (endsAt !== undefined) result.endsAt = endsAt;
  return result;
}
