// The jira.js v6 transport, configured once per site: host, auth, "repeat once on 401" and a timeout.
// jira.js is Cloud-only (one v3 surface), but its core `Client.sendRequest` is version-agnostic — same
// auth headers, same typed errors — so the Data Center (REST v2) calls go through it too.
import { type Client, createClient } from 'jira.js/core';
import type { JiraSettings } from './settings.js';

/** Thrown when Jira did not answer within `timeoutMs`; mapped to a RetryableError by `toJiraError`. */
export class JiraTimeoutError extends Error {
  override readonly name = 'JiraTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`Jira did not answer within ${timeoutMs} ms`);
  }
}

type StaticAuth = { type: 'basic'; email: string; apiToken: string } | { type: 'bearer'; token: string };

function toJiraJsAuth(auth: JiraSettings['auth']): StaticAuth {
  return auth.kind === 'basic'
    ? { type: 'basic', email: auth.email, apiToken: auth.apiToken }
    : { type: 'bearer', token: auth.token };
}

/**
 * jira.js's `sendRequest` takes no AbortSignal (it calls the global `fetch` itself), so the timeout is a race:
 * the caller gets a RetryableError on time, while the abandoned request may still complete on Jira's side.
 * That is safe only because every write is idempotent — `findOrCreateIssue` looks the issue up by its label
 * before creating, and properties/remote links are keyed.
 */
function withTimeout(inner: Client, timeoutMs: number): Client {
  return {
    sendRequest<T>(options: Parameters<Client['sendRequest']>[0]): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new JiraTimeoutError(timeoutMs)), timeoutMs);
        timer.unref?.();
      });
      return Promise.race([inner.sendRequest(options) as Promise<T>, timeout]).finally(() =>
        clearTimeout(timer),
      );
    },
  };
}

export function createJiraClient(settings: JiraSettings): Client {
  const auth = toJiraJsAuth(settings.auth);
  const client = createClient({
    host: settings.baseUrl,
    auth,
    // "Repeat once on 401": API tokens and PATs cannot be refreshed, so jira.js re-sends with the same
    // credentials; a 401 caused by a transient edge/SSO hiccup then succeeds, a real one comes back as AuthError.
    getAuthOn401: async () => auth,
    // Responses are parsed with our own zod schemas for the few fields we read; jira.js's full-model check
    // would only add stderr noise (or throw after a write already happened).
    onSchemaMismatch: 'silent',
    // No jira.js retries: retrying is the scheduler's job (backoff, circuit breaker, durable attempts).
  });
  return withTimeout(client, settings.timeoutMs);
}
