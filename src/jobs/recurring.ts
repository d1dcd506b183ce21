// Recurring work as durable jobs (DESIGN.md §2): every N, daily at a local time in a zone, or a
// cron expression in a zone (node-cron syntax, validated with node-cron). Each occurrence is one
// job whose key names the occurrence (`digest:nimbus:2026-03-08T09:00`), so a restart across an
// occurrence runs it once — late — and never twice; after a long outage only the missed
// occurrence runs, then the schedule resumes from now (no burst of catch-up runs).
import cron from 'node-cron';
import { z } from 'zod';
import { type CronFields, localStamp, nextCronAt, nextDailyAt } from '../domain/recurrence.js';
import type { JobContext, JobDefinition } from './definition.js';
import type { Scheduler } from './scheduler.js';

export type Recurrence =
  | { every: number }
  | { dailyAt: { hour: number; minute: number }; zone: string }
  | { cron: string; zone: string };

/** One stream of occurrences: e.g. one per tenant (its own zone), or a single `all`. */
export interface RecurringScope {
  scope: string;
  recurrence: Recurrence;
}

export interface Occurrence {
  scope: string;
  /** The instant this occurrence was due (not when it ran). */
  at: number;
  /** The occurrence's identity, e.g. `nimbus:2026-03-08T09:00`. */
  key: string;
}

export interface RecurringSpec {
  kind: string;
  failure: { what: string };
  /** The scopes now configured (read at every enqueue: a removed tenant stops recurring). */
  scopes(): RecurringScope[];
  run(occurrence: Occurrence, ctx: JobContext): Promise<unknown>;
}

// Occurrences queued by earlier versions carried { at } plus a tenantId or a Jira site: they are
// read as occurrences of that scope, so an upgrade never dead-letters a pending poll or digest.
const OccurrencePayload: z.ZodType<Occurrence, unknown> = z
  .object({
    scope: z.string().optional(),
    tenantId: z.string().optional(),
    site: z.string().optional(),
    at: z.number(),
    key: z.string().optional(),
  })
  .transform((p) => {
    const scope = p.scope ?? p.tenantId ?? p.site ?? 'all';
    return { scope, at: p.at, key: p.key ?? `${scope}:${p.at}` };
  });

/** Checks a cron expression with node-cron; returns a readable problem or undefined. */
export function cronProblem(expression: string): string | undefined {
  const result = cron.validateDetailed(expression);
  if (result.valid) return undefined;
  const detail = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return `"${expression}" is not a valid cron expression (${detail || 'unreadable'}); example: "0 9 * * 1-5" (09:00 on weekdays)`;
}

const cronFields = new Map<string, CronFields>();
function fieldsOf(expression: string): CronFields {
  let fields = cronFields.get(expression);
  if (!fields) {
    const problem = cronProblem(expression);
    if (problem) throw new Error(problem);
    fields = cron.parse(expression) as CronFields;
    cronFields.set(expression, fields);
  }
  return fields;
}

/** The first occurrence strictly after `after`, with its occurrence key. */
export function nextOccurrence(
  scope: RecurringScope,
  after: number,
): { at: number; key: string } | undefined {
  const r = scope.recurrence;
  if ('every' in r) {
    const slot = Math.floor(after / r.every) + 1;
    return { at: slot * r.every, key: `${scope.scope}:${slot}` };
  }
  const at =
    'dailyAt' in r
      ? nextDailyAt(after, r.zone, r.dailyAt.hour, r.dailyAt.minute).at
      : nextCronAt(fieldsOf(r.cron), r.zone, after);
  return at === undefined ? undefined : { at, key: `${scope.scope}:${localStamp(at, r.zone)}` };
}

/** A recurring job: its definition (install it like any job) and `ensure` (call at start). */
export interface RecurringJob {
  definition: JobDefinition<Occurrence>;
  /** Queues the next occurrence of every scope after `now` (idempotent). */
  ensure(now: number): void;
}

export function recurringJob(scheduler: Scheduler, spec: RecurringSpec): RecurringJob {
  const enqueueNext = (scope: RecurringScope, after: number) => {
    const next = nextOccurrence(scope, after);
    if (!next) return;
    scheduler.enqueue({
      kind: spec.kind,
      payload: { scope: scope.scope, at: next.at, key: next.key },
      key: `${spec.kind}:${next.key}`,
      runAt: next.at,
    });
  };
  return {
    definition: {
      kind: spec.kind,
      payload: OccurrencePayload,
      failure: spec.failure,
      run: async (occurrence, ctx) => {
        try {
          return await spec.run(occurrence, ctx);
        } finally {
          // The next one follows from now, so a run that was days late does not replay each day.
          const scope = spec.scopes().find((s) => s.scope === occurrence.scope);
          if (scope) enqueueNext(scope, Math.max(occurrence.at, ctx.now));
        }
      },
    },
    ensure(now) {
      for (const scope of spec.scopes()) enqueueNext(scope, now);
    },
  };
}
