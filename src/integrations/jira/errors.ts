// The one place Jira failures become the scheduler's typed errors (DESIGN.md §8). jira.js v6 already
// classifies every failure (AuthError, ForbiddenError, NotFoundError, RateLimitError with retryAfterMs,
// ServerError, NetworkError, ApiError with `status` and the parsed `body`); this turns those into
// RetryableError / PermanentError and, for 400s, into plain words saying what a human must fix.
import {
  isApiError,
  isAuthError,
  isConfigError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isSchemaMismatchError,
  isServerError,
} from 'jira.js';
import { PermanentError, RetryableError } from '../../jobs/errors.js';
import { UnexpectedResponseError } from './rest.js';
import { JiraTimeoutError } from './transport.js';

/** What the adapter was doing, so hints can name the project, the config path and the env variables. */
export interface JiraErrorContext {
  /** Short verb phrase for messages: "create an issue in ORION". */
  operation: string;
  /** Tenant whose config is involved; hints say `tenants.<tenantId>.jira…` (or `<tenant>` when unknown). */
  tenantId?: string;
  projectKey?: string;
  issueKey?: string;
  /** What we sent, so a rejected value can be quoted back. */
  issueType?: string;
  priority?: string;
  /** The permission the operation needs, for 403: "Create Issues", "Add Comments"… */
  permission?: string;
  apiVersion: 2 | 3;
  /** "JIRA_EMAIL/JIRA_API_TOKEN" or "JIRA_PAT". */
  credentialVariables: string;
  envPrefix: string;
}

interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

function readErrorBody(body: unknown): JiraErrorBody {
  const out: JiraErrorBody = { errorMessages: [], errors: {} };
  if (typeof body === 'string' && body.trim() !== '') out.errorMessages.push(body.trim().slice(0, 300));
  if (typeof body !== 'object' || body === null) return out;
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errorMessages)) {
    out.errorMessages.push(...record.errorMessages.filter((m): m is string => typeof m === 'string'));
  }
  if (typeof record.errors === 'object' && record.errors !== null) {
    for (const [field, message] of Object.entries(record.errors)) out.errors[field] = String(message);
  }
  // Some gateways answer {"message": "..."} instead of Jira's own shape.
  if (typeof record.message === 'string') out.errorMessages.push(record.message);
  return out;
}

function configPath(ctx: JiraErrorContext, leaf: string): string {
  return `tenants.${ctx.tenantId ?? '<tenant>'}.jira.${leaf}`;
}

function projectHint(ctx: JiraErrorContext): string {
  return `project ${ctx.projectKey ?? '(unknown)'} does not exist or is not visible to the Jira user — check ${configPath(ctx, 'projectKey')}`;
}

/** One `errors` entry (field → message) in plain words, with what to change. */
function explainField(field: string, message: string, ctx: JiraErrorContext): string {
  switch (field) {
    case 'priority':
      if (/cannot be set|appropriate screen/i.test(message)) {
        return `the priority field is not on the create screen of ${ctx.projectKey ?? 'the project'} — ask a Jira admin to add it`;
      }
      return `Jira does not know the priority "${ctx.priority ?? '?'}" — check ${configPath(ctx, 'priorities')} in the config`;
    case 'project':
    case 'pid':
      return projectHint(ctx);
    case 'issuetype':
      return `Jira does not know the issue type "${ctx.issueType ?? '?'}" in ${ctx.projectKey ?? 'the project'} — check ${configPath(ctx, 'issueType')}`;
    case 'labels':
      return `Jira rejected a label (${message}) — labels cannot contain spaces`;
    case 'summary':
      return `Jira rejected the summary: ${message}`;
    case 'description':
      return ctx.apiVersion === 3 && /atlassian document/i.test(message)
        ? `Jira rejected the description format (${message}) — if this is a Data Center site, set ${ctx.envPrefix}_API_VERSION=2`
        : `Jira rejected the description: ${message}`;
    default:
      return /required/i.test(message)
        ? `the field "${field}" is required on the create screen of ${ctx.projectKey ?? 'the project'} but the bot does not set it — ask a Jira admin to make it optional or give it a default`
        : `Jira rejected the field "${field}": ${message}`;
  }
}

function explainMessage(message: string, ctx: JiraErrorContext): string {
  if (
    /does not exist for the field 'project'|project .*(does not exist|not found)|valid project is required/i.test(
      message,
    )
  ) {
    return projectHint(ctx);
  }
  if (/issue does not exist/i.test(message)) {
    return `issue ${ctx.issueKey ?? ''} does not exist or the Jira user cannot see it`.replace('  ', ' ');
  }
  return `Jira said: ${message}`;
}

/** A 400 (or other refused request) in plain words; exported so it can be tested on its own. */
export function explainBadRequest(body: unknown, ctx: JiraErrorContext): string {
  const parsed = readErrorBody(body);
  const parts = [
    ...Object.entries(parsed.errors).map(([field, message]) => explainField(field, message, ctx)),
    ...parsed.errorMessages.map((m) => explainMessage(m, ctx)),
  ];
  return parts.length > 0 ? [...new Set(parts)].join('; ') : 'Jira gave no reason';
}

function statusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.status : undefined;
}

/**
 * Maps any failure of a Jira call to the typed error the scheduler acts on:
 *   429 → RetryableError (rateLimited, retryAfterMs from Retry-After);
 *   5xx, 408, network errors, timeouts → RetryableError;
 *   401 (already repeated once by the transport) → PermanentError naming the credential variables;
 *   403 → PermanentError naming the missing permission; 404 → PermanentError (issue gone/invisible);
 *   400 and other 4xx → PermanentError whose hint says in plain words what to fix.
 * Errors that are not Jira's (bugs) are returned unchanged so they reach the error sink as they are.
 */
export function toJiraError(error: unknown, ctx: JiraErrorContext): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const what = `Jira: could not ${ctx.operation}`;

  if (error instanceof JiraTimeoutError) {
    return new RetryableError(`${what}: no answer within ${error.timeoutMs} ms`, { cause: error });
  }
  if (isNetworkError(error)) {
    return new RetryableError(`${what}: ${error.code ?? 'network error'} (${error.message})`, {
      cause: error,
    });
  }
  if (isRateLimitError(error)) {
    return new RetryableError(`${what}: rate limited (429)`, {
      retryAfterMs: error.retryAfterMs,
      rateLimited: true,
      cause: error,
    });
  }
  if (isServerError(error) || statusOf(error) === 408) {
    // jira.js keeps no response headers on a 5xx, so a Retry-After on 503 cannot be honoured here;
    // the scheduler's backoff and circuit breaker pace the retries instead.
    return new RetryableError(`${what}: HTTP ${statusOf(error)}`, { cause: error });
  }
  if (isAuthError(error)) {
    return new PermanentError(`${what}: Jira rejected the credentials (401, twice)`, {
      hint: `Jira rejected the credentials — check ${ctx.credentialVariables}`,
      cause: error,
    });
  }
  if (isForbiddenError(error)) {
    const permission = ctx.permission ?? 'the needed project permission';
    return new PermanentError(`${what}: forbidden (403)`, {
      hint: `the Jira user cannot ${ctx.operation} — grant ${permission}`,
      cause: error,
    });
  }
  if (isNotFoundError(error)) {
    const hint = ctx.issueKey
      ? `issue ${ctx.issueKey} does not exist or the Jira user cannot see it (deleted, moved, or no Browse Projects permission)`
      : ctx.apiVersion === 3
        ? `Jira answered 404 — if this is a Server/Data Center site set ${ctx.envPrefix}_API_VERSION=2, otherwise check ${ctx.envPrefix}_BASE_URL`
        : `Jira answered 404 — check ${ctx.envPrefix}_BASE_URL (include the context path, e.g. /jira)`;
    return new PermanentError(`${what}: not found (404)`, { hint, cause: error });
  }
  if (isApiError(error)) {
    return new PermanentError(`${what}: HTTP ${error.status}`, {
      hint: explainBadRequest(error.body, ctx),
      cause: error,
    });
  }
  if (error instanceof UnexpectedResponseError || isSchemaMismatchError(error)) {
    return new PermanentError(`${what}: ${error.message}`, {
      hint: `check that ${ctx.envPrefix}_BASE_URL is the Jira site itself (not an SSO login page or proxy) and ${ctx.envPrefix}_API_VERSION matches it`,
      cause: error,
    });
  }
  if (isConfigError(error)) {
    return new PermanentError(`${what}: ${error.message}`, {
      hint: `check the ${ctx.envPrefix}_* settings`,
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
