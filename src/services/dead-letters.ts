// When a job fails for good (a validation error, or out of attempts), people must hear about it:
// a plain-words alert in the tenant's ops channel and in the incident's thread, with what to fix
// and the command that re-queues the job. What failed comes from the job's own definition.
import type { Clock } from '../domain/clock.js';
import { bold, code, emoji, msg } from '../domain/message.js';
import { PermanentError } from '../jobs/errors.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { IncidentStore } from '../store/incident-store.js';
import type { Job } from '../store/job-store.js';
import type { ChatPort } from './ports.js';
import type { TenantDirectory } from './tenant-directory.js';
import type { Timeline } from './timeline.js';

/** Alerts about dead letters carry this key prefix; a dead alert is not alerted again (no loop). */
const ALERT_KEY = 'dead:';

export function registerDeadLetterAlerts(deps: {
  scheduler: Scheduler;
  incidents: IncidentStore;
  timeline: Timeline;
  tenants: TenantDirectory;
  chat: ChatPort;
  clock: Clock;
}): void {
  deps.scheduler.onDeadLetter((job: Job, error: unknown) => {
    if (job.key.startsWith(`slack:${ALERT_KEY}`)) return;
    const what = deps.scheduler.definition(job.kind)?.failure.what ?? `run the ${job.kind} job`;
    const payload = job.payload as { incidentId?: number; tenantId?: string };
    const incident = payload.incidentId === undefined ? undefined : deps.incidents.get(payload.incidentId);
    const tenantId = payload.tenantId ?? incident?.tenantId;
    const tenant = tenantId ? deps.tenants.tenant(tenantId) : undefined;
    const fix = error instanceof PermanentError && error.hint ? error.hint : (job.lastError ?? String(error));
    const why = error instanceof PermanentError ? 'it was refused' : `it failed ${job.attempts} times`;
    const text = msg(
      emoji('warning'),
      ` I could not ${what} for ${incident?.ref ?? 'an incident'} (${why}).\n`,
      bold('What to fix:'),
      ` ${fix}\nThen re-run it with `,
      code(`/opsbot outbox retry ${job.id}`),
      '.',
    );
    const key = `${ALERT_KEY}${job.id}:${job.updatedAt}`;
    if (tenant) deps.chat.post({ channel: tenant.channels.ops }, text, `${key}:ops`);
    if (incident?.cardTs)
      deps.chat.post({ channel: incident.channel, threadTs: incident.cardTs }, text, `${key}:thread`);
    if (incident)
      deps.timeline.record({
        incidentId: incident.id,
        at: deps.clock.now(),
        kind: 'delivery-failed',
        actor: null,
        message: msg(`Could not ${what}: ${fix}`),
      });
  });
}
