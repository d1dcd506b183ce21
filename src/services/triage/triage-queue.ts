// The webhook doors answer 202 as soon as an alarm is on disk (raw_alarms + triage_pending, one
// group commit), as Alertmanager's own API answers once an alert is in its store and groups it
// later. Triage follows here, oldest first, in chunks of one transaction each, so that:
//  - during a storm the door keeps the CPU: triage waits while alarms keep arriving, but never
//    longer than `maxLagMs` for the oldest one (then it takes a chunk, and the door shares the CPU);
//  - a chunk shares its lookups between the alarms of many requests, and its commit;
//  - nothing is lost or triaged twice: each alarm's queue row is removed in the transaction that
//    records it, and rows a crash left are triaged at the next start.
//  - a chunk holds the event loop for about `chunkBudgetMs`, not for a fixed count: its size follows
//    what the last chunks cost, so an ack never waits behind a long triage transaction (a fixed 250
//    took 20–90 ms on a busy 2-core machine, which was the Slack door's ack p99);
//  - once triage is behind (the oldest alarm waited `maxLagMs`), it takes a fair share: a chunk may
//    take as long as the event loop spent on everything else since the last one, and more once the
//    oldest alarm has waited longer than `farBehindMs` (up to `maxChunkMs`), so a sustained storm
//    cannot starve it. Without that, a month of steady load left triage days behind, and retention
//    could not prune raw alarms still waiting for it.
// Cards are debounced by groupWait (30 s by default), so a lag of up to a second is not seen.
// The timers here pace CPU work in wall-clock time; every alarm is still recorded at the instant
// it arrived (its received_at), whatever the clock says when triage runs.
import type { Logger } from 'pino';
import type { TriageInbox } from '../../store/triage-inbox.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { AcceptOutcome, AlarmInput, AlarmIntake, StoredAlarmInput } from './intake.js';

export interface TriagePacing {
  /** Triage starts once no alarm arrived for this long… */
  quietMs: number;
  /** …or once the oldest waiting alarm has waited this long, whichever comes first. */
  maxLagMs: number;
  /** At most this many alarms per transaction; between two chunks the event loop serves requests. */
  chunkSize: number;
  /** Aim for chunks that take about this long; their size adapts between 1 and `chunkSize`. */
  chunkBudgetMs: number;
  /** While behind, a chunk's budget follows the other work since the last one and the lag, up to this. */
  maxChunkMs: number;
  /** Behind by more than this, triage's share grows with the lag (twice as far, twice the share). */
  farBehindMs: number;
  /** Attempts before an alarm that keeps failing is set aside (and people are told). */
  maxAttempts: number;
  /** Wait after a chunk failed as a whole (its commit: disk full, I/O error) before trying again. */
  retryMs: number;
}

export const DEFAULT_TRIAGE_PACING: TriagePacing = {
  quietMs: 20,
  maxLagMs: 1000,
  chunkSize: 250,
  chunkBudgetMs: 5,
  maxChunkMs: 50,
  farBehindMs: 10_000,
  maxAttempts: 5,
  retryMs: 1000,
};

/**
 * The size of the next chunk, from what the last one cost: as many alarms as fit `budgetMs` at the
 * last chunk's cost per alarm, growing at most twofold per chunk (one cheap chunk, say of duplicates,
 * must not license a huge one), between 1 and `max`.
 */
export function nextChunkSize(last: { size: number; ms: number }, budgetMs: number, max: number): number {
  const perAlarmMs = last.ms / Math.max(1, last.size);
  const fits = perAlarmMs > 0 ? Math.floor(budgetMs / perAlarmMs) : max;
  return Math.max(1, Math.min(max, fits, last.size * 2));
}

/**
 * How long the next chunk may hold the event loop: `chunkBudgetMs` while triage keeps up. Once the
 * oldest alarm has waited `maxLagMs`, as long as everything else took since the last chunk
 * (requests, jobs): half the CPU under saturation. Past `farBehindMs`, that times lag ÷
 * `farBehindMs`, so triage catches up even where an alarm costs more to triage than to accept,
 * while a storm of a few seconds keeps the doors' half. Always between `chunkBudgetMs` and
 * `maxChunkMs`, which bounds what an ack can wait.
 */
export function nextChunkBudgetMs(
  state: { lagMs: number; otherWorkMs: number },
  pacing: Pick<TriagePacing, 'chunkBudgetMs' | 'maxChunkMs' | 'maxLagMs' | 'farBehindMs'>,
): number {
  if (state.lagMs < pacing.maxLagMs) return pacing.chunkBudgetMs;
  const share = state.otherWorkMs * Math.max(1, state.lagMs / pacing.farBehindMs);
  // 0 × ∞ (a left-over alarm "waited forever", and nothing else ran): as far behind as it gets.
  if (Number.isNaN(share)) return pacing.maxChunkMs;
  return Math.min(pacing.maxChunkMs, Math.max(pacing.chunkBudgetMs, share));
}

/** An alarm triage gave up on: it stays stored (raw_alarms, triage_pending) for an operator. */
export interface UntriagedAlarm {
  rawId: number;
  tenantId: string;
  source: string;
  error: string;
}

export class TriageQueue {
  /** Accepted and not yet triaged or set aside, as [count, performance.now() at acceptance]. */
  private readonly waves: Array<[number, number]> = [];
  private waiting = 0;
  private lastAcceptAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The last chunk's size and duration, from which the next one is sized. */
  private lastChunk: { size: number; ms: number } | undefined;
  /** performance.now() when the last chunk ended: what came after it was other work. */
  private lastChunkEndedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      intake: AlarmIntake;
      inbox: TriageInbox;
      tenants: TenantDirectory;
      tx: UnitOfWork;
      logger: Logger;
      pacing?: Partial<TriagePacing>;
      /** Told once per alarm set aside after `maxAttempts`; called inside the recording transaction. */
      onUntriaged?: (alarm: UntriagedAlarm) => void;
    },
  ) {
    this.pacing = { ...DEFAULT_TRIAGE_PACING, ...deps.pacing };
  }

  private readonly pacing: TriagePacing;

  /** Stores alarms durably and queues them; resolves (acknowledge then) before they are triaged. */
  async accept(inputs: AlarmInput[]): Promise<AcceptOutcome[]> {
    const outcomes = await this.deps.intake.acceptDurably(inputs);
    const accepted = outcomes.filter((o) => o === 'accepted').length;
    if (accepted > 0) this.queued(accepted, performance.now());
    return outcomes;
  }

  /** At start: alarms a previous process acknowledged but did not triage go first, now. */
  start(): void {
    this.stopped = false;
    const left = this.deps.inbox.count(this.pacing.maxAttempts);
    if (left === 0) return;
    this.deps.logger.warn({ alarms: left }, 'triaging alarms a previous run acknowledged but did not triage');
    this.queued(left, Number.NEGATIVE_INFINITY);
  }

  /** Stops pacing; what is still waiting stays stored and is triaged at the next start. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Alarms accepted and not yet triaged. */
  get pending(): number {
    return this.waiting;
  }

  private queued(count: number, at: number): void {
    this.waves.push([count, at]);
    this.waiting += count;
    this.lastAcceptAt = Math.max(this.lastAcceptAt, at);
    // Left over from a previous run (accepted "at -∞"): no reason to wait.
    this.arm(Number.isFinite(at) ? this.pacing.quietMs : 0);
  }

  private arm(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delayMs);
  }

  private tick(): void {
    if (this.stopped || this.waiting === 0) return;
    const now = performance.now();
    const quietFor = now - this.lastAcceptAt;
    const lag = now - (this.waves[0]?.[1] ?? now);
    const { quietMs, maxLagMs } = this.pacing;
    if (quietFor < quietMs && lag < maxLagMs) {
      this.arm(Math.max(1, Math.min(quietMs - quietFor, maxLagMs - lag)));
      return;
    }
    let done: number;
    const budget = nextChunkBudgetMs({ lagMs: lag, otherWorkMs: now - this.lastChunkEndedAt }, this.pacing);
    // The first chunk is small: nothing says yet what an alarm costs here.
    const size = this.lastChunk
      ? nextChunkSize(this.lastChunk, budget, this.pacing.chunkSize)
      : Math.min(25, this.pacing.chunkSize);
    const startedAt = performance.now();
    try {
      done = this.triageChunk(size);
    } catch (error) {
      // The chunk's transaction rolled back whole: nothing of it is recorded, all of it waits.
      this.deps.logger.error({ err: error, waiting: this.waiting }, 'triage failed; retrying');
      this.arm(this.pacing.retryMs);
      return;
    }
    this.settled(done);
    this.lastChunkEndedAt = performance.now();
    this.lastChunk = { size, ms: this.lastChunkEndedAt - startedAt };
    // Let the requests that arrived meanwhile in first; the next tick decides whether to go on.
    if (this.waiting > 0) this.arm(0);
  }

  /** One transaction: up to `size` waiting alarms; returns how many were triaged or set aside. */
  private triageChunk(size: number): number {
    const { inbox, tenants, intake, logger, onUntriaged } = this.deps;
    const { maxAttempts } = this.pacing;
    return this.deps.tx(() => {
      const rows = inbox.next(0, size, maxAttempts);
      // Nothing left in the store (another process, or the count drifted): start afresh.
      if (rows.length === 0) return this.waiting;
      const items: StoredAlarmInput[] = [];
      const attemptsSoFar: number[] = [];
      let done = 0;
      for (const row of rows) {
        const tenant = tenants.tenant(row.tenantId);
        if (!tenant) {
          // Removed from the config after it was accepted: the raw alarm stays as evidence.
          logger.warn({ rawId: row.rawId, tenant: row.tenantId }, 'alarm of a tenant no longer configured');
          inbox.remove(row.rawId);
          done++;
          continue;
        }
        attemptsSoFar.push(row.attempts);
        items.push({
          rawId: row.rawId,
          receivedAt: row.receivedAt,
          input: {
            tenant,
            source: row.source,
            dedupeKey: row.dedupeKey,
            origin: row.origin,
            raw: row.body,
            parsed: row.parsed,
            ...(row.channel ? { channel: row.channel } : {}),
            ...(row.omittedSiblings ? { omittedSiblings: row.omittedSiblings } : {}),
          },
        });
      }
      intake.triageStored(items).forEach((outcome, i) => {
        const item = items[i] as StoredAlarmInput;
        if (!('error' in outcome)) {
          done++;
          return;
        }
        const error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        inbox.fail(item.rawId, error);
        const attempts = (attemptsSoFar[i] ?? 0) + 1;
        logger.error({ err: outcome.error, rawId: item.rawId, attempts }, 'could not triage an alarm');
        if (attempts < maxAttempts) return;
        done++;
        onUntriaged?.({
          rawId: item.rawId,
          tenantId: item.input.tenant.id,
          source: item.input.source,
          error,
        });
      });
      return done;
    });
  }

  /** `done` alarms left the queue: the oldest waves shrink. */
  private settled(done: number): void {
    this.waiting = Math.max(0, this.waiting - done);
    let left = done;
    while (left > 0 && this.waves.length > 0) {
      const head = this.waves[0] as [number, number];
      const take = Math.min(head[0], left);
      head[0] -= take;
      left -= take;
      if (head[0] === 0) this.waves.shift();
    }
    if (this.waiting === 0) this.waves.length = 0;
  }
}
