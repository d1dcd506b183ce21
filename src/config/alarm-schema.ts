// Per-tenant alarm settings (`tenants[].alarms` in the YAML config): classification rules
// evaluated before the built-in defaults, and how to read the tenant's VMS webhook, whose
// body is an admin-defined template. See docs/alarm-formats.md for the language and examples.
import { z } from 'zod';
import { compileRules } from '../domain/alarms/classify.js';
import {
  CATEGORIES,
  type ClassificationRule,
  COMPONENT_KINDS,
  VMS_SEVERITY_LEVELS,
  type VmsWebhookMapping,
} from '../domain/alarms/types.js';
import type { IssueParams } from './format.js';

export { VMS_SEVERITY_LEVELS };

const OMIT_FOUND: IssueParams = { omitFound: true };

const pattern = z.string().min(1, 'expected a regular expression, not an empty string');
const PatternsSchema = z
  .union([pattern, z.array(pattern).min(1, 'expected at least one pattern')])
  .describe(
    'A case-insensitive regular expression in RE2 syntax (matches anywhere unless anchored with ^…$; ' +
      'no backreferences or lookaround), or a list of them (any may match). ' +
      'For number:<fields> keys: comparisons such as ">=90" or ">=80 <90".',
  );

const LABEL_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const ClassificationRuleSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/i, 'expected a short name like dnode-down (letters, digits, . _ -)')
      .describe('Rule name, shown in matchedRules to explain a classification.'),
    match: z
      .record(z.string(), PatternsSchema)
      .describe(
        'Conditions, all of which must hold. Keys: name, summary, text (name + summary), cluster, site, ' +
          'status, componentKind, componentId, sourceSeverity, format, labels.<key>, or ' +
          'number:<field>[,<field>…] for a numeric comparison. {} matches every alarm.',
      ),
    set: z
      .object({
        category: z.enum(CATEGORIES).optional().describe('Category to assign.'),
        severity: z
          .literal([1, 2, 3, 4])
          .optional()
          .describe('Severity to assign: 1 (Sev1, most urgent) … 4.'),
        componentKind: z.enum(COMPONENT_KINDS).optional().describe('Component kind to assign.'),
        labels: z
          .record(z.string().regex(LABEL_KEY, 'expected a label name like team or rma_part'), z.string())
          .optional()
          .describe('Labels to add to the alarm.'),
      })
      .strict()
      .describe('What a match assigns. A field already set by an earlier matching rule is kept.'),
    stop: z
      .boolean()
      .optional()
      .describe('Stop at this rule when it matches (default true); false lets later rules add more.'),
  })
  .strict()
  .superRefine((rule, ctx) => {
    // compileRules' messages already quote the pattern or key at fault; no ", found …" after them.
    for (const problem of compileRules([rule]).problems) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: OMIT_FOUND });
    }
  })
  .describe('One classification rule: when every match condition holds, apply set.') satisfies z.ZodType<
  ClassificationRule,
  unknown
>;

const PATH = /^[A-Za-z0-9_$@-]+(?:\.[A-Za-z0-9_$@-]+)*$/;
const jsonPath = (fallback: string, description: string) =>
  z
    .string()
    .regex(PATH, 'expected a dot path into the JSON body, like event.name or alarms.0.severity')
    .default(fallback)
    .describe(`${description} Default: ${fallback}.`);
const level = z.enum(VMS_SEVERITY_LEVELS);
const severityNames = z
  .record(z.string().min(1), level)
  .describe('Severity names (case-insensitive) to levels, e.g. { "SEV-A": critical }.');

export const VmsWebhookMappingSchema = z
  .object({
    eventName: jsonPath('event', 'Path of the event (alarm) name, e.g. DNODE_DOWN. Required in the body.'),
    severity: jsonPath('severity', 'Path of the severity name.'),
    cluster: jsonPath('cluster', 'Path of the cluster name.'),
    object: jsonPath('object', 'Path of the object the event is about, e.g. dnode-3/fan-2.'),
    message: jsonPath('message', 'Path of the human-readable message.'),
    status: jsonPath('state', 'Path of the status; optional in the body (absent means firing).'),
    id: jsonPath('id', 'Path of the event id; optional in the body, kept as label event_id.'),
    timestamp: jsonPath(
      'timestamp',
      'Path of the event time (RFC 3339 or epoch s/ms); optional in the body.',
    ),
    site: jsonPath('site', 'Path of the site or data center name; optional in the body.'),
    resolvedStatuses: z
      .array(z.string().min(1))
      .min(1)
      .default(['resolved', 'cleared', 'clear', 'ok', 'closed', 'recovered', 'inactive'])
      .describe('Status (or severity) values, case-insensitive, that mean the alarm cleared.'),
    severities: severityNames
      .default({})
      .describe(
        'Renamed severity names for all clusters; INFO, MINOR, MAJOR and CRITICAL always map to themselves.',
      ),
    clusterSeverities: z
      .record(z.string().min(1), severityNames)
      .default({})
      .describe('Per-cluster severity names (cluster id → names), consulted before severities.'),
  })
  .strict()
  .describe(
    'Where the fields of the VMS webhook body are, and what its severity names mean.',
  ) satisfies z.ZodType<VmsWebhookMapping, unknown>;

/** The mapping for VMS's default webhook template. */
export const DEFAULT_VMS_WEBHOOK_MAPPING: VmsWebhookMapping = VmsWebhookMappingSchema.parse({});

export const TenantAlarmsSchema = z
  .object({
    rules: z
      .array(ClassificationRuleSchema)
      .default([])
      .superRefine((rules, ctx) => {
        // matchedRules names explain a classification; two rules with one name would not.
        const seen = new Map<string, number>();
        rules.forEach((rule, i) => {
          const before = seen.get(rule.name);
          if (before !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `duplicate rule name "${rule.name}" (also rules[${before}])`,
            });
          } else seen.set(rule.name, i);
        });
      })
      .describe('Classification rules, tried in order before the built-in defaults.'),
    vmsWebhook: VmsWebhookMappingSchema.prefault({}),
  })
  .strict()
  .prefault({})
  .describe('Alarm intake and classification settings for this tenant.');

export type TenantAlarms = z.output<typeof TenantAlarmsSchema>;
