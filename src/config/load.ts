// Reads the YAML config file and turns every problem — unreadable file, YAML syntax, schema —
// into one readable line with file:line, so an operator can fix them all in one pass.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatZodIssues } from './format.js';
import { ConfigSchema, type OpsbotConfig } from './schema.js';
import { yamlLineLocator } from './yaml-locate.js';

export { formatZodIssues } from './format.js';

export type LoadConfigResult =
  | { ok: true; config: OpsbotConfig }
  /**
   * `data` is the YAML as read when only the schema failed, so start-up can still check what the
   * environment says about its tenants and Jira sites and report everything at once.
   */
  | { ok: false; problems: string[]; data?: unknown };

export function loadConfigFile(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): LoadConfigResult {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `config file ${path} not found — copy config/opsbot.example.yaml to ${path}`
        : `config file ${path} could not be read: ${(error as Error).message}`;
    return { ok: false, problems: [problem] };
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, fileLabel: string): LoadConfigResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: we want yaml's short reason and compute the position ourselves.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${fileLabel}:${line}:${col}: YAML syntax error: ${error.message}`;
    });
    return { ok: false, problems };
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // e.g. yaml's alias-bomb guard; not a schema problem, but still the operator's to fix.
    return { ok: false, problems: [`${fileLabel}: cannot read the YAML: ${(error as Error).message}`] };
  }

  const parsed = ConfigSchema.safeParse(data);
  if (parsed.success) return { ok: true, config: parsed.data };
  const lineOf = yamlLineLocator(doc, lineCounter);
  const locate = (path: readonly PropertyKey[]) => {
    const line = lineOf(path);
    return line === undefined ? fileLabel : `${fileLabel}:${line}`;
  };
  // zod reports in schema order, cross-field checks last; the operator reads the file top-down.
  const lineOfIssue = (issue: z.core.$ZodIssue) =>
    lineOf(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path) ?? 0;
  const issues = [...parsed.error.issues].sort((a, b) => lineOfIssue(a) - lineOfIssue(b));
  return {
    ok: false,
    problems: formatZodIssues(issues, { input: data, schema: ConfigSchema, locate }),
    data,
  };
}
