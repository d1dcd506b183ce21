// One shape for every kind of durable job (DESIGN.md §2, §8): what it is called, what its payload
// looks like, what it does, and — in plain words — what did not happen when it fails for good.
// The dead-letter alert and `/opsbot outbox` read `failure.what`; no kind tables are copied.
import type { ZodType } from 'zod';
import type { Job } from '../store/job-store.js';

export interface JobContext {
  job: Job;
  /** The instant this run started (the scheduler's clock). */
  now: number;
  /**
   * Replaces the job's stored payload at once, so the next attempt (after a failure or a crash)
   * starts from it: for a job of several outside steps to remember what it already did (the
   * file id of a Slack upload) instead of doing it again. The new payload must parse with the
   * definition's schema.
   */
  checkpoint(payload: unknown): void;
}

export interface JobDefinition<P = unknown> {
  kind: string;
  payload: ZodType<P>;
  run(payload: P, ctx: JobContext): Promise<unknown>;
  failure: {
    /** Completes "I could not …", e.g. "open the Salesforce case". */
    what: string;
  };
}

/** Identity helper that keeps the payload type of a definition. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}
