// Per-tenant settings for Salesforce cases and Jira/Orion escalations. Credentials and endpoints
// live in the environment (SALESFORCE_*, JIRA_*); what varies per customer lives here.
import { z } from 'zod';
import { parseDuration } from '../domain/clock.js';

const severityList = (fallback: number[], description: string) =>
  z.array(z.int().min(1).max(4)).default(fallback).describe(description);

const bySeverity = (fallback: [string, string, string, string], description: string) =>
  z
    .object({
      sev1: z.string().min(1).default(fallback[0]).describe('For Sev1 incidents.'),
      sev2: z.string().min(1).default(fallback[1]).describe('For Sev2 incidents.'),
      sev3: z.string().min(1).default(fallback[2]).describe('For Sev3 incidents.'),
      sev4: z.string().min(1).default(fallback[3]).describe('For Sev4 incidents.'),
    })
    .strict()
    .prefault({})
    .describe(description);

const salesforceId = (prefix: string, description: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$`),
      `expected a 15- or 18-character Salesforce id starting with ${prefix}`,
    )
    .describe(description);

export const TenantSalesforceSchema = z
  .object({
    accountId: salesforceId('001', 'Salesforce Account id (001…) cases are filed under.'),
    contactId: salesforceId('003', 'Default Salesforce Contact id (003…) for new cases.').optional(),
    autoCaseSeverities: severityList([1, 2], 'Open a case automatically for incidents at these severities.'),
    priorities: bySeverity(
      ['Critical', 'High', 'Medium', 'Low'],
      'Case Priority picklist value for each severity.',
    ),
    newStatus: z.string().min(1).default('New').describe('Status of a newly opened case.'),
    resolvedStatus: z
      .string()
      .min(1)
      .nullable()
      .default('Closed')
      .describe('Status set when the incident resolves; null leaves the status to people.'),
    origin: z.string().min(1).default('Slack').describe('Case Origin picklist value.'),
    extraFields: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a Salesforce field API name'),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .default({})
      .describe('More Case fields to set, API name → value (e.g. Product__c: VAST).'),
  })
  .strict()
  .describe('Salesforce account and case rules for this tenant; omit to not open cases.');

export const TenantJiraSchema = z
  .object({
    projectKey: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/, 'expected a Jira project key like ORION')
      .default('ORION')
      .describe('Jira project for engineering escalations.'),
    issueType: z.string().min(1).default('Bug').describe('Issue type of escalations.'),
    priorities: bySeverity(['Highest', 'High', 'Medium', 'Low'], 'Jira priority name for each severity.'),
    autoEscalateSeverities: severityList(
      [1],
      'Escalate automatically at these severities, once the Salesforce case exists (or at once without Salesforce).',
    ),
    site: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'expected an env prefix like JIRA or JIRA_HELIX')
      .default('JIRA')
      .describe(
        'Which Jira site: the env prefix of its settings (JIRA_BASE_URL…, or e.g. JIRA_HELIX_BASE_URL for a Data Center).',
      ),
  })
  .strict()
  .prefault({})
  .describe('Jira/Orion escalation settings; defaults to the project ORION on the JIRA_* site.');

export const IntegrationsSchema = z
  .object({
    pollEvery: z
      .string()
      .refine((d) => (parseDuration(d) ?? 0) >= 60_000, 'expected a duration of at least 1m, like 5m')
      .default('5m')
      .describe('How often changes people make in Salesforce and Jira are pulled back.'),
    breakerThreshold: z
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe('Consecutive failures that pause calls to a system.'),
    breakerOpen: z
      .string()
      .refine((d) => parseDuration(d) !== undefined, 'expected a duration like 30s')
      .default('30s')
      .describe('First pause after a system looks down; doubles up to 10m while it stays down.'),
  })
  .strict()
  .prefault({})
  .describe('Salesforce and Jira delivery: polling and the circuit breaker.');

export type TenantSalesforce = z.output<typeof TenantSalesforceSchema>;
export type TenantJira = z.output<typeof TenantJiraSchema>;
export type IntegrationsConfig = z.output<typeof IntegrationsSchema>;
