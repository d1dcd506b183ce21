// Is our Slack token good and does Slack answer? Over HTTP this is what "connected" means.
// main.ts checks the token once before start (a token that can never work stops the process with
// exit code 2); when that check already passed, it is not repeated. When Slack does not answer
// (an outage, a timeout, a rate limit), auth.test is tried again as a durable job with growing
// delays (2 s … 60 s), never with a private timer. A token revoked while running is not retried:
// waiting cannot fix it, so it is logged as an error a person must act on.
import type { Logger } from 'pino';
import type { Scheduler } from '../jobs/scheduler.js';
import type { SlackCall } from './outbox.js';
import { verifySlackToken } from './verify-token.js';

export const SLACK_AUTH_JOB = 'slack.auth-check';

export class SlackHealth {
  ok = false;

  constructor(
    private readonly call: SlackCall,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {}

  /** Queues the first check (idempotent per start instant), unless the token was just verified. */
  begin(now: number, alreadyVerified = false): void {
    if (alreadyVerified) {
      this.ok = true;
      return;
    }
    this.scheduler.enqueue({
      kind: SLACK_AUTH_JOB,
      payload: { attempt: 1 },
      key: `slack-auth:${now}:1`,
      runAt: now,
    });
  }

  async check(attempt: number, now: number): Promise<unknown> {
    // slackCall wraps Web API errors for the scheduler; the token check reads Slack's own error.
    const result = await verifySlackToken((method) =>
      this.call(method, {}).catch((error: unknown) => {
        throw (error instanceof Error && error.cause) || error;
      }),
    );
    this.ok = result.ok;
    if (result.ok) {
      this.logger.info({ team: result.team, botUser: result.botUser }, 'Slack token verified');
      return { ok: true };
    }
    if (result.fatal) {
      this.logger.error({ problem: result.problem }, 'Slack refuses the bot token; fix it and restart');
      return { ok: false, fatal: result.problem };
    }
    const delayMs = Math.max(result.retryAfterMs ?? 0, Math.min(60_000, 1000 * 2 ** attempt));
    this.logger.warn(
      { problem: result.problem, retryInMs: delayMs },
      'Slack auth.test failed; not ready yet',
    );
    this.scheduler.enqueue({
      kind: SLACK_AUTH_JOB,
      payload: { attempt: attempt + 1 },
      key: `slack-auth:${now}:${attempt + 1}`,
      runAt: now + delayMs,
    });
    return { ok: false };
  }
}
