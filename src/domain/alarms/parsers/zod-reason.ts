// Plain-words reason for a rejected webhook body, naming the first bad field the way a
// sender's engineer would look for it: `alerts[0].labels: expected an object, got a string`.
// It goes back in the HTTP response and into the log, so it must be short and exact.
import type { z } from 'zod';

export function describePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || 'body';
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

// zod names some JSON shapes by their TypeScript type; senders think in JSON.
const JSON_NAMES: Record<string, string> = {
  record: 'object',
  map: 'object',
  tuple: 'array',
  int: 'integer',
};
const withArticle = (type: string) => {
  const name = JSON_NAMES[type] ?? type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
};

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = withArticle(String(issue.expected));
      if (issue.input === undefined) return `missing (expected ${expected})`;
      return `expected ${expected}, got ${kindOf(issue.input)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** The first issue of a failed safeParse (run with `reportInput: true`), in plain words. */
export function firstIssueReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'body: invalid';
  return `${describePath(issue.path)}: ${describeIssue(issue)}`;
}
