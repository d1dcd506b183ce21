import type { JobStore } from '../../../store/job-store.js';
import type { Subcommand } from './router.js';

/** `/opsbot status` (staff): is the bot healthy, and is anything stuck in the outbox? */
export function statusCommand(deps: {
  jobs: JobStore;
  slackConnected: () => boolean;
  mode: string;
}): Subcommand {
  return {
    name: 'status',
    usage: 'status',
    summary: 'bot health: Slack connection and the durable job queue (staff)',
    staffOnly: true,
    run: () => {
      const c = deps.jobs.countByStatus();
      const lines = [
        `*opsbot status* — Slack ${deps.mode} mode: ${deps.slackConnected() ? 'connected' : 'NOT connected'}`,
        `Jobs: ${c.pending} pending, ${c.running} running, ${c.done} done, ${c.dead} dead-lettered`,
      ];
      if (c.dead > 0)
        lines.push('Dead-lettered jobs need a look: they failed permanently or ran out of attempts.');
      return { text: lines.join('\n') };
    },
  };
}
