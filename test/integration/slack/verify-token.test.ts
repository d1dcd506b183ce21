// verifySlackToken against the Slack stand-in over loopback, through the real WebClient the kernel
// uses (no retries, rate limits rejected), so the errors it sorts are the ones production sees.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../../sandbox/slack-standin/index.js';
import { type SlackMethodCall, verifySlackToken } from '../../../src/slack/verify-token.js';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await SlackStandIn.start();
});
afterAll(async () => {
  await slack.stop();
});
beforeEach(() => slack.clearCalls());

/** The caller the kernel would pass: its own WebClient, configured like src/app.ts configures it. */
function callerFor(token: string, apiUrl = slack.apiUrl, timeout = 5000): SlackMethodCall {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout,
    logLevel: LogLevel.ERROR, // the failures below are the point; keep the test output quiet
  });
  return (method) => client.apiCall(method);
}

describe('verifySlackToken', () => {
  it('returns the team and the bot user when Slack accepts the token', async () => {
    const check = await verifySlackToken(callerFor(slack.botToken));
    expect(check).toEqual({ ok: true, team: 'Sandbox', botUser: expect.stringMatching(/^U/) });
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('is fatal for a token Slack does not know, naming the variable and never the token', async () => {
    const token = 'xoxb-1234-5678-notthebotstoken';
    const check = await verifySlackToken(callerFor(token));
    expect(check).toMatchObject({ ok: false, fatal: true });
    if (check.ok) return;
    expect(check.problem).toMatch(/^SLACK_BOT_TOKEN: Slack does not accept this token \(invalid_auth\)/);
    expect(check.problem).not.toContain(token);
    expect(check.problem).not.toContain('\n');
  });

  it.each(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'])(
    'is fatal when auth.test answers %s: retrying cannot fix it',
    async (error) => {
      slack.failNext('auth.test', { error });
      const check = await verifySlackToken(callerFor(slack.botToken));
      expect(check).toMatchObject({ ok: false, fatal: true });
      if (!check.ok) expect(check.problem).toContain(`(${error})`);
    },
  );

  it.each([
    [{ httpStatus: 503 }, /Slack answered HTTP 503 to auth\.test/],
    [{ httpStatus: 500 }, /Slack answered HTTP 500 to auth\.test/],
    [{ error: 'internal_error' }, /Slack answered auth\.test with internal_error/],
    [{ error: 'service_unavailable' }, /service_unavailable/],
  ])('is not fatal when Slack has an outage (%o)', async (fault, message) => {
    slack.failNext('auth.test', fault);
    const check = await verifySlackToken(callerFor(slack.botToken));
    expect(check).toMatchObject({ ok: false, fatal: false });
    if (!check.ok) expect(check.problem).toMatch(message);
    // …and the next attempt, once Slack is back, succeeds.
    expect(await verifySlackToken(callerFor(slack.botToken))).toMatchObject({ ok: true });
  });

  it('is not fatal when rate-limited, and says when to try again', async () => {
    slack.failNext('auth.test', { rateLimitedRetryAfterSec: 7 });
    const check = await verifySlackToken(callerFor(slack.botToken));
    expect(check).toEqual({
      ok: false,
      fatal: false,
      problem:
        'SLACK_BOT_TOKEN: cannot verify the token yet: Slack rate-limited auth.test (retry after 7 s); will retry',
      retryAfterMs: 7000,
    });
  });

  describe('when Slack cannot be reached', () => {
    let silent: Server;
    let silentUrl: string;
    beforeAll(async () => {
      // Accepts the connection and never answers: what a hung load balancer looks like.
      silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/`;
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('is not fatal when the connection is refused', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const check = await verifySlackToken(callerFor(slack.botToken, `http://127.0.0.1:${port}/api/`));
      expect(check).toMatchObject({ ok: false, fatal: false });
      if (!check.ok) expect(check.problem).toContain('Slack is unreachable (ECONNREFUSED)');
    });

    it('is not fatal when Slack does not answer in time (its own timeout)', async () => {
      const started = Date.now();
      const check = await verifySlackToken(callerFor(slack.botToken, silentUrl, 60_000), { timeoutMs: 150 });
      expect(check).toMatchObject({ ok: false, fatal: false });
      if (!check.ok) expect(check.problem).toContain('did not answer auth.test within 150 ms');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("is not fatal when the client's own timeout fires first", async () => {
      const check = await verifySlackToken(callerFor(slack.botToken, silentUrl, 100), { timeoutMs: 10_000 });
      expect(check).toMatchObject({ ok: false, fatal: false });
      if (!check.ok) expect(check.problem).toContain('Slack is unreachable (the request timed out)');
    });
  });

  it('reads a plain JSON answer from a caller that does not throw', async () => {
    const answers: Record<string, Record<string, unknown>> = {
      good: { ok: true, team: 'Acme', user_id: 'U0BOT' },
      revoked: { ok: false, error: 'token_revoked' },
      busy: { ok: false, error: 'ratelimited' },
      odd: { ok: false, error: 'team_added_to_org' },
    };
    const plain = (name: string) => () => Promise.resolve(answers[name] ?? {});
    expect(await verifySlackToken(plain('good'))).toEqual({ ok: true, team: 'Acme', botUser: 'U0BOT' });
    expect(await verifySlackToken(plain('revoked'))).toMatchObject({ ok: false, fatal: true });
    expect(await verifySlackToken(plain('busy'))).toMatchObject({ ok: false, fatal: false });
    // Unknown codes wait rather than stop the bot: stopping on a transient code would be worse.
    expect(await verifySlackToken(plain('odd'))).toMatchObject({ ok: false, fatal: false });
  });

  it('names the variable it is told to, and keeps tokens out of the problem', async () => {
    const leaky = () => Promise.reject(new Error('bad header for xoxb-111-222-secretpart'));
    const check = await verifySlackToken(leaky, { variable: 'SLACK_APP_TOKEN' });
    expect(check).toMatchObject({ ok: false, fatal: false });
    if (check.ok) return;
    expect(check.problem).toMatch(/^SLACK_APP_TOKEN: /);
    expect(check.problem).not.toContain('secretpart');
  });
});
