// An in-process stand-in for a Jira site speaking the real REST wire formats on both /rest/api/3 (Cloud,
// ADF) and /rest/api/2 (Server/Data Center, wiki text), so the real jira.js-based adapter runs unmodified
// against it: point the adapter's baseUrl at `url` and sign in with `email`/`apiToken` (basic) or `pat`
// (bearer). Every call is recorded; faults can be injected per method/path; people can act on issues.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../slack-standin/http-body.js';
import { FaultPlan } from './faults.js';
import { JiraRoutes } from './routes.js';
import { JiraState } from './state.js';
import type {
  FaultMatcher,
  FaultSpec,
  JiraStandInOptions,
  JiraWebhookBody,
  RecordedCall,
  StoredComment,
  StoredIssue,
  StoredRemoteLink,
} from './types.js';
import { humanCommentBody, humanTransitionBody } from './webhook-bodies.js';
import { errorBody } from './wire.js';

export type * from './types.js';

const DEFAULT_PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const DEFAULT_ISSUE_TYPES = ['Bug', 'Task', 'Story'];
const API_PATH = /^\/rest\/api\/(2|3)\/(.*)$/;

interface Credentials {
  email: string;
  apiToken: string;
  pat: string;
}

/** Default error bodies for injected statuses, shaped like Jira's. */
function faultBody(status: number): unknown {
  if (status === 429) return errorBody(['Rate limit exceeded.']);
  if (status >= 500) return errorBody(['Internal server error (injected by the Jira stand-in).']);
  return errorBody([`Injected HTTP ${status}.`]);
}

function authOf(req: IncomingMessage, creds: Credentials): { kind: RecordedCall['auth']; valid: boolean } {
  const header = String(req.headers.authorization ?? '');
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    return { kind: 'basic', valid: decoded === `${creds.email}:${creds.apiToken}` };
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return { kind: 'bearer', valid: bearer === creds.pat };
  return { kind: 'none', valid: false };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(text);
}

export class JiraStandIn {
  /** Site base URL without a trailing slash, e.g. http://127.0.0.1:PORT — the adapter's `baseUrl`. */
  readonly url: string;
  readonly email: string;
  readonly apiToken: string;
  readonly pat: string;
  /** Every request in arrival order, with the status it got. */
  readonly calls: RecordedCall[] = [];
  private down = false;

  private constructor(
    private readonly server: Server,
    private readonly state: JiraState,
    private readonly faults: FaultPlan,
    url: string,
    creds: Credentials,
  ) {
    this.url = url;
    this.email = creds.email;
    this.apiToken = creds.apiToken;
    this.pat = creds.pat;
  }

  static async start(opts: JiraStandInOptions): Promise<JiraStandIn> {
    const creds: Credentials = {
      email: opts.email ?? 'opsbot@example.test',
      apiToken: opts.apiToken ?? 'sandbox-jira-api-token',
      pat: opts.pat ?? opts.apiToken ?? 'sandbox-jira-api-token',
    };
    const state = new JiraState(
      opts.projects,
      opts.priorities ?? DEFAULT_PRIORITIES,
      opts.issueTypes ?? DEFAULT_ISSUE_TYPES,
      opts.now ?? Date.now,
    );
    const faults = new FaultPlan();
    const routes = new JiraRoutes(state);
    let standin: JiraStandIn | undefined;
    const server = createServer((req, res) => {
      // Late-bound: the URL (and so the instance) exists only once listening on port 0.
      if (!standin) return send(res, 503, 'starting');
      standin.serve(req, res, routes, creds).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody([`stand-in failure: ${String(error)}`]));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    standin = new JiraStandIn(server, state, faults, `http://127.0.0.1:${port}`, creds);
    return standin;
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    routes: JiraRoutes,
    creds: Credentials,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const auth = authOf(req, creds);
    const call: RecordedCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      auth: auth.kind,
      status: 0,
    };
    this.calls.push(call);
    let parsedBody: unknown;
    let badJson = false;
    if (raw.trim() !== '') {
      try {
        parsedBody = JSON.parse(raw);
      } catch {
        badJson = true;
        parsedBody = raw;
      }
    }
    call.body = parsedBody;
    const reply = (status: number, body?: unknown, headers?: Record<string, string>) => {
      call.status = status;
      send(res, status, body, headers);
    };

    if (this.down) return reply(503, 'Jira is unavailable (stand-in is down)');

    const fault = this.faults.take(method, url.pathname);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && fault.status === 0) {
      req.socket.destroy();
      return;
    }
    if (fault && (fault.status < 200 || fault.status > 299)) {
      const headers: Record<string, string> =
        fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {};
      return reply(fault.status, fault.body ?? faultBody(fault.status), headers);
    }

    if (!auth.valid) {
      return reply(
        401,
        errorBody(['You are not authenticated. Authentication required to perform this operation.']),
        {
          'www-authenticate': 'OAuth realm="https%3A%2F%2Fexample.atlassian.net"',
        },
      );
    }
    const match = API_PATH.exec(url.pathname);
    if (!match) return reply(404, errorBody([`No REST resource at ${url.pathname}`]));
    if ((method === 'POST' || method === 'PUT') && raw.trim() !== '') {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.includes('application/json')) return reply(415, errorBody(['Unsupported Media Type']));
    }
    if (badJson) return reply(400, errorBody(['Unexpected character in the JSON request body.']));
    const result = routes.handle({
      method,
      version: Number(match[1]) as 2 | 3,
      rest: match[2] ?? '',
      query: url.searchParams,
      body: parsedBody,
      base: this.url,
    });
    return reply(result.status, result.body);
  }

  /** Queues a fault for the next matching call(s); see FaultSpec for what each status does. */
  failNext(matcher: FaultMatcher, fault: FaultSpec): void {
    this.faults.add(matcher, fault);
  }

  /** While down, every request gets a 503 (auth is not even looked at), as during an Atlassian outage. */
  setDown(on: boolean): void {
    this.down = on;
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method.toUpperCase() && path.test(c.path));
  }

  /** Snapshots of every issue, in creation order. */
  issues(): StoredIssue[] {
    return structuredClone([...this.state.issues.values()]);
  }

  comments(issueKey: string): StoredComment[] {
    return structuredClone(this.state.comments.get(issueKey) ?? []);
  }

  remoteLinks(issueKey: string): StoredRemoteLink[] {
    return structuredClone(this.state.remoteLinks.get(issueKey) ?? []);
  }

  /**
   * A person moves the issue along the workflow in Jira's UI (To Do → In Progress → Done, Stop Progress,
   * Reopen). Updates `updated`. Returns the `jira:issue_updated` body Jira would post to a webhook.
   */
  humanTransition(issueKey: string, toStatus: string, by = 'Dana Engineer'): JiraWebhookBody {
    const issue = this.requireIssue(issueKey);
    const transition = this.state.transitionsFrom(issue).find((t) => t.to === toStatus);
    if (!transition) {
      const options = this.state.transitionsFrom(issue).map((t) => t.to);
      throw new Error(
        `${issueKey} is "${issue.status}": it can move to ${options.join(' or ') || 'nothing'}, not "${toStatus}"`,
      );
    }
    const entry = this.state.applyTransition(issue, transition, by);
    return humanTransitionBody(this.url, issue, entry);
  }

  /** A person comments in Jira (wiki text). Returns the `comment_created` body Jira would post. */
  humanComment(issueKey: string, text: string, by = 'Dana Engineer'): JiraWebhookBody {
    const issue = this.requireIssue(issueKey);
    const comment = this.state.addComment(issue, by, { format: 'wiki', text });
    return humanCommentBody(this.url, issue, comment);
  }

  private requireIssue(issueKey: string): StoredIssue {
    const issue = this.state.issue(issueKey);
    if (!issue) throw new Error(`no issue ${issueKey} in the Jira stand-in`);
    return issue;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
