// Platform: what every other capability leans on and operators look at — the outbox and its
// dead-letter alerts, the staff directory (refreshed by a recurring job), Slack's own health
// (auth.test at start and whenever it failed), `/opsbot status` and `/opsbot outbox`, and the
// answer to an @-mention.

import { statSync } from 'node:fs';
import { z } from 'zod';
import type { CapabilityFactory } from '../app.js';
import { parseDuration } from '../domain/clock.js';
import { defineJob } from '../jobs/definition.js';
import { recurringJob } from '../jobs/recurring.js';
import { registerDeadLetterAlerts } from '../services/dead-letters.js';
import { type Prunable, RetentionService } from '../services/retention.js';
import { SLACK_AUTH_JOB, SlackHealth } from '../slack/health.js';
import { outboxCommand } from '../slack/listeners/commands/outbox.js';
import { statusCommand } from '../slack/listeners/commands/status.js';
import * as appMention from '../slack/listeners/events/app-mention.js';
import { RetentionStore } from '../store/retention-store.js';

declare module '../app.js' {
  interface CapabilityApis {
    /** Put a capability's own data (SLA breach evidence, reports…) under the retention policy. */
    retention: { register(prunable: Prunable): void };
  }
}

const STAFF_REFRESH_MS = 15 * 60 * 1000;

export const platform: CapabilityFactory = (k) => {
  registerDeadLetterAlerts({
    scheduler: k.scheduler,
    incidents: k.stores.incidents,
    timeline: k.timeline,
    tenants: k.tenants,
    chat: k.chat,
    clock: k.clock,
  });
  const staffRefresh = recurringJob(k.scheduler, {
    kind: 'platform.staff-refresh',
    failure: { what: 'refresh the staff user groups' },
    scopes: () =>
      k.config.staff.userGroupIds.length > 0
        ? [{ scope: 'all', recurrence: { every: STAFF_REFRESH_MS } }]
        : [],
    run: async () => {
      await k.staff.refresh();
      return { refreshed: true };
    },
  });
  // Bounded disk: a recurring job prunes what the retention policy no longer keeps.
  const retention = new RetentionService({
    store: new RetentionStore(k.db),
    tx: k.tx,
    clock: k.clock,
    logger: k.logger.child({ component: 'retention' }),
    config: k.config.retention,
    walBytes: () => walBytes(k.env.DATABASE_PATH),
  });
  k.provide('retention', { register: (p) => retention.register(p) });
  const pruneEvery = parseDuration(k.config.retention.pruneEvery) as number;
  const retentionJob = recurringJob(k.scheduler, {
    kind: 'platform.retention',
    failure: { what: 'prune data past its retention period' },
    scopes: () => [{ scope: 'all', recurrence: { every: pruneEvery } }],
    run: () => retention.prune(),
  });
  const health = new SlackHealth(k.slackCall, k.scheduler, k.logger.child({ component: 'slack-health' }));
  // In Socket Mode the open connection is the proof; over HTTP it is a successful auth.test.
  if (k.env.SLACK_MODE === 'http') k.slackConnected = () => health.ok;
  return {
    name: 'platform',
    jobs: [
      staffRefresh.definition,
      retentionJob.definition,
      defineJob({
        kind: SLACK_AUTH_JOB,
        payload: z.object({ attempt: z.number() }),
        failure: { what: 'verify the Slack token' },
        run: ({ attempt }, ctx) => health.check(attempt, ctx.now),
      }),
    ],
    commands: [
      outboxCommand({ jobs: k.jobs, scheduler: k.scheduler, clock: k.clock }),
      statusCommand({
        jobs: k.jobs,
        slackConnected: () => k.slackConnected(),
        mode: k.env.SLACK_MODE,
        storage: () => retention.stats(),
        retention: {
          rawAlarmsDays: k.config.retention.rawAlarms,
          incidentsDays: k.config.retention.incidents,
        },
        now: () => k.clock.now(),
      }),
    ],
    slack: (surface) => appMention.register(surface, { chat: k.chat }),
    // Not ready while Slack is unreachable for us: connected, and our writes are not held back.
    readiness: {
      slack: () => k.slackConnected(),
      slackDelivery: () => !k.slackBreaker.isDown('slack'),
    },
    start: async (now) => {
      health.begin(now, k.opts.slackTokenVerified === true);
      await k.staff.refresh();
      staffRefresh.ensure(now);
      retentionJob.ensure(now);
    },
  };
};

/** Bytes in the database's WAL file (0 for an in-memory database or before the first write). */
function walBytes(databasePath: string): number {
  try {
    return statSync(`${databasePath}-wal`).size;
  } catch {
    return 0;
  }
}
