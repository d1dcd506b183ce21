// How the stand-in's state looks on the wire: Jira's JSON for issues, comments and errors, in the
// REST v3 flavour (rich text as ADF) or the v2 one (rich text as wiki markup strings).
import { adfParagraph, adfToText } from '../../src/integrations/jira/adf.js';
import { statusByName } from './state.js';
import type { RichText, StoredComment, StoredIssue } from './types.js';

export type ApiVersion = 2 | 3;

/** Jira's timestamp format: `2024-05-01T14:03:22.000+0000`. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function errorBody(
  errorMessages: string[],
  errors: Record<string, string> = {},
): { errorMessages: string[]; errors: Record<string, string> } {
  return { errorMessages, errors };
}

/** Rich text as the requested API version shows it (v3 ADF, v2 wiki text), whichever way it was written. */
export function richText(value: RichText, version: ApiVersion): unknown {
  if (version === 3) {
    return value.format === 'adf'
      ? value.doc
      : { type: 'doc', version: 1, content: value.text ? [adfParagraph(value.text)] : [] };
  }
  return value.format === 'wiki' ? value.text : adfToText(value.doc);
}

export const BOT_ACCOUNT = { accountId: '5b10a2844c20165700ede21g', displayName: 'opsbot', name: 'opsbot' };

function user(name: string): Record<string, unknown> {
  return name === BOT_ACCOUNT.displayName
    ? { ...BOT_ACCOUNT, active: true }
    : {
        accountId: `human-${name.toLowerCase().replace(/\W+/g, '-')}`,
        displayName: name,
        name,
        active: true,
      };
}

export function commentJson(
  base: string,
  issue: StoredIssue,
  comment: StoredComment,
  version: ApiVersion,
): Record<string, unknown> {
  return {
    self: `${base}/rest/api/${version}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: user(comment.author),
    body: richText(comment.body, version),
    updateAuthor: user(comment.author),
    created: jiraTime(comment.created),
    updated: jiraTime(comment.created),
  };
}

function allFields(base: string, issue: StoredIssue, version: ApiVersion): Record<string, unknown> {
  const status = statusByName(issue.status);
  return {
    summary: issue.summary,
    description: issue.description ? richText(issue.description, version) : null,
    labels: issue.labels,
    status: {
      self: `${base}/rest/api/${version}/status/${status.id}`,
      id: status.id,
      name: status.name,
      statusCategory: { id: status.category.id, key: status.category.key, name: status.category.name },
    },
    priority: { name: issue.priority },
    issuetype: { name: issue.issueType },
    project: { key: issue.projectKey },
    created: jiraTime(issue.created),
    updated: jiraTime(issue.updated),
  };
}

/**
 * `fields` as Jira reads it: a list of field ids, `*all`/`*navigable` for everything, `-name` to drop one.
 * `undefined` means the endpoint's default (`defaultAll`).
 */
export function issueJson(
  base: string,
  issue: StoredIssue,
  version: ApiVersion,
  fields: string[] | undefined,
  defaultAll: boolean,
): Record<string, unknown> {
  const every = allFields(base, issue, version);
  const wanted = fields?.filter((f) => f !== '') ?? (defaultAll ? ['*all'] : []);
  const all = wanted.includes('*all') || wanted.includes('*navigable');
  const picked = Object.fromEntries(
    Object.entries(every).filter(([name]) => (all || wanted.includes(name)) && !wanted.includes(`-${name}`)),
  );
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/${version}/issue/${issue.id}`,
    key: issue.key,
    ...(wanted.length > 0 ? { fields: picked } : {}),
  };
}

/** `fields` from a query string (`a,b` or repeated) or a JSON body (array or comma string). */
export function readFields(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return list.flatMap((f) => f.split(',')).map((f) => f.trim());
}
