import type { JobStore } from '../../../store/job-store.js';
import type { StorageStats } from '../../../store/retention-store.js';
import type { Subcommand } from './router.js';

const DAY_MS = 86_400_000;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const since = (at: number | undefined, now: number) =>
  at === undefined
    ? 'none'
    : `${new Date(at).toISOString().slice(0, 10)} (${Math.floor((now - at) / DAY_MS)} days ago)`;

/** `/opsbot status` (staff): is the bot healthy, is anything stuck, and how big is the store? */
export function statusCommand(deps: {
  jobs: JobStore;
  slackConnected: () => boolean;
  mode: string;
  storage?: () => StorageStats;
  retention?: { rawAlarmsDays: number; incidentsDays: number };
  now?: () => number;
}): Subcommand {
  return {
    name: 'status',
    usage: 'status',
    summary: 'bot health: Slack connection, the durable job queue and the database (staff)',
    staffOnly: true,
    run: () => {
      const c = deps.jobs.countByStatus();
      const lines = [
        `*opsbot status* — Slack ${deps.mode} mode: ${deps.slackConnected() ? 'connected' : 'NOT connected'}`,
        `Jobs: ${c.pending} pending, ${c.running} running, ${c.done} done, ${c.dead} dead-lettered`,
      ];
      if (c.dead > 0)
        lines.push('Dead-lettered jobs need a look: they failed permanently or ran out of attempts.');
      if (deps.storage) {
        const s = deps.storage();
        const now = deps.now?.() ?? Date.now();
        const policy = deps.retention
          ? ` (kept: raw alarms ${deps.retention.rawAlarmsDays} days, incidents ${deps.retention.incidentsDays} days)`
          : '';
        lines.push(
          `Database: ${mb(s.bytes)}, of which ${mb(s.freeBytes)} free for reuse; ≈${s.rawAlarms} raw alarms, ${s.incidents} incidents${policy}`,
          `Oldest kept: raw alarm ${since(s.oldestRawAlarmAt, now)}, incident ${since(s.oldestIncidentAt, now)}, timeline entry ${since(s.oldestTimelineAt, now)}`,
        );
      }
      return { text: lines.join('\n') };
    },
  };
}
