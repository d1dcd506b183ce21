// CaseTracker on Salesforce REST: upsert Cases by the external-id field carrying the incident
// id, comment, set status, and pull back what people changed (SOQL with bound values).
//
// Tenant context: the adapter serves every tenant of one org, but hints should name the config
// key to fix (tenants.<id>.salesforce.accountId). Pass `{ tenantId }` as the optional last
// argument of any call, or use `forTenant(id)` to get a CaseTracker that always does.
import { PermanentError, RetryableError } from '../../jobs/errors.js';
import type { Logger } from '../../logger.js';
import type { CaseChange, CaseFields, CaseRef, CaseTracker } from '../ports.js';
import { classifyFailure, type Failure, type FailureContext } from './errors.js';
import { parseCaseNumber, parseQueryPage, parseSaveResult, toCaseChange } from './records.js';
import { type Session, SessionSource, TokenRefused } from './session.js';
import { API_VERSION, EXTERNAL_ID_FIELD, type SalesforceSettings } from './settings.js';
import { changedCasesQuery, assertSalesforceId as checkId, soqlDateTime } from './soql.js';
import { fetchSend, type Send, WireError, type WireMethod, type WireResponse } from './wire.js';

export type {
  SalesforceAuth,
  SalesforceEnvOptions,
  SalesforceEnvResult,
  SalesforceSettings,
} from './settings.js';
export { salesforceSettingsFromEnv } from './settings.js';
export { soqlDateTime, soqlId, soqlString } from './soql.js';

export interface SalesforceCallContext {
  /** Names the tenant in config hints (tenants.<tenantId>.salesforce…). */
  tenantId?: string;
}

export interface SalesforceCaseTrackerOptions {
  logger?: Logger;
  /** Default context for every call (a per-call context wins). */
  context?: SalesforceCallContext;
  /** Replaces the HTTP exchange (tests of the adapter's own logic); defaults to Node's fetch. */
  send?: Send;
}

// Salesforce field limits: longer text is cut here rather than refused there.
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const COMMENT_MAX = 4_000;
const MAX_QUERY_PAGES = 100;

interface Call {
  operation: string;
  method: WireMethod;
  /** Path below /services/data/vXX.X, or an absolute /services/… path (query pagination). */
  path: string;
  body?: unknown;
  hints?: Partial<FailureContext>;
}

export class SalesforceCaseTracker implements CaseTracker {
  readonly #settings: SalesforceSettings;
  readonly #send: Send;
  readonly #sessions: SessionSource;
  readonly #logger: Logger | undefined;
  readonly #context: SalesforceCallContext;

  constructor(settings: SalesforceSettings, opts: SalesforceCaseTrackerOptions = {}) {
    // Both end up inside URLs and SOQL, so they are checked here even though env parsing did too.
    if (!EXTERNAL_ID_FIELD.test(settings.externalIdField)) {
      throw new Error(
        `invalid Salesforce external-id field name ${JSON.stringify(settings.externalIdField)}`,
      );
    }
    if (!API_VERSION.test(settings.apiVersion)) {
      throw new Error(`invalid Salesforce API version ${JSON.stringify(settings.apiVersion)}`);
    }
    this.#settings = settings;
    this.#logger = opts.logger?.child({ component: 'salesforce' });
    this.#send = opts.send ?? fetchSend(settings.timeoutMs);
    this.#sessions = new SessionSource(settings, this.#send, this.#logger);
    this.#context = opts.context ?? {};
  }

  /** A CaseTracker whose errors name this tenant's config keys. */
  forTenant(tenantId: string): CaseTracker {
    const context = { tenantId };
    return {
      upsertCase: (externalId, fields) => this.upsertCase(externalId, fields, context),
      addComment: (caseId, body) => this.addComment(caseId, body, context),
      setStatus: (caseId, status) => this.setStatus(caseId, status, context),
      changedSince: (accountIds, since, until) => this.changedSince(accountIds, since, until, context),
    };
  }

  async upsertCase(
    externalId: string,
    fields: CaseFields,
    context?: SalesforceCallContext,
  ): Promise<CaseRef> {
    if (externalId.trim() === '') throw new PermanentError('cannot upsert a Case with an empty external id');
    const configKey = (key: string) =>
      `check tenants.${this.#tenant(context) ?? '<tenant>'}.salesforce.${key} in the config`;
    checkId(fields.accountId, 'Account id', configKey('accountId'));
    if (fields.contactId) checkId(fields.contactId, 'Contact id', configKey('contactId'));

    const byExternalId = `/sobjects/Case/${this.#settings.externalIdField}/${encodeURIComponent(externalId)}`;
    const hints = {
      ...this.#hints(context),
      accountId: fields.accountId,
      contactId: fields.contactId,
      byExternalId: true,
    };
    const { response } = await this.#call({
      operation: 'upsert Case',
      method: 'PATCH',
      path: byExternalId,
      body: caseRecord(fields, this.#settings.externalIdField),
      hints,
    });
    // 201 → created; 200 (API 46.0+) → updated with a body; 204 (older) → updated, no body.
    const saved = response.status === 204 ? undefined : parseSaveResult(response.body);
    const created = response.status === 201 || saved?.created === true;

    // CaseNumber is assigned by Salesforce and not in the upsert answer: read it back.
    const readPath = saved?.id
      ? `/sobjects/Case/${encodeURIComponent(saved.id)}?fields=Id,CaseNumber`
      : `${byExternalId}?fields=Id,CaseNumber`;
    const read = await this.#call({
      operation: 'read Case number',
      method: 'GET',
      path: readPath,
      hints: { ...hints, byExternalId: !saved?.id, caseId: saved?.id },
    });
    const record = parseCaseNumber(read.response.body);
    const id = record.Id ?? saved?.id;
    if (!id) throw new RetryableError('Salesforce answered the Case read without an Id');
    return {
      id,
      caseNumber: record.CaseNumber,
      url: `${read.session.instanceUrl}/lightning/r/Case/${id}/view`,
      created,
    };
  }

  async addComment(caseId: string, body: string, context?: SalesforceCallContext): Promise<void> {
    checkId(caseId, 'Case id');
    await this.#call({
      operation: 'add CaseComment',
      method: 'POST',
      path: '/sobjects/CaseComment',
      body: { ParentId: caseId, CommentBody: clip(body, COMMENT_MAX) },
      hints: { ...this.#hints(context), caseId },
    });
  }

  async setStatus(caseId: string, status: string, context?: SalesforceCallContext): Promise<void> {
    checkId(caseId, 'Case id');
    await this.#call({
      operation: 'set Case status',
      method: 'PATCH',
      path: `/sobjects/Case/${encodeURIComponent(caseId)}`,
      body: { Status: status },
      hints: { ...this.#hints(context), caseId },
    });
  }

  async changedSince(
    accountIds: string[],
    since: number,
    until: number,
    context?: SalesforceCallContext,
  ): Promise<CaseChange[]> {
    const accounts = [...new Set(accountIds)];
    // Windows are whole seconds (soqlDateTime); an empty window needs no call.
    if (accounts.length === 0 || soqlDateTime(since) >= soqlDateTime(until)) return [];
    const tenantHint = `check tenants.${this.#tenant(context) ?? '<tenant>'}.salesforce.accountId in the config`;
    for (const id of accounts) checkId(id, 'Account id', tenantHint);

    const soql = changedCasesQuery(this.#settings.externalIdField, accounts, since, until);
    const changes: CaseChange[] = [];
    let path: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
    // Salesforce pages results (2,000 by default); nextRecordsUrl is an absolute /services/data path.
    for (let page = 0; path !== undefined; page += 1) {
      if (page === MAX_QUERY_PAGES) {
        // Never drop changes silently: a poll window this busy needs a person to look.
        throw new PermanentError(`more than ${MAX_QUERY_PAGES} pages of changed Cases in one poll window`, {
          hint: 'shorten integrations.pollEvery in the config',
        });
      }
      const { response } = await this.#call({
        operation: 'query changed Cases',
        method: 'GET',
        path,
        hints: this.#hints(context),
      });
      const result = parseQueryPage(response.body);
      for (const record of result.records) changes.push(toCaseChange(record, this.#settings.externalIdField));
      path = result.done ? undefined : result.nextRecordsUrl;
    }
    return changes;
  }

  #tenant(context: SalesforceCallContext | undefined): string | undefined {
    return context?.tenantId ?? this.#context.tenantId;
  }

  #hints(context: SalesforceCallContext | undefined): Partial<FailureContext> {
    const tenantId = this.#tenant(context);
    return tenantId === undefined ? {} : { tenantId };
  }

  /** Sends one REST call with a session; on INVALID_SESSION_ID signs in again and repeats it once. */
  async #call(call: Call): Promise<{ response: WireResponse; session: Session }> {
    let afterReauth = false;
    for (;;) {
      const session = await this.#session(call);
      let failure: Failure;
      try {
        const response = await this.#exchange(call, session);
        if (response.status >= 200 && response.status < 300) return { response, session };
        failure = { kind: 'http', response };
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        failure = { kind: 'wire', error };
      }
      const verdict = classifyFailure(failure, this.#failureContext(call, 'api', afterReauth));
      if (verdict.action === 'fail') {
        this.#logger?.warn({ operation: call.operation, err: verdict.error }, 'salesforce: call failed');
        throw verdict.error;
      }
      this.#logger?.info({ operation: call.operation }, 'salesforce: session expired; signing in again');
      await this.#sessions.invalidate(session);
      afterReauth = true;
    }
  }

  async #session(call: Call): Promise<Session> {
    try {
      return await this.#sessions.get();
    } catch (error) {
      const failure: Failure | undefined =
        error instanceof TokenRefused
          ? { kind: 'http', response: error.response }
          : error instanceof WireError
            ? { kind: 'wire', error }
            : undefined;
      if (!failure) throw error;
      const verdict = classifyFailure(failure, {
        ...this.#failureContext(call, 'token', false),
        operation: 'token request',
      });
      // The token phase never asks for a re-auth; a 'reauth' here would be a mapping bug.
      const typed =
        verdict.action === 'fail' ? verdict.error : new PermanentError('Salesforce sign-in failed');
      this.#logger?.warn({ err: typed }, 'salesforce: sign-in failed');
      throw typed;
    }
  }

  async #exchange(call: Call, session: Session): Promise<WireResponse> {
    const base = `/services/data/v${this.#settings.apiVersion}`;
    const path = call.path.startsWith('/services/') ? call.path : `${base}${call.path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${session.accessToken}`,
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await this.#send({
      method: call.method,
      url: `${session.instanceUrl}${path}`,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    this.#logger?.debug(
      {
        operation: call.operation,
        method: call.method,
        path,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      'salesforce: call',
    );
    return response;
  }

  #failureContext(call: Call, phase: 'token' | 'api', afterReauth: boolean): FailureContext {
    return {
      operation: call.operation,
      phase,
      afterReauth,
      flow: this.#settings.auth.flow,
      externalIdField: this.#settings.externalIdField,
      timeoutMs: this.#settings.timeoutMs,
      now: this.#settings.now(),
      ...call.hints,
    };
  }
}

function caseRecord(fields: CaseFields, externalIdField: string): Record<string, unknown> {
  const extra = { ...fields.extra };
  // The external id travels in the URL; a different value in the body would re-key the Case.
  delete extra[externalIdField];
  return {
    ...extra,
    Subject: clip(fields.subject, SUBJECT_MAX),
    Description: clip(fields.description, DESCRIPTION_MAX),
    Priority: fields.priority,
    Status: fields.status,
    Origin: fields.origin,
    AccountId: fields.accountId,
    ...(fields.contactId ? { ContactId: fields.contactId } : {}),
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
