// The real Kernel (its WebClient, circuit breaker, outbox and scheduler) on a real SQLite file and
// a fake clock, against the Slack stand-in over HTTP: for integration tests of what the kernel
// itself sends to Slack. Everything it starts is stopped by the returned `close`.
import { FakeClock } from '../../sandbox/fake-clock.js';
import { waitForIdle } from '../../sandbox/idle.js';
import { SlackStandIn, type SlackStandInOptions } from '../../sandbox/slack-standin/index.js';
import { Kernel } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import type { Job } from '../../src/store/job-store.js';
import { memoryLogger } from './logger.js';
import { sandboxConfig } from './services.js';
import { tempDir } from './temp-db.js';

export async function kernelWorld(standIn: SlackStandInOptions, cleanup: Array<() => Promise<void> | void>) {
  const slack = await SlackStandIn.start(standIn);
  cleanup.push(() => slack.stop());
  const tmp = tempDir();
  cleanup.push(() => tmp.remove());
  const env = parseEnv({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_PATH: tmp.dbPath,
  });
  if (!env.ok) throw new Error('test env');
  const clock = new FakeClock('2026-11-26T09:00:00Z');
  const log = memoryLogger();
  const k = new Kernel({ env: env.env, config: sandboxConfig(), logger: log.logger, clock, random: () => 1 });
  const dead: Array<{ job: Job; error: unknown }> = [];
  k.scheduler.onDeadLetter((job, error) => dead.push({ job, error }));
  k.scheduler.start();
  cleanup.push(async () => {
    await k.scheduler.stop();
    k.db.close();
  });
  const settle = () => waitForIdle(() => k.scheduler.isIdleNow());
  /** Moves the fake clock timer by timer (as the sandbox driver does), letting due jobs run. */
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    await settle();
    for (let next = clock.nextTimerAt(); next !== undefined && next <= target; next = clock.nextTimerAt()) {
      clock.setTime(Math.max(next, clock.now()));
      await settle();
    }
    clock.setTime(target);
    await settle();
  };
  const methods = () => slack.calls.map((c) => `${c.method} ${c.status}`);
  return { slack, k, clock, log, dead, settle, advance, methods };
}
