// Once a day, per tenant, the alarms nobody could parse are listed in the tenant's ops channel,
// so an unknown format is noticed and a rule gets written instead of alarms vanishing.
import { bold, msg } from '../../domain/message.js';
import { type RecurringJob, recurringJob } from '../../jobs/recurring.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { AlarmStore } from '../../store/alarm-store.js';
import type { ChatPort } from '../ports.js';
import type { TenantDirectory } from '../tenant-directory.js';

export const DIGEST_JOB = 'triage.unclassified-digest';
const DAY = 86_400_000;
const SHOWN = 20;

export function unclassifiedDigest(deps: {
  scheduler: Scheduler;
  alarms: AlarmStore;
  tenants: TenantDirectory;
  chat: ChatPort;
  hour: number;
}): RecurringJob {
  return recurringJob(deps.scheduler, {
    kind: DIGEST_JOB,
    failure: { what: 'post the daily digest of unclassified alarms' },
    // One stream per tenant, at the digest hour of the tenant's own wall clock.
    scopes: () =>
      deps.tenants.all().map((t) => ({
        scope: t.id,
        recurrence: { dailyAt: { hour: deps.hour, minute: 0 }, zone: t.timezone },
      })),
    run: async ({ scope: tenantId, at, key }) => {
      const tenant = deps.tenants.tenant(tenantId);
      if (!tenant) return { skipped: 'tenant no longer configured' };
      const items = deps.alarms.unclassifiedBetween(tenantId, at - DAY, at);
      if (items.length > 0) {
        const lines = items
          .slice(-SHOWN)
          .map(
            (i) =>
              `• ${new Date(i.at).toISOString().slice(0, 16).replace('T', ' ')} UTC — ${i.summary || '(empty message)'}`,
          );
        const more = items.length > SHOWN ? `\n…and ${items.length - SHOWN} earlier.` : '';
        deps.chat.post(
          { channel: tenant.channels.ops },
          msg(
            bold(`Unclassified alarms for ${tenant.name}, last 24 h: ${items.length}`),
            '\nI stored these but could not parse them. Add a classification rule (tenants[].alarms.rules) or tell the team about the format.\n',
            lines.join('\n'),
            more,
          ),
          `digest-post:${key}`,
        );
      }
      return { unclassified: items.length };
    },
  });
}
