// Once a day, per tenant, the alarms nobody could parse are listed in the tenant's ops channel,
// so an unknown format is noticed and a rule gets written instead of alarms vanishing.
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { nextDailyAt } from '../../domain/recurrence.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { ChatSender } from '../../slack/outbox.js';
import type { AlarmStore } from '../../store/alarm-store.js';
import type { TenantDirectory } from '../tenant-directory.js';

export const DIGEST_JOB = 'triage.unclassified-digest';
const Payload = z.object({ tenantId: z.string(), localDate: z.string(), at: z.number() });
const DAY = 86_400_000;
const SHOWN = 20;

export class UnclassifiedDigest {
  constructor(
    private readonly deps: {
      scheduler: Scheduler;
      alarms: AlarmStore;
      tenants: TenantDirectory;
      chat: ChatSender;
      clock: Clock;
      hour: number;
    },
  ) {
    deps.scheduler.register(DIGEST_JOB, (payload) => this.run(payload), Payload);
  }

  /** Makes sure each tenant's next digest is queued (idempotent: the key is tenant + local date). */
  ensureScheduled(): void {
    for (const tenant of this.deps.tenants.all()) this.scheduleNext(tenant.id, this.deps.clock.now());
  }

  private scheduleNext(tenantId: string, after: number): void {
    const tenant = this.deps.tenants.tenant(tenantId);
    if (!tenant) return;
    const { at, localDate } = nextDailyAt(after, tenant.timezone, this.deps.hour);
    this.deps.scheduler.enqueue({
      kind: DIGEST_JOB,
      payload: { tenantId, localDate, at },
      key: `digest:${tenantId}:${localDate}`,
      runAt: at,
    });
  }

  private async run({ tenantId, localDate, at }: z.infer<typeof Payload>): Promise<unknown> {
    const tenant = this.deps.tenants.tenant(tenantId);
    if (!tenant) return { skipped: 'tenant no longer configured' };
    const items = this.deps.alarms.unclassifiedBetween(tenantId, at - DAY, at);
    if (items.length > 0) {
      const lines = items
        .slice(-SHOWN)
        .map(
          (i) =>
            `• ${new Date(i.at).toISOString().slice(0, 16).replace('T', ' ')} UTC — ${i.summary || '(empty message)'}`,
        );
      const more = items.length > SHOWN ? `\n…and ${items.length - SHOWN} earlier.` : '';
      this.deps.chat.post(
        {
          channel: tenant.channels.ops,
          text: `*Unclassified alarms for ${tenant.name}, last 24 h: ${items.length}*\nI stored these but could not parse them. Add a classification rule (tenants[].alarms.rules) or tell the team about the format.\n${lines.join('\n')}${more}`,
        },
        `digest-post:${tenantId}:${localDate}`,
      );
    }
    this.scheduleNext(tenantId, at);
    return { unclassified: items.length };
  }
}
