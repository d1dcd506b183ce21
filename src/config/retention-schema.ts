// The `retention` section: how long the database keeps each kind of data, so the file stays
// bounded over months of alarms. Raw payloads are bulky and only needed while an incident is fresh;
// incidents, timelines, breach evidence and reports back SLA contracts that are audited yearly, so
// they are kept at least 400 days and the schema refuses less.
import { z } from 'zod';
import { parseDuration } from '../domain/clock.js';

/** Contracts are audited yearly: a year plus a month of slack. */
export const AUDIT_MIN_DAYS = 400;

const auditDays = (what: string) =>
  z
    .int()
    .min(AUDIT_MIN_DAYS, `expected at least ${AUDIT_MIN_DAYS} days: ${what} back contracts audited yearly`)
    .max(36_500)
    .default(AUDIT_MIN_DAYS)
    .describe(`Days ${what} are kept after they close (at least ${AUDIT_MIN_DAYS}: yearly contract audits).`);

export const RetentionSchema = z
  .object({
    rawAlarms: z
      .int()
      .min(1, 'expected at least 1 day')
      .max(36_500)
      .default(30)
      .describe(
        'Days raw alarm payloads are kept (raw_alarms and their normalized occurrences), and with them ' +
          'Slack deliveries and finished jobs.',
      ),
    incidents: auditDays('resolved incidents (with their member alarms)'),
    timelines: auditDays('incident timelines'),
    breachEvidence: auditDays('SLA breach evidence'),
    reports: auditDays('SLA reports'),
    batchSize: z
      .int()
      .min(10)
      .max(10_000)
      .default(200)
      .describe('Rows deleted per transaction; intake runs between batches, so a prune never blocks it.'),
    pruneEvery: z
      .string()
      .refine((text) => (parseDuration(text) ?? 0) >= 60_000, 'expected a duration of at least 1m, like 15m')
      .default('15m')
      .describe('How often the recurring prune job runs.'),
  })
  .strict()
  .prefault({})
  .describe('How long the database keeps each kind of data (bounded disk over months of alarms).');

export type RetentionConfig = z.output<typeof RetentionSchema>;
