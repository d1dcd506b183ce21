// Every regular expression a person or a config file supplies (silence and inhibition matchers,
// classification rules) is compiled here, with RE2 semantics, never with JavaScript's RegExp.
// Why: RegExp backtracks, so a pattern like `(a|a)*b` takes time exponential in the input —
// black-box testing froze the event loop for 9 s with one 32-character alarm name (issue 8).
// RE2 (via re2js, a pure-JS port) matches in time linear in the input, whatever the pattern,
// and is the engine Alertmanager uses, so a matcher means the same here and there. The price is
// RE2's syntax: no backreferences and no lookaround — refused here with a plain message.
// Pure: no I/O, no clock; the memo below is invisible to callers.
import { RE2JS } from 're2js';

export interface PatternOptions {
  /**
   * Whole-value match, as Alertmanager does it: `^(?:pattern)$`, so `dnode` does not match
   * `dnode-3`. Without it the pattern may match anywhere in the value (classification rules).
   */
  anchored: boolean;
  /** Match ignoring case. Without it, a pattern can still opt in with a leading `(?i)`. */
  caseInsensitive: boolean;
}

export type CompiledPattern =
  | { ok: true; test: (value: string) => boolean }
  /**
   * `problem` is a sentence fragment without a final period, e.g. "backreferences (\1, \k<…>)
   * are not supported (RE2 syntax)". `unsupported`: a feature RE2 lacks on purpose (backreferences,
   * lookaround), as opposed to a typo such as an unclosed group.
   */
  | PatternProblem;

export interface PatternProblem {
  ok: false;
  problem: string;
  unsupported: boolean;
}

// Matching thousands of alarms against the same silences and rules must not recompile each time.
// Cleared wholesale when full: simple and bounded.
const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

/** Compiles a pattern with RE2 semantics. Never throws: bad syntax comes back as a problem. */
export function compilePattern(source: string, options: PatternOptions): CompiledPattern {
  // Callers pass what a config file or a stored row held; never let a non-string reach the cache.
  if (typeof source !== 'string')
    return { ok: false, problem: 'expected the pattern as text', unsupported: false };
  return memo(`1${flagKey(options)}${source}`, () => compileOne(source, options));
}

/**
 * "Any of these patterns matches", compiled as one RE2 alternation so a long value is scanned
 * once rather than once per pattern. The problem, if any, is the first bad pattern's. When the
 * union alone cannot compile (two patterns naming the same capture group) it falls back to
 * testing them one by one: the same answer, only slower.
 */
export function compileAnyPattern(sources: readonly string[], options: PatternOptions): CompiledPattern {
  const each = sources.map((source) => compilePattern(source, options));
  const bad = each.find((c) => !c.ok);
  if (bad) return bad;
  const tests = (each as Array<Extract<CompiledPattern, { ok: true }>>).map((c) => c.test);
  if (tests.length === 1) return each[0] as CompiledPattern;
  const key = `*${flagKey(options)}${JSON.stringify(sources)}`;
  return memo(key, () => {
    const union = compileBody(sources.map((source) => `(?:${enclosable(source)})`).join('|'), options);
    return union.ok ? union : { ok: true, test: (value) => tests.some((test) => test(value)) };
  });
}

const flagKey = (options: PatternOptions) =>
  `${options.anchored ? 'a' : '-'}${options.caseInsensitive ? 'i' : '-'}`;

function memo(key: string, compile: () => CompiledPattern): CompiledPattern {
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compile();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function compileOne(source: string, options: PatternOptions): CompiledPattern {
  // Check the pattern on its own first, so a problem is reported in the user's own text rather
  // than in our anchoring wrapper (and `a)|(b` cannot escape the wrapper's group).
  const alone = tryCompile(source, 0);
  if (!alone.ok) return alone;
  if (!options.anchored && !options.caseInsensitive) return tester(alone.regex);
  return compileBody(enclosable(source), options);
}

function compileBody(body: string, options: PatternOptions): CompiledPattern {
  const re = tryCompile(
    options.anchored ? `^(?:${body})$` : body,
    options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0,
  );
  return re.ok ? tester(re.regex) : re;
}

// Short values recur across a storm (alertname, component, severity, cluster: matchers and
// rules test the same few words for every alarm), and re2js takes microseconds per test. Each
// compiled pattern remembers its answers for short values; long ones (free text) are rarely
// seen twice and are always matched. Bounded per pattern, cleared wholesale when full.
const REMEMBERED_LENGTH = 64;
const REMEMBERED_VALUES = 256;

function tester(regex: RE2JS): CompiledPattern {
  const answers = new Map<string, boolean>();
  return {
    ok: true,
    test: (value) => {
      if (value.length > REMEMBERED_LENGTH) return regex.test(value);
      const known = answers.get(value);
      if (known !== undefined) return known;
      const answer = regex.test(value);
      if (answers.size >= REMEMBERED_VALUES) answers.clear();
      answers.set(value, answer);
      return answer;
    },
  };
}

/**
 * The pattern made safe to put inside a group. A pattern that compiles on its own has balanced
 * parentheses, so the only way out of `(?:…)` is RE2's literal quote `\Q…` left open to the
 * end: it would swallow the closing parenthesis. Such a pattern gets its `\E`.
 */
function enclosable(source: string): string {
  if (!source.includes('\\Q')) return source;
  return tryCompile(`(?:${source})`, 0).ok ? source : `${source}\\E`;
}

function tryCompile(source: string, flags: number): { ok: true; regex: RE2JS } | PatternProblem {
  try {
    return { ok: true, regex: RE2JS.compile(source, flags) };
  } catch (error) {
    return { ok: false, ...describeSyntaxError(source, error) };
  }
}

/**
 * The library's error in plain words. RE2 reports a backreference as an "invalid escape" and a
 * lookbehind as an "invalid named capture", which would send people looking for the wrong
 * mistake, so those two get their own sentence; everything else keeps RE2's own wording
 * (it is Go's, the same people see from Alertmanager) plus the part of the pattern at fault.
 */
function describeSyntaxError(source: string, error: unknown): Omit<PatternProblem, 'ok'> {
  const field = (name: 'input' | 'error') => {
    const value =
      typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : '';
  };
  const at = field('input');
  const what = field('error');
  if (/^\\(?:[1-9]|k)/.test(at)) {
    return { problem: 'backreferences (\\1, \\k<…>) are not supported (RE2 syntax)', unsupported: true };
  }
  if (/^\(\?[=!]/.test(at) || (what === 'invalid named capture' && /^\(\?<[=!]/.test(at))) {
    return {
      problem: 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported (RE2 syntax)',
      unsupported: true,
    };
  }
  // JavaScript habit; RE2 spells a code point \x{41}.
  const hint = at === '\\u' ? '; write \\x{263A} for a code point' : '';
  if (what && at && at !== source) {
    const part = at.length > 40 ? `${at.slice(0, 39)}…` : at;
    return { problem: `${what} at \`${part}\` (RE2 syntax${hint})`, unsupported: false };
  }
  const message =
    what || (error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : '');
  return {
    problem: `${message || `cannot compile ${JSON.stringify(source.slice(0, 40))}`} (RE2 syntax)`,
    unsupported: false,
  };
}
