// The one place Salesforce failures become typed errors (DESIGN.md §8). Everything the adapter
// sees — token endpoint answers, REST error bodies, timeouts, network errors — passes through
// classifyFailure, which says: re-authenticate and repeat, retry later, or stop and tell a person.
import { PermanentError, RetryableError } from '../../jobs/errors.js';
import { redactText } from '../../logger.js';
import { credentialVariables, type SalesforceAuthFlow } from './settings.js';
import type { WireError, WireResponse } from './wire.js';

export type Failure = { kind: 'http'; response: WireResponse } | { kind: 'wire'; error: WireError };

export interface FailureContext {
  /** What we were doing, in words: "upsert Case", "token request". */
  operation: string;
  phase: 'token' | 'api';
  /** True once we already re-authenticated for this call: a second 401 is final. */
  afterReauth: boolean;
  flow: SalesforceAuthFlow;
  externalIdField: string;
  timeoutMs: number;
  now: number;
  /** Optional; makes config hints name the tenant (tenants.<id>.salesforce…). */
  tenantId?: string;
  /** The ids involved, to name them in hints. */
  accountId?: string;
  contactId?: string;
  caseId?: string;
  /** The call addressed a Case by the external-id field (upsert or read back). */
  byExternalId?: boolean;
}

export type Verdict = { action: 'reauth' } | { action: 'fail'; error: RetryableError | PermanentError };

/** A Salesforce REST error: `[{"message","errorCode","fields"}]`, or the token endpoint's `{error, error_description}`. */
interface ApiError {
  code: string;
  message: string;
  fields: string[];
}

// Codes that clear up by themselves (record locks, org busy) although some arrive as 400.
const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG']);
const CREDENTIAL_CODES = new Set([
  'invalid_client',
  'invalid_client_id',
  'invalid_grant',
  'unsupported_grant_type',
]);

export function classifyFailure(failure: Failure, ctx: FailureContext): Verdict {
  const what = `Salesforce ${ctx.operation}`;
  if (failure.kind === 'wire') {
    const { error } = failure;
    const message =
      error.kind === 'timeout'
        ? `${what} timed out after ${ctx.timeoutMs} ms`
        : `${what} could not reach Salesforce: ${redactText(error.message)}`;
    return fail(new RetryableError(message, { cause: error }));
  }

  const { status, headers } = failure.response;
  const errors = parseErrors(failure.response.body);
  const first = errors[0] ?? { code: `HTTP_${status}`, message: '', fields: [] };
  const codes = new Set(errors.map((e) => e.code));
  const retryAfterMs = parseRetryAfter(headers['retry-after'], ctx.now);
  const summary = `${what} failed: HTTP ${status} ${first.code}${first.message ? `: ${redactText(first.message)}` : ''}`;

  if (status === 401 || codes.has('INVALID_SESSION_ID')) {
    // An expired or revoked session: a fresh token fixes it, once. Twice means the credentials are bad.
    if (ctx.phase === 'api' && !ctx.afterReauth) return { action: 'reauth' };
    return fail(credentialsError(ctx, summary, first));
  }
  if (status === 429 || codes.has('REQUEST_LIMIT_EXCEEDED')) {
    return fail(
      new RetryableError(`${summary} (API request limit reached)`, { retryAfterMs, rateLimited: true }),
    );
  }
  if (status >= 500 || status === 408 || [...codes].some((c) => TRANSIENT_CODES.has(c))) {
    return fail(new RetryableError(summary, { retryAfterMs }));
  }
  // The token endpoint answers every refusal with a 4xx; none of them heal by waiting.
  if (ctx.phase === 'token' && (CREDENTIAL_CODES.has(first.code) || status === 400 || status === 403)) {
    return fail(credentialsError(ctx, summary, first));
  }
  return fail(new PermanentError(summary, { hint: hintFor(status, first, ctx) }));
}

function fail(error: RetryableError | PermanentError): Verdict {
  return { action: 'fail', error };
}

function credentialsError(ctx: FailureContext, summary: string, error: ApiError): PermanentError {
  return new PermanentError(
    `Salesforce rejected the credentials: check ${credentialVariables(ctx.flow)} (${summary})`,
    {
      hint: credentialHint(ctx, error),
    },
  );
}

function credentialHint(ctx: FailureContext, error: ApiError): string {
  if (ctx.phase === 'api') {
    return 'a fresh access token was refused too: the integration user may be frozen or deactivated, lack the "API Enabled" permission, or the connected app policy blocks it';
  }
  if (error.code === 'invalid_client_id' || error.code === 'invalid_client') {
    return 'Salesforce does not know this connected app or its secret: copy the Consumer Key into SALESFORCE_CLIENT_ID and the Consumer Secret into SALESFORCE_CLIENT_SECRET';
  }
  if (error.code === 'unsupported_grant_type') {
    return `the connected app does not allow the ${ctx.flow} flow: enable it in the app's OAuth settings or change SALESFORCE_AUTH_FLOW`;
  }
  switch (ctx.flow) {
    case 'client_credentials':
      return 'enable "Client Credentials Flow" with a Run As user on the connected app, and set SALESFORCE_LOGIN_URL to your My Domain URL (https://<name>.my.salesforce.com)';
    case 'jwt':
      return 'the JWT was refused: the certificate on the connected app must match SALESFORCE_PRIVATE_KEY_FILE, SALESFORCE_USERNAME must be pre-authorized for the app (profile or permission set), and SALESFORCE_LOGIN_URL must be login.salesforce.com for production or test.salesforce.com for a sandbox';
    case 'password':
      return 'check SALESFORCE_USERNAME and SALESFORCE_PASSWORD (append the security token to the password unless the server IP is trusted)';
  }
}

function hintFor(status: number, error: ApiError, ctx: FailureContext): string | undefined {
  const tenant = ctx.tenantId ?? '<tenant>';
  const config = (key: string) => `tenants.${tenant}.salesforce.${key}`;
  const fields = error.fields;
  const mentions = (name: string) => fields.includes(name) || error.message.includes(name);
  const extField = ctx.externalIdField;

  switch (error.code) {
    case 'INVALID_CROSS_REFERENCE_KEY':
      if (mentions('ParentId') || (ctx.caseId && !ctx.accountId)) {
        return `Case ${ctx.caseId ?? '(unknown)'} not found — it may have been deleted or merged in Salesforce`;
      }
      if (mentions('ContactId')) {
        return `Contact ${ctx.contactId ?? '(unknown)'} not found — check ${config('contactId')} in the config`;
      }
      return `Account ${ctx.accountId ?? '(unknown)'} not found — check ${config('accountId')} in the config`;
    case 'INVALID_FIELD':
    case 'NOT_FOUND':
    case 'INVALID_FIELD_FOR_INSERT_UPDATE': {
      // Upsert answers NOT_FOUND (older) or INVALID_FIELD (newer) when the external-id field is missing.
      const missingExtField =
        error.message.includes(extField) || (error.code === 'NOT_FOUND' && ctx.byExternalId === true);
      if (missingExtField) {
        return `the external-id field ${extField} does not exist on Case — create it (Text, External ID, Unique) or set SALESFORCE_EXTERNAL_ID_FIELD`;
      }
      if (error.code === 'NOT_FOUND') {
        return ctx.caseId ? `Case ${ctx.caseId} no longer exists in Salesforce` : undefined;
      }
      const column = /No such column '([^']+)'/.exec(error.message)?.[1] ?? fields[0];
      return `the Case field ${column ?? '(unknown)'} does not exist or the integration user cannot edit it — fix ${config('extraFields')} in the config or the field-level security`;
    }
    case 'ENTITY_IS_DELETED':
      return `Case ${ctx.caseId ?? '(unknown)'} was deleted in Salesforce`;
    case 'REQUIRED_FIELD_MISSING':
      return `Salesforce requires ${listOr(fields, 'more fields')} on Case — set ${fields.length > 1 ? 'them' : 'it'} in ${config('extraFields')}`;
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return `a validation rule on Case refused the record ("${redactText(error.message)}") — set the fields it needs in ${config('extraFields')} or ask the Salesforce admin to adjust the rule`;
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
    case 'BAD_VALUE_FOR_PICKLIST':
      return picklistHint(fields, error.message, config);
    case 'STRING_TOO_LONG':
      return `a value is too long for ${listOr(fields, 'a Case field')} — shorten it in ${config('extraFields')}`;
    case 'MULTIPLE_CHOICES':
      return `several Cases carry the same ${extField} value — mark the field Unique in Salesforce and merge the duplicates`;
    case 'MALFORMED_QUERY':
    case 'INVALID_QUERY_FILTER_OPERATOR':
    case 'INVALID_TYPE':
      return 'Salesforce could not run the query opsbot built — this is a bug in opsbot; please report it with this message';
    case 'INSUFFICIENT_ACCESS':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return 'the integration user may not do this — give it "API Enabled" and Create/Edit on Case and CaseComment, and access to the tenant accounts';
  }
  if (status === 300) {
    return `several Cases carry the same ${extField} value — mark the field Unique in Salesforce and merge the duplicates`;
  }
  if (status >= 300 && status < 400) {
    return 'Salesforce redirected the call — set SALESFORCE_INSTANCE_URL (or SALESFORCE_LOGIN_URL) to your My Domain URL';
  }
  return undefined;
}

function picklistHint(fields: string[], message: string, config: (key: string) => string): string {
  const field = fields[0] ?? /field: (\w+)/.exec(message)?.[1];
  const where: Record<string, string> = {
    Priority: config('priorities'),
    Status: `${config('newStatus')} / ${config('resolvedStatus')}`,
    Origin: config('origin'),
  };
  const name = field ?? 'a picklist field';
  return `${name} does not accept this value — use one of its picklist values in ${where[name] ?? config('extraFields')}`;
}

function listOr(items: string[], fallback: string): string {
  return items.length > 0 ? items.join(', ') : fallback;
}

function parseErrors(body: string): ApiError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out: ApiError[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const e = item as Record<string, unknown>;
    const code = e.errorCode ?? e.error;
    if (typeof code !== 'string') continue;
    const message = e.message ?? e.error_description;
    out.push({
      code,
      message: typeof message === 'string' ? message : '',
      fields: Array.isArray(e.fields) ? e.fields.filter((f): f is string => typeof f === 'string') : [],
    });
  }
  // A 300 from upsert lists the matching records' URLs instead of errors.
  if (out.length === 0 && Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) {
    return [{ code: 'MULTIPLE_CHOICES', message: `${parsed.length} records match`, fields: [] }];
  }
  return out;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
