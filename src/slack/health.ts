// Is our Slack token good and does Slack answer? auth.test at start; when it fails for a reason
// that can pass (an outage, a timeout), it is tried again later as a durable job with growing
// delays (2 s … 60 s), never with a private timer. Over HTTP this is what "connected" means.
import type { Logger } from 'pino';
import type { Scheduler } from '../jobs/scheduler.js';
import type { SlackCall } from './outbox.js';

export const SLACK_AUTH_JOB = 'slack.auth-check';

export class SlackHealth {
  ok = false;

  constructor(
    private readonly call: SlackCall,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {}

  /** Queues the first check (idempotent per start instant). */
  begin(now: number): void {
    this.scheduler.enqueue({
      kind: SLACK_AUTH_JOB,
      payload: { attempt: 1 },
      key: `slack-auth:${now}:1`,
      runAt: now,
    });
  }

  async check(attempt: number, now: number): Promise<unknown> {
    try {
      const auth = await this.call('auth.test', {});
      this.ok = true;
      this.logger.info({ team: auth.team, botUser: auth.user_id }, 'Slack token verified');
      return { ok: true };
    } catch (error) {
      this.ok = false;
      const delayMs = Math.min(60_000, 1000 * 2 ** attempt);
      this.logger.warn({ err: error, retryInMs: delayMs }, 'Slack auth.test failed; not ready yet');
      this.scheduler.enqueue({
        kind: SLACK_AUTH_JOB,
        payload: { attempt: attempt + 1 },
        key: `slack-auth:${now}:${attempt + 1}`,
        runAt: now + delayMs,
      });
      return { ok: false };
    }
  }
}
