import { z } from 'zod';
import type { JobContext, JobDefinition } from '../../src/jobs/definition.js';

/** A job definition for scheduler tests: any payload, a name for what failed. */
export function testJob<P = unknown>(
  kind: string,
  run: (payload: P, ctx: JobContext) => Promise<unknown>,
): JobDefinition<P> {
  return { kind, payload: z.any() as unknown as z.ZodType<P>, run, failure: { what: `run ${kind}` } };
}
