// /opsbot outbox [retry <id>] (staff): what is waiting to reach Slack, Salesforce or Jira, what
// failed for good and why, and a way to try again after fixing the cause.
import type { Clock } from '../../../domain/clock.js';
import { formatDuration } from '../../../domain/clock.js';
import type { Scheduler } from '../../../jobs/scheduler.js';
import type { Job, JobStore } from '../../../store/job-store.js';
import { escapeMrkdwn } from '../../views/mrkdwn.js';
import type { CommandReply, Subcommand } from './router.js';

const SHOWN = 15;

export function outboxCommand(deps: { jobs: JobStore; scheduler: Scheduler; clock: Clock }): Subcommand {
  return {
    name: 'outbox',
    usage: 'outbox [retry <job-id>]',
    summary: 'pending and failed deliveries to Slack, Salesforce and Jira; retry one (staff)',
    staffOnly: true,
    run: (inv): CommandReply => {
      if (inv.args[0] === 'retry') {
        const id = Number(inv.args[1]);
        if (!Number.isInteger(id) || id <= 0) {
          return {
            text: 'Which job? Example: `/opsbot outbox retry 42` — `/opsbot outbox` lists the failed ones.',
          };
        }
        const job = deps.jobs.get(id);
        if (!job) return { text: `There is no job ${id}. \`/opsbot outbox\` lists the failed ones.` };
        if (job.status !== 'dead')
          return { text: `Job ${id} is ${job.status}, not failed: nothing to retry.` };
        deps.scheduler.retryDead(id);
        return { text: `Job ${id} (${job.kind}) is queued again.` };
      }
      if (inv.args.length > 0) {
        return {
          text: `I don't understand \`${inv.args.join(' ').slice(0, 40)}\`. Examples: \`/opsbot outbox\`, \`/opsbot outbox retry 42\`.`,
        };
      }
      const now = deps.clock.now();
      // Every kind: a card that could not be posted is as much a failed delivery as a case comment.
      // Work scheduled for later on purpose (reminders, polls, digests) is waiting only once tried.
      const all = deps.jobs
        .byStatus(['pending', 'running', 'dead'], 500)
        .filter((j) => j.status !== 'pending' || j.attempts > 0 || j.runAt <= now);
      const waiting = all.filter((j) => j.status !== 'dead');
      const dead = all.filter((j) => j.status === 'dead');
      if (all.length === 0)
        return { text: 'The outbox is empty: every delivery to Slack, Salesforce and Jira went through.' };
      const line = (j: Job) => {
        const when =
          j.status === 'dead'
            ? 'failed'
            : j.runAt > now
              ? `next try in ${formatDuration(j.runAt - now)}`
              : 'due now';
        const err = j.lastError ? ` — ${j.lastError.slice(0, 160)}` : '';
        const what = deps.scheduler.definition(j.kind)?.failure.what;
        const hint = j.status === 'dead' ? ` — retry: \`/opsbot outbox retry ${j.id}\`` : '';
        return `• \`${j.id}\` ${j.kind}${what ? ` (${what}` : ' ('}${what ? ', ' : ''}${describe(j)}), attempt ${j.attempts}/${j.maxAttempts}, ${when}${escapeMrkdwn(err)}${hint}`;
      };
      const parts = [`*Outbox: ${waiting.length} waiting, ${dead.length} failed*`];
      if (dead.length)
        parts.push(
          '*Failed* (fix the cause, then `/opsbot outbox retry <id>`):',
          ...dead.slice(0, SHOWN).map(line),
        );
      if (waiting.length) parts.push('*Waiting:*', ...waiting.slice(0, SHOWN).map(line));
      return { text: parts.join('\n') };
    },
  };
}

function describe(job: Job): string {
  const p = job.payload as { incidentId?: number; method?: string; args?: { channel?: string } };
  if (p.incidentId !== undefined) return `INC-${p.incidentId}`;
  if (p.method) return `${p.method} to ${p.args?.channel ?? '?'}`;
  return job.key;
}
