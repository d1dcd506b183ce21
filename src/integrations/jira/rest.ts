// The handful of Jira REST operations the adapter needs, behind one small interface with two
// implementations: Cloud REST v3 (jira.js endpoint functions, ADF) and Server/Data Center REST v2
// (jira.js transport with v2 paths, wiki text). Responses are parsed here with zod, at the boundary.
import { z } from 'zod';
import type { AdfDocument } from './adf.js';

export interface SearchedIssue {
  id: string;
  key: string;
  labels: string[];
  status: string | null;
  /** Epoch ms, or null when Jira did not send a parseable `updated`. */
  updated: number | null;
}

export interface NewIssue {
  projectKey: string;
  issueType: string;
  priority: string;
  summary: string;
  description: AdfDocument;
  labels: string[];
}

export interface RemoteLink {
  globalId: string;
  url: string;
  title: string;
}

export interface JiraRest {
  readonly apiVersion: 2 | 3;
  /** Every page of a JQL search, in Jira's order. */
  search(jql: string, fields: string[], pageSize: number): Promise<SearchedIssue[]>;
  createIssue(issue: NewIssue): Promise<{ id: string; key: string }>;
  setIssueProperty(issueKey: string, propertyKey: string, value: Record<string, unknown>): Promise<void>;
  /** Create-or-update by `globalId`: re-adding the same link does not duplicate it. */
  upsertRemoteLink(issueKey: string, link: RemoteLink): Promise<void>;
  addComment(issueKey: string, body: AdfDocument): Promise<void>;
}

/** A 2xx whose body is not what Jira's REST API sends (an SSO login page, a proxy, a wrong base URL). */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  constructor(
    readonly operation: string,
    detail: string,
  ) {
    super(`Jira answered "${operation}" with an unexpected body: ${detail}`);
  }
}

function parse<T>(schema: z.ZodType<T>, data: unknown, operation: string): T {
  const result = schema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'body';
    throw new UnexpectedResponseError(operation, `${where}: ${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

const CreatedSchema = z.object({ id: z.string(), key: z.string() });

export function parseCreated(data: unknown): { id: string; key: string } {
  return parse(CreatedSchema, data, 'create issue');
}

const IssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      labels: z.array(z.string()).optional(),
      status: z.object({ name: z.string() }).nullish(),
      updated: z.string().nullish(),
    })
    .optional(),
});

/** Jira timestamps look like `2024-05-01T14:03:22.000+0000`; V8 parses that offset form too. */
function parseJiraTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function toSearched(issue: z.infer<typeof IssueSchema>): SearchedIssue {
  return {
    id: issue.id,
    key: issue.key,
    labels: issue.fields?.labels ?? [],
    status: issue.fields?.status?.name ?? null,
    updated: parseJiraTime(issue.fields?.updated),
  };
}

/** Cloud `/rest/api/3/search/jql`: token pagination (`nextPageToken`, `isLast`). */
const TokenPageSchema = z.object({
  issues: z.array(IssueSchema).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export function parseTokenPage(data: unknown): {
  issues: SearchedIssue[];
  nextPageToken: string | undefined;
} {
  const page = parse(TokenPageSchema, data, 'search');
  // The last page omits the token (JRACLOUD-92184) or says isLast; both end the walk.
  const next = page.isLast === true ? undefined : (page.nextPageToken ?? undefined);
  return { issues: page.issues.map(toSearched), nextPageToken: next };
}

/** Data Center `/rest/api/2/search`: offset pagination (`startAt`, `total`). */
const OffsetPageSchema = z.object({
  issues: z.array(IssueSchema).default([]),
  startAt: z.number().default(0),
  total: z.number().optional(),
});

export function parseOffsetPage(data: unknown): {
  issues: SearchedIssue[];
  startAt: number;
  total: number | undefined;
} {
  const page = parse(OffsetPageSchema, data, 'search');
  return { issues: page.issues.map(toSearched), startAt: page.startAt, total: page.total };
}

/** A safety stop for pagination that never ends (a proxy replaying page one). */
export const MAX_PAGES = 100;

/** The icon Jira shows next to the remote link: the linked site's favicon, when it has an origin. */
export function remoteLinkObject(link: RemoteLink): {
  url: string;
  title: string;
  icon?: { url16x16: string; title: string };
} {
  let origin: string | undefined;
  try {
    origin = new URL(link.url).origin;
  } catch {
    origin = undefined;
  }
  return origin && origin !== 'null'
    ? { url: link.url, title: link.title, icon: { url16x16: `${origin}/favicon.ico`, title: 'opsbot' } }
    : { url: link.url, title: link.title };
}
