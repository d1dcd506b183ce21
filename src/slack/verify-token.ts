// One auth.test at start, sorted into the two answers that matter to an operator: the token can
// never work (revoked, wrong, from an uninstalled app) — stop with one clear line, exit code 2 —
// or Slack is just not answering right now (outage, 5xx, timeout, rate limit) — start anyway and
// try again later, because outages make work wait, never die (DESIGN.md §3).
//
// Before this, every failure was retried forever with a warning, so an unedited or revoked token
// looked like a Slack outage that never ended.
//
// `call` is any Web API caller: `(method) => webClient.apiCall(method)` (which throws
// @slack/web-api's coded errors) or a plain function returning Slack's JSON (`{ ok: false, error }`).
import { ErrorCode } from '@slack/web-api';

export type SlackTokenCheck =
  | { ok: true; team: string; botUser: string }
  | { ok: false; fatal: true; problem: string }
  | { ok: false; fatal: false; problem: string; retryAfterMs?: number };

/**
 * Resolves with Slack's JSON answer. Typed `object` rather than `Record<string, unknown>` so that
 * `(m) => webClient.apiCall(m)` fits without a cast (WebAPICallResult has no index signature);
 * a `Promise<Record<string, unknown>>` caller fits too.
 */
export type SlackMethodCall = (method: string) => Promise<object>;

export interface VerifySlackTokenOptions {
  /** An attempt that takes longer than this counts as an outage (non-fatal). Default 10 s. */
  timeoutMs?: number;
  /** The variable problems name; SLACK_BOT_TOKEN unless checking another token. */
  variable?: string;
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

/** Slack errors that no amount of waiting fixes: a person has to change the token. */
const FATAL: Record<string, string> = {
  invalid_auth:
    "Slack does not accept this token (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
  not_authed: 'no token reached Slack (not_authed): set the Bot User OAuth Token (xoxb-…)',
  account_inactive:
    'the token belongs to an uninstalled app or a deactivated user (account_inactive): reinstall the app to the workspace and copy the new token',
  token_revoked:
    'the token was revoked (token_revoked): reinstall the app to the workspace and copy the new token',
  token_expired:
    'the token has expired (token_expired): the app uses token rotation, which the bot does not support; turn it off under OAuth & Permissions and reinstall',
  not_allowed_token_type:
    'this kind of token cannot call the Web API (not_allowed_token_type): use the Bot User OAuth Token (xoxb-…)',
};

export async function verifySlackToken(
  call: SlackMethodCall,
  options: VerifySlackTokenOptions = {},
): Promise<SlackTokenCheck> {
  const variable = options.variable ?? 'SLACK_BOT_TOKEN';
  const timeoutMs = options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const outage = (why: string, retryAfterMs?: number): SlackTokenCheck => ({
    ok: false,
    fatal: false,
    problem: `${variable}: cannot verify the token yet: ${redact(why)}; will retry`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  const refused = (code: string): SlackTokenCheck => {
    const why = FATAL[code];
    return why
      ? { ok: false, fatal: true, problem: `${variable}: ${why}` }
      : outage(`Slack answered auth.test with ${code}`);
  };

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let answer: Record<string, unknown> | 'timeout';
  try {
    answer = (await Promise.race([call('auth.test'), timedOut])) as Record<string, unknown> | 'timeout';
  } catch (error) {
    return fromThrown(error, refused, outage);
  } finally {
    clearTimeout(timer);
  }

  if (answer === 'timeout') return outage(`Slack did not answer auth.test within ${timeoutMs} ms`);
  if (answer.ok === true) {
    return { ok: true, team: text(answer.team ?? answer.team_id), botUser: text(answer.user_id) };
  }
  const code = text(answer.error) || 'an error without a code';
  if (code === 'ratelimited') return outage('Slack rate-limited auth.test');
  return refused(code);
}

function fromThrown(
  error: unknown,
  refused: (code: string) => SlackTokenCheck,
  outage: (why: string, retryAfterMs?: number) => SlackTokenCheck,
): SlackTokenCheck {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
    original?: unknown;
    message?: unknown;
  };
  switch (e.code) {
    case ErrorCode.PlatformError: {
      const code = text(e.data?.error);
      return code === 'ratelimited' ? outage('Slack rate-limited auth.test') : refused(code || 'an error');
    }
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
      return outage(
        `Slack rate-limited auth.test${seconds === undefined ? '' : ` (retry after ${seconds} s)`}`,
        seconds === undefined ? undefined : seconds * 1000,
      );
    }
    case ErrorCode.HTTPError: {
      const status = Number(e.statusCode);
      // Slack answers auth problems with 200 + ok:false; any other status is its edge or a proxy.
      const hint =
        status >= 400 && status < 500 && status !== 408 && status !== 429 ? ' (check SLACK_API_URL)' : '';
      return outage(`Slack answered HTTP ${status} to auth.test${hint}`);
    }
    case ErrorCode.RequestError:
      return outage(`Slack is unreachable (${networkReason(e.original)})`);
    default:
      return outage(`auth.test failed: ${networkReason(error)}`);
  }
}

/** fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, timeout) is the cause. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'the request timed out';
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error.message;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Error texts come from libraries; make sure no token can ride along into a log or a terminal. */
function redact(message: string): string {
  return message.replace(/\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g, '[token]');
}
