// The YAML file operators edit: staff, job tuning and tenants. Every field is described
// (the descriptions feed the JSON Schema editors show) and every object is strict so a
// typo is an error, not a silently ignored key.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { TenantAlarmsSchema } from './alarm-schema.js';
import { crossCheck } from './cross-check.js';
import type { IssueParams } from './format.js';
import { IntegrationsSchema, TenantJiraSchema, TenantSalesforceSchema } from './integration-schema.js';
import { OncallConfigSchema } from './oncall-schema.js';
import { OutreachSchema } from './outreach-schema.js';
import { RetentionSchema } from './retention-schema.js';
import { SlaSchema } from './sla-schema.js';
import { TriageConfigSchema } from './triage-schema.js';

/** Tenant ids (also the keys of WEBHOOK_TOKENS in the environment). */
export const TENANT_ID = /^[a-z][a-z0-9-]{1,31}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
const USER_ID = /^[UW][A-Z0-9]{8,}$/;
const USERGROUP_ID = /^S[A-Z0-9]{8,}$/;

const channelId = (description: string) =>
  z.string().regex(CHANNEL_ID, 'expected a Slack channel id like C0123ABCD').describe(description);
const userId = (description: string) =>
  z.string().regex(USER_ID, 'expected a Slack user id like U0123ABCD').describe(description);
const count = (min: number, max: number, fallback: number, description: string) =>
  z.int().min(min).max(max).default(fallback).describe(description);

const StaffSchema = z
  .object({
    userIds: z
      .array(userId('Slack user id of a staff member.'))
      .default([])
      .describe('Slack user ids (U…) of staff who may run staff-only commands.'),
    userGroupIds: z
      .array(
        z
          .string()
          .regex(USERGROUP_ID, 'expected a Slack user group id like S0123ABCD')
          .describe('Slack user group id of a staff group.'),
      )
      .default([])
      .describe('Slack user group ids (S…) whose members count as staff.'),
  })
  .strict()
  .refine((staff) => staff.userIds.length + staff.userGroupIds.length > 0, {
    message: 'expected at least one staff user id or user group id; otherwise nobody can run staff commands',
    params: { omitFound: true } satisfies IssueParams,
  })
  .describe('Who may run staff-only commands.');

const JobsSchema = z
  .object({
    maxAttempts: count(1, 100, 8, 'Attempts before a job is dead-lettered.'),
    backoffBaseSeconds: count(1, 3600, 5, 'First retry delay; doubles on each attempt.'),
    backoffMaxSeconds: count(1, 86_400, 900, 'Upper bound of the retry delay.'),
    concurrency: count(1, 64, 4, 'Jobs run at the same time.'),
  })
  .strict()
  .refine((jobs) => jobs.backoffMaxSeconds >= jobs.backoffBaseSeconds, {
    path: ['backoffMaxSeconds'],
    message: 'expected backoffMaxSeconds to be at least backoffBaseSeconds',
  })
  .prefault({})
  .describe('Durable job scheduler tuning (reminders, escalations, outbound calls and their retries).');

const ClusterSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'expected a cluster id like sjc-obj-01 (lowercase, digits, dashes)')
      .describe('Cluster id as alarms name it, unique within the tenant, e.g. sjc-obj-01.'),
    site: z.string().min(1).describe('Data center or site, e.g. San Jose.'),
    description: z.string().optional().describe('Free text: role, capacity, linked sites.'),
  })
  .strict()
  .describe('One storage cluster of the tenant.');

const TenantSchema = z
  .object({
    id: z
      .string()
      .regex(
        TENANT_ID,
        'expected a tenant id like nimbus (lowercase letter, then letters, digits, dashes; 2-32)',
      )
      .describe('Short unique tenant id used in commands, webhooks and URLs, e.g. nimbus.'),
    name: z.string().min(1).max(100).describe('Customer name as people say it.'),
    region: z
      .enum(['US', 'EMEA', 'APJ'])
      .describe('Home region of the account (which team owns it in hours).'),
    timezone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), {
        message: 'expected an IANA time zone like Europe/London or America/Los_Angeles',
      })
      .describe("Customer's IANA time zone, for business hours and messages."),
    channels: z
      .object({
        alarms: z
          .array(channelId('Slack channel id where this tenant’s cluster alarms arrive.'))
          .min(1)
          .describe('Alarm channels (one or more) the bot watches.'),
        customer: channelId('Shared (Slack Connect) channel with the customer, for outreach.'),
        ops: channelId('Internal ops channel for this tenant: incidents, escalations, reminders.'),
      })
      .strict()
      .describe('Slack channel ids (C… or G…), not names; each belongs to one tenant and one role.'),
    clusters: z.array(ClusterSchema).min(1).describe('Clusters of this tenant, across all its sites.'),
    contacts: z
      .object({
        primary: userId('Responsible engineer, paged first (until on-call schedules are configured).'),
        secondary: userId('Backup engineer, paged when the primary does not respond.').optional(),
        manager: userId(
          'Manager: the SLA escalation step after the secondary (when on-call schedules name none).',
        ).optional(),
        csm: userId('Customer success manager: told of SLA breaches (the last escalation step).').optional(),
      })
      .strict()
      .describe('Vendor-side people responsible for this tenant.'),
    sla: SlaSchema.optional().describe(
      'The SLA contract: with it, incidents of this tenant run response clocks (reminders, escalation, breaches, ' +
        'reports; docs/sla.md). `sla: {}` takes every default. Without it, the generic repeat reminder applies.',
    ),
    salesforce: TenantSalesforceSchema.optional(),
    jira: TenantJiraSchema,
    alarms: TenantAlarmsSchema.describe(
      "How this tenant's alarms are read: classification rules (tried before the built-in ones) and the VMS webhook template.",
    ),
    oncall: z
      .object({
        scheduleId: z.string().min(1).optional().describe('On-call schedule that answers for this tenant.'),
      })
      .strict()
      .optional()
      .describe('On-call settings; until schedules exist, contacts.primary is paged.'),
    outreach: OutreachSchema.optional(),
  })
  .strict()
  .describe('One customer account: its channels, clusters, people and contracts.');

export const ConfigSchema = z
  .object({
    staff: StaffSchema,
    jobs: JobsSchema,
    triage: TriageConfigSchema,
    integrations: IntegrationsSchema,
    tenants: z.array(TenantSchema).min(1).describe('Customer accounts the bot serves.'),
    oncall: OncallConfigSchema.optional(),
    retention: RetentionSchema,
  })
  .strict()
  // `when` makes the cross-field checks run even when some fields failed, so all problems show at once.
  .superRefine((config, ctx) => crossCheck(config, ctx), { when: () => true })
  .meta({
    title: 'vaas-opsbot configuration',
    description: 'Staff, job tuning and tenants of vaas-opsbot (config/opsbot.yaml).',
  });

export type OpsbotConfig = z.output<typeof ConfigSchema>;
export type TenantConfig = OpsbotConfig['tenants'][number];
export type ClusterConfig = TenantConfig['clusters'][number];
export type Region = TenantConfig['region'];

/** JSON Schema for editors (yaml-language-server); config/opsbot.schema.json is this, pretty-printed. */
export function buildConfigJsonSchema(): Record<string, unknown> {
  // io: 'input' because operators write the input side: fields with defaults are optional.
  return z.toJSONSchema(ConfigSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
