// The Jira REST endpoints the bot uses, for /rest/api/3 (Cloud, ADF) and /rest/api/2 (Server/Data
// Center, wiki text): create/get issue, JQL search, entity properties, comments, remote links,
// transitions. Validation errors come back in Jira's own shape: {"errorMessages":[…],"errors":{field:…}}.
import { JqlError } from './jql.js';
import { JqlEvaluator } from './search.js';
import type { JiraState } from './state.js';
import { STATUSES } from './state.js';
import type { RichText, StoredIssue } from './types.js';
import { type ApiVersion, BOT_ACCOUNT, commentJson, errorBody, issueJson, readFields } from './wire.js';

export interface RouteRequest {
  method: string;
  version: ApiVersion;
  /** Path below /rest/api/<version>/, e.g. `issue/ORION-1/comment`. */
  rest: string;
  query: URLSearchParams;
  body: unknown;
  /** http://127.0.0.1:PORT — for `self` links. */
  base: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
}

const ISSUE_MISSING = errorBody(['Issue does not exist or you do not have permission to see it.']);
const MAX_PAGE = 100;

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function isAdfDoc(value: unknown): value is { type: 'doc'; version: 1; content: unknown[] } {
  const doc = obj(value);
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}

/** Rich text in the form this API version takes, or the error Jira gives for the wrong form. */
function readRichText(value: unknown, version: ApiVersion): RichText | string {
  if (version === 3) {
    return isAdfDoc(value)
      ? { format: 'adf', doc: value }
      : 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  }
  return typeof value === 'string' ? { format: 'wiki', text: value } : 'Operation value must be a string';
}

function nameOf(value: unknown): string | undefined {
  const name = obj(value).name;
  return typeof name === 'string' ? name : undefined;
}

/** `fields` may come comma-separated or repeated (`fields=a&fields=b`, which is how jira.js sends arrays). */
function queryFields(query: URLSearchParams): string[] | undefined {
  const all = query.getAll('fields');
  return all.length === 0 ? undefined : readFields(all);
}

const SETTABLE = new Set(['project', 'issuetype', 'priority', 'summary', 'description', 'labels']);

export class JiraRoutes {
  private readonly jql: JqlEvaluator;

  constructor(private readonly state: JiraState) {
    this.jql = new JqlEvaluator(state);
  }

  handle(req: RouteRequest): RouteResponse {
    const parts = req.rest
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const [head, key, sub, subKey] = parts;
    const m = req.method;

    if (head === 'myself' && parts.length === 1 && m === 'GET') {
      return { status: 200, body: { ...BOT_ACCOUNT, emailAddress: 'opsbot@example.test', active: true } };
    }
    if (head === 'search' && parts.length === 1) {
      // Cloud removed the old endpoint (CHANGE-2046); Data Center only has this one.
      if (req.version === 3) {
        return {
          status: 410,
          body: errorBody([
            'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
          ]),
        };
      }
      if (m === 'GET' || m === 'POST') return this.searchV2(req);
    }
    if (
      head === 'search' &&
      key === 'jql' &&
      parts.length === 2 &&
      req.version === 3 &&
      (m === 'GET' || m === 'POST')
    ) {
      return this.searchV3(req);
    }
    if (head !== 'issue') return { status: 404, body: errorBody([`No REST resource at ${req.rest}`]) };

    if (key === undefined) {
      return m === 'POST' ? this.createIssue(req) : { status: 405, body: errorBody(['Method Not Allowed']) };
    }
    const issue = this.state.issue(key);
    if (!issue) return { status: 404, body: ISSUE_MISSING };

    if (sub === undefined && m === 'GET') {
      return { status: 200, body: issueJson(req.base, issue, req.version, queryFields(req.query), true) };
    }
    if (sub === 'properties') return this.property(req, issue, subKey, parts.length);
    if (sub === 'comment' && parts.length === 3) return this.comment(req, issue);
    if (sub === 'remotelink' && parts.length === 3) return this.remoteLink(req, issue);
    if (sub === 'transitions' && parts.length === 3) return this.transitions(req, issue);
    return { status: 404, body: errorBody([`No REST resource at ${req.rest}`]) };
  }

  private createIssue(req: RouteRequest): RouteResponse {
    const fields = obj(obj(req.body).fields);
    const project = obj(fields.project);
    const projectKey = String(project.key ?? project.id ?? '');
    if (!this.state.projectExists(projectKey)) {
      return { status: 400, body: errorBody([], { project: 'Specify a valid project ID or key' }) };
    }
    const errors: Record<string, string> = {};
    for (const name of Object.keys(fields)) {
      if (!SETTABLE.has(name))
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    const issueType = nameOf(fields.issuetype);
    if (!issueType || !this.state.issueTypes.includes(issueType))
      errors.issuetype = 'The issue type selected is invalid.';
    const priority =
      nameOf(fields.priority) ??
      this.state.priorities[Math.floor(this.state.priorities.length / 2)] ??
      'Medium';
    if (!this.state.priorities.includes(priority))
      errors.priority = `Priority name '${priority}' is not valid`;
    const summary = typeof fields.summary === 'string' ? fields.summary.trim() : '';
    if (summary === '') errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    let description: RichText | null = null;
    if (fields.description !== undefined && fields.description !== null) {
      const read = readRichText(fields.description, req.version);
      if (typeof read === 'string') errors.description = read;
      else description = read;
    }
    const labels = Array.isArray(fields.labels) ? fields.labels.map(String) : [];
    const spaced = labels.find((l) => /\s/.test(l) || l === '');
    if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
    if (Object.keys(errors).length > 0) return { status: 400, body: errorBody([], errors) };

    const canonicalKey =
      this.state.projects.find((p) => p.toUpperCase() === projectKey.toUpperCase()) ?? projectKey;
    const issue = this.state.createIssue({
      projectKey: canonicalKey,
      issueType: issueType as string,
      priority,
      summary,
      description,
      labels: [...new Set(labels)],
    });
    return {
      status: 201,
      body: { id: issue.id, key: issue.key, self: `${req.base}/rest/api/${req.version}/issue/${issue.id}` },
    };
  }

  private property(
    req: RouteRequest,
    issue: StoredIssue,
    propertyKey: string | undefined,
    depth: number,
  ): RouteResponse {
    if (propertyKey === undefined && req.method === 'GET') {
      const keys = Object.keys(issue.properties).map((k) => ({
        self: `${req.base}/rest/api/${req.version}/issue/${issue.id}/properties/${encodeURIComponent(k)}`,
        key: k,
      }));
      return { status: 200, body: { keys } };
    }
    if (propertyKey === undefined || depth !== 4)
      return { status: 404, body: errorBody(['No REST resource']) };
    if (req.method === 'GET') {
      if (!(propertyKey in issue.properties)) {
        return { status: 404, body: errorBody([`The property with key '${propertyKey}' does not exist.`]) };
      }
      return { status: 200, body: { key: propertyKey, value: issue.properties[propertyKey] } };
    }
    if (req.method === 'PUT') {
      if (req.body === undefined)
        return { status: 400, body: errorBody(['The property value must be valid JSON.']) };
      if (JSON.stringify(req.body).length > 32_768) {
        return {
          status: 400,
          body: errorBody(['The property value is too long: the limit is 32768 characters.']),
        };
      }
      const existed = propertyKey in issue.properties;
      issue.properties[propertyKey] = req.body;
      return { status: existed ? 200 : 201 };
    }
    if (req.method === 'DELETE') {
      delete issue.properties[propertyKey];
      return { status: 204 };
    }
    return { status: 405, body: errorBody(['Method Not Allowed']) };
  }

  private comment(req: RouteRequest, issue: StoredIssue): RouteResponse {
    if (req.method === 'GET') {
      const comments = (this.state.comments.get(issue.key) ?? []).map((c) =>
        commentJson(req.base, issue, c, req.version),
      );
      return {
        status: 200,
        body: { startAt: 0, maxResults: comments.length, total: comments.length, comments },
      };
    }
    if (req.method !== 'POST') return { status: 405, body: errorBody(['Method Not Allowed']) };
    const raw = obj(req.body).body;
    if (raw === undefined || raw === null || raw === '') {
      return { status: 400, body: errorBody([], { comment: 'Comment body can not be empty!' }) };
    }
    const body = readRichText(raw, req.version);
    if (typeof body === 'string') return { status: 400, body: errorBody([], { comment: body }) };
    const comment = this.state.addComment(issue, BOT_ACCOUNT.displayName, body);
    return { status: 201, body: commentJson(req.base, issue, comment, req.version) };
  }

  private remoteLink(req: RouteRequest, issue: StoredIssue): RouteResponse {
    const self = (id: number) => `${req.base}/rest/api/${req.version}/issue/${issue.key}/remotelink/${id}`;
    if (req.method === 'GET') {
      const links = (this.state.remoteLinks.get(issue.key) ?? []).map((l) => ({
        id: l.id,
        self: self(l.id),
        ...(l.globalId !== null ? { globalId: l.globalId } : {}),
        object: l.object,
      }));
      const wanted = req.query.get('globalId');
      return { status: 200, body: wanted === null ? links : links.filter((l) => l.globalId === wanted) };
    }
    if (req.method !== 'POST') return { status: 405, body: errorBody(['Method Not Allowed']) };
    const body = obj(req.body);
    const object = obj(body.object);
    const errors: Record<string, string> = {};
    if (typeof object.url !== 'string' || object.url === '') errors.url = "'url' is required.";
    if (typeof object.title !== 'string' || object.title === '') errors.title = "'title' is required.";
    if (typeof body.globalId === 'string' && body.globalId.length > 255) {
      errors.globalId = 'The global ID must be 255 characters or less.';
    }
    if (Object.keys(errors).length > 0) return { status: 400, body: errorBody([], errors) };
    const globalId = typeof body.globalId === 'string' ? body.globalId : null;
    const { link, created } = this.state.upsertRemoteLink(issue, globalId, object);
    return { status: created ? 201 : 200, body: { id: link.id, self: self(link.id) } };
  }

  private transitions(req: RouteRequest, issue: StoredIssue): RouteResponse {
    const available = this.state.transitionsFrom(issue);
    if (req.method === 'GET') {
      const transitions = available.map((t) => {
        const to = STATUSES.find((s) => s.name === t.to);
        return {
          id: t.id,
          name: t.name,
          to: {
            self: `${req.base}/rest/api/${req.version}/status/${to?.id}`,
            id: to?.id,
            name: to?.name,
            statusCategory: to
              ? { id: to.category.id, key: to.category.key, name: to.category.name }
              : undefined,
          },
          hasScreen: false,
          isGlobal: false,
          isInitial: false,
          isAvailable: true,
          isConditional: false,
        };
      });
      return { status: 200, body: { expand: 'transitions', transitions } };
    }
    if (req.method !== 'POST') return { status: 405, body: errorBody(['Method Not Allowed']) };
    const id = String(obj(obj(req.body).transition).id ?? '');
    const transition = available.find((t) => t.id === id);
    if (!transition)
      return { status: 400, body: errorBody([`Transition id '${id}' is not valid for this issue.`]) };
    this.state.applyTransition(issue, transition, BOT_ACCOUNT.displayName);
    return { status: 204 };
  }

  private runJql(jql: string, version: ApiVersion): StoredIssue[] | RouteResponse {
    // Cloud's enhanced search refuses unbounded queries; Data Center happily returns everything.
    if (jql.trim() === '' && version === 3) {
      return {
        status: 400,
        body: errorBody([
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ]),
      };
    }
    try {
      return this.jql.search(jql);
    } catch (error) {
      if (error instanceof JqlError) return { status: 400, body: errorBody([error.message]) };
      throw error;
    }
  }

  private searchParams(req: RouteRequest): {
    jql: string;
    fields: string[] | undefined;
    maxResults: number;
    raw: Record<string, unknown>;
  } {
    const raw = req.method === 'POST' ? obj(req.body) : Object.fromEntries(req.query);
    const max = Number(raw.maxResults ?? 50);
    return {
      jql: String(raw.jql ?? ''),
      fields: req.method === 'POST' ? readFields(raw.fields) : queryFields(req.query),
      maxResults: Number.isInteger(max) && max > 0 ? Math.min(max, MAX_PAGE) : 50,
      raw,
    };
  }

  /** Cloud enhanced search: token pagination, only `id` unless fields are asked for. */
  private searchV3(req: RouteRequest): RouteResponse {
    const { jql, fields, maxResults, raw } = this.searchParams(req);
    const found = this.runJql(jql, 3);
    if (!Array.isArray(found)) return found;
    const token = typeof raw.nextPageToken === 'string' ? raw.nextPageToken : undefined;
    const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      return { status: 400, body: errorBody(['The nextPageToken is invalid.']) };
    const page = found.slice(offset, offset + maxResults);
    const next = offset + page.length;
    const isLast = next >= found.length;
    return {
      status: 200,
      body: {
        issues: page.map((i) => issueJson(req.base, i, 3, fields, false)),
        ...(isLast ? {} : { nextPageToken: Buffer.from(String(next)).toString('base64url') }),
        isLast,
      },
    };
  }

  /** Data Center search: offset pagination with a total; all navigable fields by default. */
  private searchV2(req: RouteRequest): RouteResponse {
    const { jql, fields, maxResults, raw } = this.searchParams(req);
    const found = this.runJql(jql, 2);
    if (!Array.isArray(found)) return found;
    const startAt = Math.max(0, Number(raw.startAt ?? 0) || 0);
    const page = found.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: {
        expand: 'schema,names',
        startAt,
        maxResults,
        total: found.length,
        issues: page.map((i) => issueJson(req.base, i, 2, fields, true)),
      },
    };
  }
}
