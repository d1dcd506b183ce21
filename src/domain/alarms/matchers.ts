// Alertmanager-style label matchers (`label=value`, `!=`, `=~`, `!~`), used by silences and
// inhibition rules. Semantics follow Alertmanager on purpose, so people who know it are not
// surprised: regexes use RE2 syntax and run in linear time (../patterns.ts), are fully anchored,
// a missing label is the empty string, and a list of matchers is an AND. Pure: no I/O, no clock.
import { type CompiledPattern, compilePattern } from '../patterns.js';
import type { NormalizedAlarm } from './types.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** Plain data (no compiled pattern inside) so matchers can be stored, compared and logged. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type ParseMatchersResult = { ok: true; matchers: Matcher[] } | { ok: false; problem: string };
export type ParseMatcherResult = { ok: true; matcher: Matcher } | { ok: false; problem: string };

/** Longest regex we accept (a silence must stay readable when it is listed). */
export const MAX_REGEX_LENGTH = 200;

// Prometheus label names. Keys outside this shape can still be matched by alarms' labels;
// they just cannot be named in a matcher.
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS: MatchOp[] = ['=~', '!~', '!=', '='];
const SHAPES = 'label=value, label!=value, label=~regex or label!~regex';

/**
 * Parses matcher words as the command tokenizer produced them. A quoted value with spaces
 * (`cluster="sjc obj"`) may arrive split over several words; those are joined back first.
 */
export function parseMatchers(tokens: string[]): ParseMatchersResult {
  const words = joinQuotedTokens(tokens).filter((t) => t.trim() !== '');
  if (words.length === 0) {
    return {
      ok: false,
      problem: `No matchers given. Write at least one, like cluster=sjc-obj-01 (${SHAPES}).`,
    };
  }
  const matchers: Matcher[] = [];
  for (const word of words) {
    const parsed = parseMatcher(word);
    if (!parsed.ok) return parsed;
    matchers.push(parsed.matcher);
  }
  return { ok: true, matchers };
}

/** Parses one matcher word. Never throws: a bad regex is a parse problem. */
export function parseMatcher(token: string): ParseMatcherResult {
  const word = token.trim();
  const shown = quoteForProblem(word);
  const name = LABEL_NAME.exec(word)?.[0];
  if (!name) {
    return {
      ok: false,
      problem: `${shown} does not start with a label name. Expected ${SHAPES}, e.g. cluster=sjc-obj-01.`,
    };
  }
  const rest = word.slice(name.length);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) return { ok: false, problem: `${shown} is not a matcher. Expected ${SHAPES}.` };

  const value = readValue(name, op, rest.slice(op.length), shown);
  if (!value.ok) return value;
  const matcher: Matcher = { name, op, value: value.value };
  if (op === '=~' || op === '!~') {
    const problem = regexProblem(value.value);
    if (problem) return { ok: false, problem: `${shown}: ${problem}` };
  }
  return { ok: true, matcher };
}

type ValueResult = { ok: true; value: string } | { ok: false; problem: string };

function readValue(name: string, op: MatchOp, raw: string, shown: string): ValueResult {
  if (raw.startsWith('"')) return readQuoted(raw, shown);
  if (raw === '') {
    return {
      ok: false,
      problem: `${shown} has no value. To match alarms without a ${name} label write ${name}${op}"".`,
    };
  }
  if (/\s|"/.test(raw)) {
    return { ok: false, problem: `${shown}: put a value with spaces or quotes in double quotes.` };
  }
  if (raw.includes(',')) {
    // `a=b,c=d` is almost surely two matchers glued together, not a value with a comma.
    return {
      ok: false,
      problem: `${shown}: write each matcher as its own word (a=b c=d), or quote a value that contains a comma.`,
    };
  }
  return { ok: true, value: raw };
}

// Inside quotes, \" and \\ are escapes; any other backslash is kept, so "\d+" stays a regex.
function readQuoted(raw: string, shown: string): ValueResult {
  let value = '';
  for (let i = 1; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\')) {
      value += raw[i + 1];
      i++;
    } else if (ch === '"') {
      if (i !== raw.length - 1) {
        return { ok: false, problem: `${shown} has text after the closing quote.` };
      }
      return { ok: true, value };
    } else {
      value += ch;
    }
  }
  return { ok: false, problem: `${shown} has an opening quote but no closing quote.` };
}

/** Why a regex is refused, or undefined when it compiles. */
function regexProblem(source: string): string | undefined {
  // RE2 runs any pattern in linear time, so length is not about speed; it keeps a silence
  // readable in a Slack message and in `/opsbot silences`.
  if (source.length > MAX_REGEX_LENGTH) {
    return `the regex is ${source.length} characters long; keep it under ${MAX_REGEX_LENGTH}.`;
  }
  const compiled = compileAnchored(source);
  if (compiled.ok) return undefined;
  // A missing RE2 feature is its own sentence; a typo reads as "does not compile".
  return compiled.unsupported ? `${compiled.problem}.` : `the regex does not compile: ${compiled.problem}.`;
}

// Fully anchored like Alertmanager (`=~dnode` does not match `dnode-3`) and case-sensitive
// unless the regex opts in with (?i), which RE2 reads natively, as Alertmanager's Go RE2 does.
function compileAnchored(source: string): CompiledPattern {
  return compilePattern(source, { anchored: true, caseInsensitive: false });
}

/** Does one matcher accept this label value? (A missing label is passed as ''.) */
export function matchesValue(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
    case '!~': {
      const compiled = compileAnchored(m.value);
      // Only a hand-built matcher can carry a bad regex (parseMatcher refuses them). It then
      // matches nothing, either way round: a broken silence must never hide alarms.
      if (!compiled.ok) return false;
      return compiled.test(value) === (m.op === '=~');
    }
  }
}

/** All matchers must match (AND). A label the alarm lacks counts as '' (Alertmanager semantics). */
export function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matchesValue(m, labelValue(labels, m.name)));
}

/** Reads a label, treating a missing one as '' and ignoring inherited keys like `constructor`. */
export function labelValue(labels: Record<string, string>, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';
}

/** One matcher as a word parseMatcher reads back to the same matcher. */
export function formatMatcher(m: Matcher): string {
  // A leading ~ must be quoted: `a=~x` would read back as the regex operator.
  const needsQuotes = m.value === '' || /[\s",]/.test(m.value) || m.value.startsWith('~');
  const value = needsQuotes ? `"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : m.value;
  return `${m.name}${m.op}${value}`;
}

/** Matchers as space-separated words, ready to paste back into `/opsbot silence`. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map(formatMatcher).join(' ');
}

/**
 * The label set silences and inhibition rules match against: the source's own labels plus the
 * normalized fields. Normalized fields win over same-named source labels (e.g. an Alertmanager
 * `severity=critical` becomes `severity=sev1`) so one matcher vocabulary works for every source.
 */
export function alarmLabels(alarm: NormalizedAlarm): Record<string, string> {
  const labels: Record<string, string> = { ...alarm.labels };
  labels.tenant = alarm.tenantId;
  labels.cluster = alarm.cluster;
  if (alarm.site !== undefined) labels.site = alarm.site;
  labels.category = alarm.category;
  labels.severity = `sev${alarm.severity}`;
  labels.component = alarm.componentKind;
  labels.component_id = alarm.componentId;
  labels.alertname = alarm.name;
  labels.source = alarm.source;
  labels.format = alarm.format;
  return labels;
}

/**
 * The command tokenizer splits `cluster="sjc obj"` into `cluster="sjc` and `obj"`. Join words
 * while a double quote is open so the matcher parser sees the value whole.
 */
export function joinQuotedTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let open: string | undefined;
  for (const token of tokens) {
    open = open === undefined ? token : `${open} ${token}`;
    if (!hasOpenQuote(open)) {
      out.push(open);
      open = undefined;
    }
  }
  if (open !== undefined) out.push(open);
  return out;
}

function hasOpenQuote(text: string): boolean {
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    if (inside && text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

function quoteForProblem(word: string): string {
  const short = word.length > 80 ? `${word.slice(0, 79)}…` : word;
  return `\`${short.replace(/`/g, "'")}\``;
}
