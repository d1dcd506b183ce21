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
  const key = `${options.anchored ? 'a' : '-'}${options.caseInsensitive ? 'i' : '-'}${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compileUncached(source, options);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function compileUncached(source: string, options: PatternOptions): CompiledPattern {
  // Check the pattern on its own first, so a problem is reported in the user's own text rather
  // than in our anchoring wrapper (and `a)|(b` cannot escape the wrapper's group).
  const alone = tryCompile(source, 0);
  if (!alone.ok) return alone;
  const flags = options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0;
  const re =
    options.anchored || flags ? tryCompile(options.anchored ? `^(?:${source})$` : source, flags) : alone;
  if (!re.ok) return re;
  const regex = re.regex;
  return { ok: true, test: (value) => regex.test(value) };
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
