import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../domain/clock.js';
import type { Job, JobStore, NewJob } from '../store/job-store.js';
import { type BackoffPolicy, nextRetryDelay } from './backoff.js';
import type { JobDefinition } from './definition.js';
import { describeError, PermanentError, RetryableError } from './errors.js';

export type { JobContext, JobDefinition } from './definition.js';

export interface EnqueueRequest<P = unknown> {
  kind: string;
  payload: P;
  /** Idempotency key: enqueueing the same key twice keeps the first job. */
  key: string;
  runAt?: number;
  /** Jobs sharing a lane run one at a time, in enqueue order. */
  lane?: string;
  maxAttempts?: number;
}

export interface SchedulerOptions {
  store: JobStore;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
  backoff: BackoffPolicy;
  concurrency: number;
  random?: () => number;
}

export type DeadLetterListener = (job: Job, error: unknown) => void;

/**
 * The one durable scheduler (DESIGN.md §2): a jobs table and a single timer armed for the
 * earliest due job. Nothing polls; enqueue, completion and the timer are the only wake-ups.
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobDefinition>();
  private readonly deadListeners: DeadLetterListener[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: TimerHandle | undefined;
  private timerAt: number | undefined;
  private running = false;
  private tickQueued = false;
  private readonly random: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.random = opts.random ?? Math.random;
  }

  define<P>(definition: JobDefinition<P>): void {
    if (this.handlers.has(definition.kind)) throw new Error(`job kind '${definition.kind}' defined twice`);
    this.handlers.set(definition.kind, definition as JobDefinition);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** The definition of a kind (what failed, in plain words), if this process knows it. */
  definition(kind: string): JobDefinition | undefined {
    return this.handlers.get(kind);
  }

  onDeadLetter(listener: DeadLetterListener): void {
    this.deadListeners.push(listener);
  }

  enqueue<P>(req: EnqueueRequest<P>): { job: Job; created: boolean } {
    const now = this.opts.clock.now();
    const result = this.opts.store.enqueue(this.newJob(req, now), now);
    if (result.created) this.wake();
    return result;
  }

  /**
   * `enqueue` for callers that need no job back (a card update a storm asks for once per
   * request): when the key exists it costs one statement instead of two. True if it is new.
   */
  enqueueIfAbsent<P>(req: EnqueueRequest<P>): boolean {
    const now = this.opts.clock.now();
    const created = this.opts.store.enqueueIfAbsent(this.newJob(req, now), now);
    if (created) this.wake();
    return created;
  }

  private newJob<P>(req: EnqueueRequest<P>, now: number): NewJob {
    if (!this.handlers.has(req.kind)) throw new Error(`no handler registered for job kind '${req.kind}'`);
    return {
      kind: req.kind,
      payload: req.payload,
      key: req.key,
      lane: req.lane ?? null,
      runAt: req.runAt ?? now,
      maxAttempts: req.maxAttempts ?? this.opts.maxAttempts,
    };
  }

  /** Recovers jobs interrupted by a crash and runs whatever is due (or overdue) now. */
  start(): void {
    const requeued = this.opts.store.requeueInterrupted(this.opts.clock.now());
    if (requeued > 0) this.opts.logger.warn({ requeued }, 'requeued jobs interrupted by a previous shutdown');
    this.running = true;
    this.wake();
  }

  /** Stops taking new work and waits for the jobs already running. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Re-queues a dead job (operator action from Slack). */
  retryDead(id: number): boolean {
    const ok = this.opts.store.retryDead(id, this.opts.clock.now());
    if (ok) this.wake();
    return ok;
  }

  /** Nothing running, no tick queued and nothing due at the current instant. */
  isIdleNow(): boolean {
    if (!this.running) return this.inFlight.size === 0;
    return (
      this.inFlight.size === 0 &&
      !this.tickQueued &&
      this.opts.store.dueJobs(this.opts.clock.now(), 1).length === 0
    );
  }

  private wake(): void {
    if (!this.running || this.tickQueued) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.opts.clock.now();
    const free = this.opts.concurrency - this.inFlight.size;
    if (free > 0) {
      for (const job of this.opts.store.dueJobs(now, free)) {
        if (!this.opts.store.markRunning(job.id, now)) continue;
        const run = this.execute({ ...job, attempts: job.attempts + 1, status: 'running' }, now).finally(
          () => {
            this.inFlight.delete(run);
            this.wake();
          },
        );
        this.inFlight.add(run);
      }
    }
    // Every slot busy: the next completion ticks again, so no timer is needed until then (and the
    // earliest-run query, which looks at every lane, is skipped while a backlog drains).
    if (this.inFlight.size >= this.opts.concurrency) return;
    this.arm();
  }

  /** Arms the single timer for the earliest pending job that is not waiting behind its lane. */
  private arm(): void {
    const at = this.opts.store.earliestRunAt(this.opts.clock.now());
    if (at === this.timerAt) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = at;
    if (at === undefined) return;
    this.timer = this.opts.clock.setTimer(at, () => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.wake();
    });
  }

  private async execute(job: Job, startedAt: number): Promise<void> {
    const { store, clock, logger } = this.opts;
    const log = logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    const definition = this.handlers.get(job.kind);
    try {
      if (!definition) throw new PermanentError(`no handler registered for job kind '${job.kind}'`);
      const payload = definition.payload.parse(job.payload);
      // Parsed now, not at the next attempt: a bad checkpoint fails the attempt that wrote it.
      const checkpoint = (next: unknown) =>
        store.savePayload(job.id, definition.payload.parse(next), clock.now());
      const result = await definition.run(payload, { job, now: startedAt, checkpoint });
      store.markDone(job.id, result, clock.now());
      log.debug('job done');
    } catch (error) {
      this.handleFailure(job, error, log);
    }
  }

  private handleFailure(job: Job, error: unknown, log: Logger): void {
    const { store, clock } = this.opts;
    const now = clock.now();
    const message = describeError(error);
    const permanent =
      error instanceof PermanentError || (error instanceof Error && error.name === 'ZodError');
    const rateLimited = error instanceof RetryableError && error.rateLimited;
    if (permanent || (!rateLimited && job.attempts >= job.maxAttempts)) {
      store.markDead(job.id, message, now);
      log.error(
        { err: error },
        permanent ? 'job failed permanently; dead-lettered' : 'job out of attempts; dead-lettered',
      );
      for (const listener of this.deadListeners) {
        try {
          listener({ ...job, status: 'dead', lastError: message }, error);
        } catch (listenerError) {
          log.error({ err: listenerError }, 'dead-letter listener failed');
        }
      }
      return;
    }
    const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs : undefined;
    const delay = nextRetryDelay(job.attempts, this.opts.backoff, this.random, retryAfterMs);
    store.retryAt(job.id, now + delay, message, now, rateLimited);
    log.warn({ err: error, retryInMs: delay }, 'job failed; will retry');
  }
}
