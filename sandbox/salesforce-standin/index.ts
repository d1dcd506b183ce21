// An in-process stand-in for a Salesforce org speaking the REST shapes opsbot uses: the OAuth
// token endpoint, Case upsert by external id, Case read/update, CaseComment and SOQL query.
// Point the adapter's loginUrl at `url`. Every call is recorded; faults can be planned.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../slack-standin/http-body.js';
import { type FaultMatcher, FaultPlan, type FaultSpec, serverUnavailable } from './faults.js';
import { salesforceId } from './ids.js';
import { type StandInCredentials, tokenEndpoint } from './oauth.js';
import {
  type ApiResult,
  type HumanChange,
  type StandInCase,
  type StandInComment,
  StandInOrg,
} from './org.js';
import { handleRest } from './rest.js';

export type { FaultMatcher, FaultSpec } from './faults.js';
export type { StandInCredentials } from './oauth.js';
export type { HumanChange, StandInCase, StandInComment } from './org.js';
export { INTEGRATION_USER } from './org.js';

export interface SalesforceStandInOptions {
  /** Account ids (001…) that exist; a Case for any other account is refused. */
  accounts: string[];
  now?: () => number;
  /** The one API version served (default 62.0); other versions answer 404. */
  apiVersion?: string;
  /** The Case external-id field (default Opsbot_Incident_Id__c). */
  externalIdField?: string;
  credentials?: StandInCredentials;
}

export interface RecordedSalesforceCall {
  method: string;
  /** Path with query string. */
  path: string;
  /** Parsed JSON, or the form fields of a token request with secrets masked. */
  body: unknown;
  status: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MASKED_FORM_FIELDS = new Set(['client_secret', 'password', 'assertion']);

export class SalesforceStandIn {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash): login URL and instance URL at once. */
  readonly url: string;
  /** Every call in arrival order; `clearCalls()` empties it in place. */
  readonly calls: RecordedSalesforceCall[] = [];

  readonly #server: Server;
  readonly #org: StandInOrg;
  readonly #faults = new FaultPlan();
  readonly #tokens = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #opts: Required<Omit<SalesforceStandInOptions, 'accounts'>>;
  #down = false;
  #tokenCounter = 0;

  private constructor(server: Server, url: string, opts: SalesforceStandInOptions) {
    this.#server = server;
    this.url = url;
    this.#opts = {
      now: opts.now ?? Date.now,
      apiVersion: opts.apiVersion ?? '62.0',
      externalIdField: opts.externalIdField ?? 'Opsbot_Incident_Id__c',
      credentials: opts.credentials ?? {},
    };
    this.#org = new StandInOrg(
      opts.accounts,
      this.#opts.externalIdField,
      this.#opts.now,
      this.#opts.apiVersion,
    );
  }

  static async start(opts: SalesforceStandInOptions): Promise<SalesforceStandIn> {
    let standIn: SalesforceStandIn | undefined;
    const server = createServer((req, res) => {
      standIn?.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`stand-in error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    standIn = new SalesforceStandIn(server, `http://127.0.0.1:${port}`, opts);
    return standIn;
  }

  /** Copies of the Cases, in creation order. */
  cases(): StandInCase[] {
    return this.#org.cases();
  }

  comments(): StandInComment[] {
    return this.#org.comments();
  }

  /** Fail the next matching calls (token endpoint included) before they reach the org. */
  failNext(matcher: FaultMatcher, fault: FaultSpec): void {
    this.#faults.add(matcher, fault);
  }

  /** Every issued access token stops working: the next call answers 401 INVALID_SESSION_ID. */
  expireTokens(): void {
    this.#tokens.clear();
  }

  /** While down, every call (token endpoint included) answers 503 SERVER_UNAVAILABLE. */
  setDown(on: boolean): void {
    this.#down = on;
  }

  /** A person changes the Case in Salesforce (LastModifiedDate moves to now). */
  humanUpdate(caseId: string, change: HumanChange): StandInCase {
    return this.#org.humanUpdate(caseId, change);
  }

  /** The customer opens a Case themselves (Origin Web, no opsbot external id). */
  customerCase(input: { accountId: string; subject: string; origin?: string }): StandInCase {
    return this.#org.openByCustomer({ origin: 'Web', ...input });
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#faults.clear();
    // Delayed (hanging) answers keep sockets open; close them rather than wait.
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const path = `${url.pathname}${url.search}`;
    const rawBody = await readBody(req, MAX_BODY_BYTES);
    const call: RecordedSalesforceCall = { method, path, body: recordedBody(req, rawBody), status: 0 };

    let result: ApiResult;
    const fault = this.#down ? undefined : this.#faults.take(method, path);
    if (this.#down) {
      result = serverUnavailable();
    } else if (fault) {
      if (fault.delayMs > 0) await this.#sleep(fault.delayMs);
      result = fault.result;
    } else if (url.pathname === '/services/oauth2/token') {
      result =
        method === 'POST'
          ? tokenEndpoint(new URLSearchParams(rawBody), header(req, 'authorization'), {
              url: this.url,
              now: this.#opts.now,
              credentials: this.#opts.credentials,
              issue: () => this.#issueToken(),
            })
          : { status: 405, body: { error: 'invalid_request', error_description: 'must use HTTP POST' } };
    } else {
      result = handleRest(
        { method, url, authorization: header(req, 'authorization'), rawBody },
        { org: this.#org, apiVersion: this.#opts.apiVersion, isValidToken: (t) => this.#tokens.has(t) },
      );
    }
    call.status = result.status;
    this.calls.push(call);
    send(res, result);
  }

  #issueToken(): string {
    this.#tokenCounter += 1;
    // Shaped like Salesforce's: <org id>!<opaque>.
    const token = `${salesforceId('00D', 1).slice(0, 15)}!AQ${this.#tokenCounter}.${randomBytes(24).toString('base64url')}`;
    this.#tokens.add(token);
    return token;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function recordedBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(raw))
      form[key] = MASKED_FORM_FIELDS.has(key) ? '[REDACTED]' : value;
    return form;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(res: ServerResponse, result: ApiResult): void {
  if (res.destroyed) return; // the client gave up (timeout) while we were delaying
  const headers: Record<string, string> = { ...result.headers };
  if (result.status === 204 || result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  headers['content-type'] =
    typeof result.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json;charset=UTF-8';
  res.writeHead(result.status, headers);
  res.end(text);
}
