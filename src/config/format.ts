// One formatter for every zod problem the operator sees (env and config file), so both
// read the same way: "<where>: <path>: expected X, found Y" — one line per problem.
import type { z } from 'zod';
import { descriptionAt, knownKeysAt } from './zod-walk.js';

export type IssuePath = readonly PropertyKey[];

export interface FormatOptions {
  /** The raw data that was parsed; "found …" values are read from it (zod drops inputs from issues). */
  input?: unknown;
  /** The schema that was used; gives allowed keys for "did you mean" and descriptions of missing fields. */
  schema?: z.core.$ZodType;
  /** Returns a location prefix such as "config/opsbot.yaml:12" for a path, or undefined. */
  locate?: (path: IssuePath) => string | undefined;
  /** Paths whose values must never be echoed (tokens, secrets). */
  isSecret?: (path: IssuePath) => boolean;
}

/** Custom issues may set `params: { omitFound: true }` when their message already names the value. */
export type IssueParams = { omitFound?: boolean };

const MAX_SHOWN = 60;

export function formatZodIssues(issues: readonly z.core.$ZodIssue[], options: FormatOptions = {}): string[] {
  return issues.flatMap((issue) => formatIssue(issue, options));
}

function formatIssue(issue: z.core.$ZodIssue, options: FormatOptions): string[] {
  if (issue.code === 'unrecognized_keys') {
    // One line per key; the line number points at the key itself, the path at its parent.
    const known = options.schema ? knownKeysAt(options.schema, issue.path) : [];
    return issue.keys.map((key) => {
      const hint = suggest(key, known);
      const message = `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
      return line(options.locate?.([...issue.path, key]), issue.path, message);
    });
  }
  const found = lookup(options.input, issue.path);
  const secret = options.isSecret?.(issue.path) ?? false;
  let message = describeIssue(issue, found, options);
  const omitFound = issue.code === 'custom' && (issue.params as IssueParams | undefined)?.omitFound;
  const missing = issue.code === 'invalid_type' && found.value === undefined;
  if (found.present && !secret && !omitFound && !missing && !/\bfound\b/.test(message)) {
    message += `, found ${showValue(found.value)}`;
  }
  return [line(options.locate?.(issue.path), issue.path, message)];
}

function line(location: string | undefined, path: IssuePath, message: string): string {
  const where = formatPath(path);
  return [location, where, message].filter((part) => part !== undefined && part !== '').join(': ');
}

/** Our own messages start with "expected" (or are custom refinements); zod's defaults are rewritten. */
function describeIssue(issue: z.core.$ZodIssue, found: Found, options: FormatOptions): string {
  if (issue.code === 'custom' || issue.message.startsWith('expected ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      if (found.value === undefined) {
        const about = options.schema ? descriptionAt(options.schema, issue.path) : undefined;
        return `required but missing${about ? ` (${firstSentence(about)})` : ''}`;
      }
      return `expected ${typeName(issue.expected)}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `expected ${bound(issue.origin, 'at least', issue.minimum, issue.inclusive)}`;
    case 'too_big':
      return `expected ${bound(issue.origin, 'at most', issue.maximum, issue.inclusive)}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected text matching ${issue.pattern}`
        : `expected a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

function bound(
  origin: string,
  word: 'at least' | 'at most',
  limit: number | bigint,
  inclusive = true,
): string {
  const n = Number(limit);
  if (origin === 'array') return `${word} ${n} item${n === 1 ? '' : 's'}`;
  if (origin === 'string')
    return n === 1 && word === 'at least' ? 'a non-empty text' : `${word} ${n} characters`;
  const kind = origin === 'int' ? 'a whole number' : 'a number';
  if (inclusive) return `${kind} ${word} ${n}`;
  return `${kind} ${word === 'at least' ? 'greater' : 'less'} than ${n}`;
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value)',
  };
  return names[expected] ?? expected;
}

function firstSentence(text: string): string {
  const sentence = text.split(/(?<=\.)\s/)[0] ?? text;
  return truncate(sentence.replace(/\.$/, ''), 100);
}

/** Renders a value for a problem line: strings quoted and cut to ~60 chars, structures summarised. */
export function showValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(truncate(value, MAX_SHOWN));
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  return truncate(String(value), MAX_SHOWN);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** tenants[1].channels.alarms[0] — the notation operators see in messages. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

type Found = { present: boolean; value: unknown };

function lookup(input: unknown, path: IssuePath): Found {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !(segment in current)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { present: true, value: current };
}

/** Closest allowed key within edit distance 2, if any — cheap help for typos like 'chanels'. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
