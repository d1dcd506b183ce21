// Scripted sandbox scenarios (sandbox/scenarios/*.yaml): what people and Slack do, step by step,
// and what must have happened. Parsed with zod so a broken scenario says exactly what is wrong.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from '../config/format.js';
import { parseDuration } from '../domain/clock.js';

const userId = z.string().regex(/^[UW][A-Z0-9]{8,}$/, 'expected a Slack user id');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{8,}$/, 'expected a Slack channel id');
const duration = z
  .string()
  .refine((d) => parseDuration(d) !== undefined, 'expected a duration like 30s, 25m, 1h');

const Step = z.union([
  z.object({ note: z.string().describe('A heading printed in the transcript.') }).strict(),
  z
    .object({ command: z.object({ as: userId, in: channelId, text: z.string() }).strict() })
    .strict()
    .describe('A person types /opsbot <text>.'),
  z
    .object({ mention: z.object({ as: userId, in: channelId, text: z.string() }).strict() })
    .strict()
    .describe('A person @-mentions the bot.'),
  z
    .object({ redeliver: z.literal('last').describe('Slack retries the previous event (same event_id).') })
    .strict(),
  z
    .object({
      slack_fault: z
        .object({
          method: z.string(),
          times: z.int().positive().optional(),
          rateLimitedRetryAfterSec: z.int().positive().optional(),
          httpStatus: z.int().min(400).max(599).optional(),
          error: z.string().optional(),
        })
        .strict(),
    })
    .strict()
    .describe('The next Slack Web API call(s) of a method fail.'),
  z.object({ advance: duration.describe('The clock moves forward; due jobs run.') }).strict(),
  z.object({ restart: z.object({ downFor: duration.optional() }).strict() }).strict(),
  z
    .object({
      expect: z
        .object({
          channel: channelId,
          messages: z.int().min(0).describe('How many bot messages the channel holds now.'),
        })
        .strict(),
    })
    .strict(),
]);
export type ScenarioStep = z.infer<typeof Step>;

export const ScenarioSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    start: z.iso.datetime().default('2026-11-26T09:00:00Z').describe('Fake clock start (UTC).'),
    steps: z.array(Step).min(1),
  })
  .strict();
export type Scenario = z.infer<typeof ScenarioSchema>;

export function loadScenario(
  path: string,
): { ok: true; scenario: Scenario } | { ok: false; problems: string[] } {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [`${path}: ${(error as Error).message.split('\n')[0]}`] };
  }
  const result = ScenarioSchema.safeParse(data);
  if (result.success) return { ok: true, scenario: result.data };
  return { ok: false, problems: formatZodIssues(result.error.issues).map((p) => `${path}: ${p}`) };
}
