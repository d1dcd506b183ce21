// The weekly digest: every Monday morning, in each tenant's own time zone, one message in the
// tenant's ops channel that other capabilities fill (response times and breaches, outreach
// first-contact rate, on-call load). It owns only the timing and the post; a week with nothing to
// say posts nothing.
import type { CapabilityFactory } from '../app.js';
import { bold, type Message, msg } from '../domain/message.js';
import { recurringJob } from '../jobs/recurring.js';
import { Sections } from '../services/sections.js';

/** What a section is asked to summarise: one tenant, the week that just ended. */
export interface WeeklyContext {
  tenantId: string;
  /** The week [from, to): seven days up to the digest's due instant. */
  from: number;
  to: number;
}

declare module '../app.js' {
  interface CapabilityApis {
    weeklyDigest: { sections: Sections<WeeklyContext> };
  }
}

export const WEEKLY_DIGEST_JOB = 'digest.weekly';
/** Monday 08:00 local (node-cron syntax). */
const MONDAY_MORNING = '0 8 * * 1';
const WEEK_MS = 7 * 86_400_000;

export const weeklyDigest: CapabilityFactory = (k) => {
  const sections = new Sections<WeeklyContext>();
  k.provide('weeklyDigest', { sections });
  const job = recurringJob(k.scheduler, {
    kind: WEEKLY_DIGEST_JOB,
    failure: { what: 'post the weekly digest' },
    scopes: () =>
      k.tenants.all().map((t) => ({ scope: t.id, recurrence: { cron: MONDAY_MORNING, zone: t.timezone } })),
    run: async ({ scope: tenantId, at, key }) => {
      const tenant = k.tenants.tenant(tenantId);
      if (!tenant) return { skipped: 'tenant no longer configured' };
      const parts = sections.render({ tenantId, from: at - WEEK_MS, to: at });
      if (parts.length === 0) return { skipped: 'nothing to report' };
      const body: Message = msg(bold(`Weekly digest for ${tenant.name}`));
      for (const part of parts) body.push(...msg('\n\n'), ...part.message);
      k.chat.post({ channel: tenant.channels.ops }, body, `weekly-digest:${key}`);
      return { sections: parts.map((p) => p.name) };
    },
  });
  return { name: 'weekly-digest', jobs: [job.definition], start: (now) => job.ensure(now) };
};
