// Scripted sandbox scenarios (sandbox/scenarios/*.yaml): what people and Slack do, step by step,
// and what must have happened. Parsed with zod so a broken scenario says exactly what is wrong.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from '../src/config/format.js';
import { parseDuration } from '../src/domain/clock.js';

const userId = z.string().regex(/^[UW][A-Z0-9]{8,}$/, 'expected a Slack user id');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{8,}$/, 'expected a Slack channel id');
const duration = z
  .string()
  .refine((d) => parseDuration(d) !== undefined, 'expected a duration like 30s, 25m, 1h');

const Step = z.union([
  z.object({ note: z.string().describe('A heading printed in the transcript.') }).strict(),
  z
    .object({
      command: z
        .object({
          as: userId,
          in: channelId,
          text: z.string(),
          slash: z
            .string()
            .regex(/^\/[a-z]+$/)
            .default('/opsbot')
            .describe('The slash command, e.g. /outreach.'),
          reply: z.string().optional().describe('A regex the reply (only the person sees it) must match.'),
        })
        .strict(),
    })
    .strict()
    .describe('A person types /opsbot <text> (or another slash command).'),
  z
    .object({
      customerMessage: z
        .object({ as: userId, in: channelId, team: z.string(), text: z.string() })
        .strict()
        .describe("A customer's user (of their own Slack workspace `team`) writes in a shared channel."),
    })
    .strict(),
  z
    .object({
      submitModal: z
        .object({ as: userId, values: z.record(z.string(), z.record(z.string(), z.string())) })
        .strict()
        .describe('A person submits the modal the bot opened last (block id → action id → text).'),
    })
    .strict(),
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
  z
    .object({
      outage: z
        .object({ system: z.enum(['salesforce', 'jira']), down: z.boolean() })
        .strict()
        .describe('Salesforce or Jira goes down (every call 503) or comes back.'),
    })
    .strict(),
  z.object({ restart: z.object({ downFor: duration.optional() }).strict() }).strict(),
  z
    .object({
      alarm: z
        .object({ in: channelId, text: z.string(), from: z.string().default('VMS') })
        .strict()
        .describe('An integration posts one alarm message in an alarm channel.'),
    })
    .strict(),
  z
    .object({
      storm: z
        .object({
          in: channelId,
          count: z.int().min(1).max(10_000),
          text: z.string().describe('Template: {i} is 1..count, {node} = ceil(i/4), {port} = (i-1) mod 4.'),
          spread: duration
            .optional()
            .describe('The storm lasts this long (the clock advances between alarms).'),
          from: z.string().default('VMS'),
        })
        .strict()
        .describe('An alarm storm: count messages from a template.'),
    })
    .strict(),
  z
    .object({
      webhook: z
        .object({
          kind: z.enum(['alertmanager', 'vms']),
          tenant: z.string(),
          body: z.unknown(),
          token: z.string().optional().describe('Send this bearer token instead of the tenant’s.'),
          expectStatus: z.int().default(202),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      click: z
        .object({
          as: userId,
          incident: z.int().positive(),
          action: z.string(),
          value: z.string().optional(),
        })
        .strict()
        .describe('A person clicks a button on an incident card.'),
    })
    .strict(),
  z
    .object({
      press: z
        .object({
          as: userId,
          in: channelId,
          message: z
            .string()
            .describe(
              'A regex matching the bot message carrying the button, its text or blocks (the latest wins).',
            ),
          action: z.string(),
          value: z.string().optional(),
        })
        .strict()
        .describe('A person clicks a button on a bot message (e.g. a swap request’s Take it).'),
    })
    .strict(),
  z
    .object({
      expect: z.union([
        z
          .object({ usergroup: z.string(), members: z.array(userId) })
          .strict()
          .describe('The Slack user group holds exactly these members (any order).'),
        z
          .object({
            channel: channelId,
            messages: z.int().min(0).describe('How many bot messages the channel holds now.'),
          })
          .strict(),
        z.object({ openIncidents: z.int().min(0), tenant: z.string().optional() }).strict(),
        z
          .object({ incident: z.int().positive(), card: z.string().describe('A regex the card must match.') })
          .strict(),
        z.object({ storedAlarms: z.int().min(0) }).strict(),
        z
          .object({
            channel: channelId,
            file: z.string().describe('The name of a file the bot shared there (exactly one).'),
            matching: z.string().optional().describe('A regex its content must match.'),
          })
          .strict()
          .describe('The bot shared this file in the channel (e.g. a report’s CSV).'),
        z
          .object({
            channel: channelId,
            matching: z.string().describe('A regex one bot message must match.'),
          })
          .strict(),
        z
          .object({ cases: z.int().min(0).optional(), issues: z.int().min(0).optional() })
          .strict()
          .describe('How many Salesforce cases / Jira issues exist in the stand-ins.'),
      ]),
    })
    .strict(),
]);
export type ScenarioStep = z.infer<typeof Step>;

export const ScenarioSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    start: z.iso.datetime().default('2026-11-26T09:00:00Z').describe('Fake clock start (UTC).'),
    config: z.string().optional().describe('Config file the bot runs with; default config/sandbox.yaml.'),
    integrations: z
      .boolean()
      .default(false)
      .describe('Also run the Salesforce and Jira stand-ins and connect the bot to them.'),
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
