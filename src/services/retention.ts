// Retention: deletes what the policy no longer keeps, in small batches. Each batch is its own
// short transaction and the pruner yields to the event loop between batches, so alarms arriving
// during a prune are stored (and acknowledged) between two batches instead of waiting for it.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RetentionConfig } from '../config/retention-schema.js';
import type { Clock } from '../domain/clock.js';
import type { RetentionStore, StorageStats } from '../store/retention-store.js';
import type { UnitOfWork } from '../store/unit-of-work.js';

const DAY_MS = 86_400_000;
/** A bound on one run per kind of data; whatever is left waits for the next run. */
const MAX_BATCHES_PER_RUN = 2000;

/** Which retention setting a kind of data follows. */
export type RetentionClass = 'rawAlarms' | 'incidents' | 'timelines' | 'breachEvidence' | 'reports';

/**
 * Data another capability owns (SLA breach evidence, reports…): it deletes up to `limit` rows older
 * than `cutoff` and says how many, and whether more may be left.
 */
export interface Prunable {
  name: string;
  keep: RetentionClass;
  prune(cutoff: number, limit: number): { deleted: number; more: boolean };
}

export interface PruneReport {
  deleted: Record<string, number>;
  batches: number;
  /** Prunables that failed (e.g. a table of another capability still references an incident). */
  failed: Record<string, string>;
}

export class RetentionService {
  private readonly prunables: Prunable[];

  constructor(
    private readonly deps: {
      store: RetentionStore;
      tx: UnitOfWork;
      clock: Clock;
      logger: Logger;
      config: RetentionConfig;
      /** Size of the WAL file in bytes (0 when there is none). */
      walBytes: () => number;
    },
  ) {
    const { store } = deps;
    // Raw data before the incidents it points to; timeline entries before whole incidents.
    this.prunables = [
      { name: 'raw alarms', keep: 'rawAlarms', prune: (c, l) => store.pruneRawAlarms(c, l) },
      { name: 'Slack deliveries', keep: 'rawAlarms', prune: (c, l) => store.pruneSlackInbound(c, l) },
      { name: 'finished jobs', keep: 'rawAlarms', prune: (c, l) => store.pruneFinishedJobs(c, l) },
      this.timelinePrunable(),
      { name: 'incidents', keep: 'incidents', prune: (c, l) => store.pruneIncidents(c, l) },
    ];
  }

  /** Lets a capability put its own data under the policy (e.g. SLA breach evidence). */
  register(prunable: Prunable): void {
    this.prunables.push(prunable);
  }

  cutoff(keep: RetentionClass, now: number): number {
    return now - this.deps.config[keep] * DAY_MS;
  }

  /** Prunes everything due, batch by batch, yielding between batches. */
  async prune(): Promise<PruneReport> {
    const { tx, clock, logger, config } = this.deps;
    const report: PruneReport = { deleted: {}, batches: 0, failed: {} };
    for (const p of this.prunables) {
      report.deleted[p.name] = 0;
      try {
        let batches = 0;
        for (;;) {
          const cutoff = this.cutoff(p.keep, clock.now());
          const result = tx(() => p.prune(cutoff, config.batchSize));
          report.batches++;
          report.deleted[p.name] = (report.deleted[p.name] ?? 0) + result.deleted;
          // Intake, Slack events and jobs run here, between two batches.
          await yieldToEventLoop();
          if (!result.more || ++batches >= MAX_BATCHES_PER_RUN) break;
        }
      } catch (error) {
        report.failed[p.name] = (error as Error).message;
        logger.error({ err: error, prunable: p.name }, 'retention: pruning failed; the rest continues');
      }
    }
    logger.info({ deleted: report.deleted, batches: report.batches }, 'retention: pruned');
    return report;
  }

  stats(): StorageStats {
    return this.deps.store.stats(this.deps.walBytes());
  }

  /** Timeline entries older than `timelines` days of resolved incidents, walking past open ones. */
  private timelinePrunable(): Prunable {
    let afterId = 0;
    return {
      name: 'timeline entries',
      keep: 'timelines',
      prune: (cutoff, limit) => {
        const result = this.deps.store.pruneTimeline(cutoff, limit, afterId);
        afterId = result.more ? result.lastId : 0;
        return { deleted: result.deleted, more: result.more };
      },
    };
  }
}
