// When a delivery to Salesforce or Jira fails for good (a validation error, or out of attempts),
// people must hear about it: a plain-words alert in the tenant's ops channel and in the
// incident's thread, with what to fix and the command that re-queues the job.
import type { Clock } from '../../domain/clock.js';
import { PermanentError } from '../../jobs/errors.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { ChatSender } from '../../slack/outbox.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { Job } from '../../store/job-store.js';
import type { TenantDirectory } from '../tenant-directory.js';

const WHAT: Record<string, string> = {
  'salesforce.case': 'open the Salesforce case',
  'salesforce.comment': 'add a comment to the Salesforce case',
  'salesforce.status': 'update the Salesforce case status',
  'jira.escalate': 'create the Jira/Orion escalation',
  'jira.comment': 'add a comment to the Jira issue',
};

export function registerDeadLetterAlerts(deps: {
  scheduler: Scheduler;
  incidents: IncidentStore;
  tenants: TenantDirectory;
  chat: ChatSender;
  clock: Clock;
}): void {
  deps.scheduler.onDeadLetter((job: Job, error: unknown) => {
    const what = WHAT[job.kind];
    if (!what) return;
    const payload = job.payload as { incidentId?: number; tenantId?: string };
    const tenant = payload.tenantId ? deps.tenants.tenant(payload.tenantId) : undefined;
    const incident = payload.incidentId === undefined ? undefined : deps.incidents.get(payload.incidentId);
    const fix = error instanceof PermanentError && error.hint ? error.hint : (job.lastError ?? String(error));
    const why = error instanceof PermanentError ? 'it was refused' : `it failed ${job.attempts} times`;
    const text =
      `:warning: I could not ${what} for ${incident?.ref ?? 'an incident'} (${why}).\n` +
      `*What to fix:* ${fix}\n` +
      `Then re-run it with \`/opsbot outbox retry ${job.id}\`.`;
    if (tenant) deps.chat.post({ channel: tenant.channels.ops, text }, `dead:${job.id}:${job.updatedAt}:ops`);
    if (incident?.cardTs) {
      deps.chat.post(
        { channel: incident.channel, thread_ts: incident.cardTs, text },
        `dead:${job.id}:${job.updatedAt}:thread`,
      );
    }
    if (incident)
      deps.incidents.addTimeline(
        incident.id,
        deps.clock.now(),
        'delivery-failed',
        null,
        `Could not ${what}: ${fix}`,
      );
  });
}
