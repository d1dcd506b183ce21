// SlackHealth through the kernel's own caller (slackCaller wraps Web API errors for the
// scheduler) against the Slack stand-in: a refused token is not retried, an outage is, and a
// token main.ts verified a moment ago is not checked a second time.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../../sandbox/slack-standin/index.js';
import type { EnqueueRequest, Scheduler } from '../../../src/jobs/scheduler.js';
import { SlackHealth } from '../../../src/slack/health.js';
import { slackCaller } from '../../../src/slack/outbox.js';
import { memoryLogger } from '../../helpers/logger.js';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await SlackStandIn.start();
});
afterAll(async () => {
  await slack.stop();
});
beforeEach(() => slack.clearCalls());

function healthWithQueue() {
  const client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
  const queued: EnqueueRequest[] = [];
  const scheduler = { enqueue: (request: EnqueueRequest) => queued.push(request) } as unknown as Scheduler;
  const log = memoryLogger();
  return { health: new SlackHealth(slackCaller(client), scheduler, log.logger), queued, log };
}

describe('SlackHealth', () => {
  it('is ok when Slack accepts the token', async () => {
    const { health, queued } = healthWithQueue();
    expect(await health.check(1, 0)).toEqual({ ok: true });
    expect(health.ok).toBe(true);
    expect(queued).toEqual([]);
  });

  it('does not retry a token Slack refuses: waiting cannot fix it', async () => {
    const { health, queued, log } = healthWithQueue();
    slack.failNext('auth.test', { error: 'token_revoked' });
    const result = await health.check(1, 0);
    expect(result).toMatchObject({ ok: false, fatal: expect.stringContaining('token_revoked') });
    expect(health.ok).toBe(false);
    expect(queued).toEqual([]);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'Slack refuses the bot token; fix it and restart' }),
    );
  });

  it('tries again later when Slack has an outage', async () => {
    const { health, queued } = healthWithQueue();
    slack.failNext('auth.test', { httpStatus: 503 });
    expect(await health.check(1, 1_000)).toEqual({ ok: false });
    expect(queued).toEqual([
      expect.objectContaining({ payload: { attempt: 2 }, key: 'slack-auth:1000:2', runAt: 3_000 }),
    ]);
  });

  it('waits at least as long as a rate limit asks', async () => {
    const { health, queued } = healthWithQueue();
    slack.failNext('auth.test', { rateLimitedRetryAfterSec: 7 });
    await health.check(1, 0);
    expect(queued[0]?.runAt).toBe(7_000);
  });

  it('does not ask Slack again for a token verified just before start', () => {
    const { health, queued } = healthWithQueue();
    health.begin(0, true);
    expect(health.ok).toBe(true);
    expect(queued).toEqual([]);
    expect(slack.callsTo('auth.test')).toHaveLength(0);
  });
});
