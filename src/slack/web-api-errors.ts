import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { PermanentError, RetryableError } from '../jobs/errors.js';

// Slack platform errors that go away on their own; everything else is a request we must fix.
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

const HINTS: Record<string, string> = {
  channel_not_found:
    'the channel does not exist or the bot cannot see it: check the channel id in the config',
  not_in_channel: 'the bot is not a member of the channel: invite it with /invite @opsbot',
  is_archived: 'the channel is archived: unarchive it or change the channel in the config',
  invalid_auth: 'SLACK_BOT_TOKEN is invalid: reinstall the app and update the token',
  not_authed: 'SLACK_BOT_TOKEN is missing',
  account_inactive: 'the bot token was revoked: reinstall the app',
  missing_scope: 'the app lacks a scope: compare the app with manifests/slack-app.yaml and reinstall',
  message_not_found: 'the message to update no longer exists',
  msg_too_long: 'the message text is too long for Slack',
};

/** Translates a Web API failure into what the scheduler should do about it. */
export function classifySlackError(method: string, error: unknown): Error {
  if (error instanceof WebAPIRateLimitedError) {
    return new RetryableError(`Slack rate-limited ${method}; retry after ${error.retryAfter}s`, {
      retryAfterMs: error.retryAfter * 1000,
      rateLimited: true,
      cause: error,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    if (TRANSIENT.has(code)) return new RetryableError(`Slack ${method} failed: ${code}`, { cause: error });
    return new PermanentError(`Slack ${method} failed: ${code}`, { hint: HINTS[code], cause: error });
  }
  if (error instanceof WebAPIHTTPError) {
    const retryAfter = Number.parseInt(error.headers['retry-after'] ?? '', 10);
    if (error.statusCode >= 500 || error.statusCode === 408) {
      return new RetryableError(`Slack ${method} answered HTTP ${error.statusCode}`, {
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
        cause: error,
      });
    }
    return new PermanentError(`Slack ${method} answered HTTP ${error.statusCode}`, { cause: error });
  }
  if (error instanceof WebAPIRequestError) {
    return new RetryableError(`Slack ${method} unreachable: ${error.original.message}`, { cause: error });
  }
  return new RetryableError(
    `Slack ${method} failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
    },
  );
}
