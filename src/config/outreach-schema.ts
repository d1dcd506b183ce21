// The `outreach` block of a tenant (`tenants[].outreach` in the YAML config): which detectors
// may draft a proactive message to the customer and with what thresholds, when the bot must stay
// quiet, how many messages it may send, how long a draft waits, who the customer's own Slack
// workspace is, and tenant-specific wording. Absent block: no outreach for that tenant.
// Defaults come from the domain (DEFAULT_OUTREACH_SETTINGS) and the output is checked against the
// domain's OutreachSettings with `satisfies`, so the domain owns the shape. See docs/outreach.md.
import { z } from 'zod';
import { CATEGORIES, COMPONENT_KINDS } from '../domain/alarms/types.js';
import { DEFAULT_OUTREACH_SETTINGS as D } from '../domain/outreach/defaults.js';
import { parseClockTime } from '../domain/outreach/pacing.js';
import { PLACEHOLDER_NAMES, templateProblems } from '../domain/outreach/templates.js';
import {
  type CapacityDetectorSettings,
  type ImpactDetectorSettings,
  type OutreachSettings,
  type PerformanceDetectorSettings,
  type QuietHours,
  type RecurringDetectorSettings,
  type SectionTexts,
  TEMPLATE_SECTIONS,
  type TemplateOverrides,
  WEEKDAYS,
} from '../domain/outreach/types.js';

const count = (min: number, max: number, fallback: number, description: string) =>
  z.int().min(min).max(max).default(fallback).describe(`${description} Default ${fallback}.`);
const ratio = (min: number, max: number, fallback: number, description: string) =>
  z.number().min(min).max(max).default(fallback).describe(`${description} Default ${fallback}.`);
const enabled = (what: string) =>
  z.boolean().default(true).describe(`Run the ${what} detector. Default true.`);

const severity = z.literal([1, 2, 3, 4]).describe('Severity: 1 (Sev1, most urgent) … 4.');

const ImpactSchema = z
  .object({
    enabled: enabled('customer-impact'),
    severities: z
      .array(severity)
      .min(1)
      .default(() => [...D.detectors.impact.severities])
      .describe('Incident severities that may draft outreach when they affect the customer. Default [1, 2].'),
    maxAgeMinutes: count(
      1,
      10_080,
      D.detectors.impact.maxAgeMinutes,
      'An incident opened longer ago than this is no longer new (no draft after a restart for old incidents).',
    ),
    computeNodesDown: count(
      1,
      100,
      D.detectors.impact.computeNodesDown,
      'Distinct C-nodes down in one incident that mean protocol-serving redundancy is degraded.',
    ),
  })
  .strict()
  .prefault({})
  .describe(
    'A new Sev1/Sev2 incident with customer impact: partition, storage node down, compute redundancy lost, data-path errors.',
  ) satisfies z.ZodType<ImpactDetectorSettings, unknown>;

const RecurringSchema = z
  .object({
    enabled: enabled('recurring-trouble'),
    componentCount: count(
      2,
      1000,
      D.detectors.recurring.componentCount,
      'Firing transitions of one component within componentWindowMinutes that count as recurring trouble.',
    ),
    componentWindowMinutes: count(
      1,
      10_080,
      D.detectors.recurring.componentWindowMinutes,
      'Window for componentCount.',
    ),
    componentKinds: z
      .array(z.enum(COMPONENT_KINDS).describe('A component kind.'))
      .min(1)
      .default(() => [...D.detectors.recurring.componentKinds])
      .describe('Component kinds watched for recurrence. Default: hardware and network parts.'),
    nodeCount: count(
      2,
      1000,
      D.detectors.recurring.nodeCount,
      'Distinct nodes of one cluster alarming in the same category within nodeWindowMinutes.',
    ),
    nodeWindowMinutes: count(1, 10_080, D.detectors.recurring.nodeWindowMinutes, 'Window for nodeCount.'),
    nodeCategories: z
      .array(z.enum(CATEGORIES).describe('An alarm category.'))
      .min(1)
      .default(() => [...D.detectors.recurring.nodeCategories])
      .describe(
        'Categories watched for trouble spreading across nodes. Default: network, node and CSI categories.',
      ),
  })
  .strict()
  .prefault({})
  .describe(
    'Recurring trouble: one component alarming again and again (a flapping NIC), or one category across several nodes.',
  ) satisfies z.ZodType<RecurringDetectorSettings, unknown>;

const CapacitySchema = z
  .object({
    enabled: enabled('capacity-trend'),
    thresholdPct: ratio(
      1,
      100,
      D.detectors.capacity.thresholdPct,
      'Percent used the forecast must not reach.',
    ),
    horizonDays: count(1, 365, D.detectors.capacity.horizonDays, 'How many days ahead to forecast.'),
    lookbackDays: count(
      1,
      365,
      D.detectors.capacity.lookbackDays,
      'Samples older than this many days are ignored.',
    ),
    minSamples: count(
      2,
      10_000,
      D.detectors.capacity.minSamples,
      'Capacity samples needed before fitting a trend.',
    ),
    minSpanHours: count(
      1,
      8760,
      D.detectors.capacity.minSpanHours,
      'First to last sample must span at least this many hours.',
    ),
  })
  .strict()
  .prefault({})
  .describe(
    'Capacity trend: a least-squares fit over percent-used samples that reaches the threshold within the horizon.',
  ) satisfies z.ZodType<CapacityDetectorSettings, unknown>;

const PerformanceSchema = z
  .object({
    enabled: enabled('checkpoint-latency'),
    windowHours: count(
      1,
      24,
      D.detectors.performance.windowHours,
      "Today's window (ending now), compared with the same window on previous days.",
    ),
    priorDays: count(1, 30, D.detectors.performance.priorDays, 'Previous days whose mean is the baseline.'),
    minPeriodMinutes: count(
      1,
      1440,
      D.detectors.performance.minPeriodMinutes,
      'Shortest checkpoint cadence.',
    ),
    maxPeriodMinutes: count(1, 1440, D.detectors.performance.maxPeriodMinutes, 'Longest checkpoint cadence.'),
    regularity: ratio(
      0.1,
      1,
      D.detectors.performance.regularity,
      'Share of gaps between spikes that must sit on the dominant period (or 2-3 periods).',
    ),
    tolerance: ratio(
      0.01,
      0.5,
      D.detectors.performance.tolerance,
      'Relative tolerance around the period (0.2 = ±20 %).',
    ),
    minSpikes: count(3, 10_000, D.detectors.performance.minSpikes, "Spikes needed in today's window."),
    worseFactor: ratio(
      1,
      100,
      D.detectors.performance.worseFactor,
      'Worse means spike count or mean latency at least this many times the baseline.',
    ),
  })
  .strict()
  .refine((p) => p.minPeriodMinutes <= p.maxPeriodMinutes, {
    path: ['maxPeriodMinutes'],
    message: 'expected maxPeriodMinutes to be at least minPeriodMinutes, e.g. 10 and 15',
  })
  .prefault({})
  .describe(
    'Checkpoint-cadence latency: periodic spikes every ~10-15 minutes that got more frequent or higher than on previous days.',
  ) satisfies z.ZodType<PerformanceDetectorSettings, unknown>;

const clockTime = (description: string) =>
  z
    .string()
    .refine((text) => parseClockTime(text) !== undefined, {
      message: 'expected a local time like 22:00 or 07:30',
    })
    .describe(description);

const QuietHoursSchema = z
  .object({
    start: clockTime('Local time (tenant zone) quiet hours begin, "HH:MM", e.g. 22:00.'),
    end: clockTime('Local time quiet hours end, "HH:MM", e.g. 07:00; earlier than start means overnight.'),
    days: z
      .array(z.enum(WEEKDAYS).describe('A weekday: mon … sun.'))
      .default([])
      .describe('Whole local days that are quiet, e.g. [sat, sun]. Default none.'),
  })
  .strict()
  .refine((q) => q.start !== q.end, {
    path: ['end'],
    message: 'expected end to differ from start, e.g. start: "22:00", end: "07:00"',
  })
  .describe(
    "When outreach waits (in the tenant's time zone); drafts are still created and sent when the quiet ends.",
  ) satisfies z.ZodType<QuietHours, unknown>;

const SectionTextsSchema = z
  .object(
    Object.fromEntries(
      TEMPLATE_SECTIONS.map((section) => [
        section,
        z
          .string()
          .max(2000)
          .optional()
          .describe(
            `Wording of the ${section} section; '' leaves the section out. Placeholders like {cluster}.`,
          ),
      ]),
    ) as Record<(typeof TEMPLATE_SECTIONS)[number], z.ZodOptional<z.ZodString>>,
  )
  .strict()
  .describe(
    `Section texts (summary, impact, actions, nextUpdate, case). Placeholders: ${PLACEHOLDER_NAMES.map((n) => `{${n}}`).join(', ')}.`,
  ) satisfies z.ZodType<SectionTexts, unknown>;

const TemplatesSchema = z
  .object({
    initial: z
      .object(
        Object.fromEntries(
          ['default', ...CATEGORIES].map((category) => [
            category,
            SectionTextsSchema.optional().describe(
              category === 'default'
                ? 'Initial message wording for every category without its own.'
                : `Initial message wording for ${category} findings.`,
            ),
          ]),
        ) as Record<'default' | (typeof CATEGORIES)[number], z.ZodOptional<typeof SectionTextsSchema>>,
      )
      .strict()
      .default({})
      .describe('First message to the customer, per category (or default).'),
    update: SectionTextsSchema.default({}).describe('Follow-up update while the incident is open.'),
    closing: SectionTextsSchema.default({}).describe('Closing message when the incident is resolved.'),
  })
  .strict()
  .superRefine((templates, ctx) => {
    for (const problem of templateProblems(templates)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  })
  .prefault({})
  .describe('Tenant-specific wording; any section left out uses the built-in text.') satisfies z.ZodType<
  TemplateOverrides,
  unknown
>;

const SLACK_TEAM_ID = /^[TE][A-Z0-9]{8,}$/;

export const OutreachSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Master switch for this tenant. Default true.'),
    detectors: z
      .object({
        impact: ImpactSchema,
        recurring: RecurringSchema,
        capacity: CapacitySchema,
        performance: PerformanceSchema,
      })
      .strict()
      .prefault({})
      .describe('Which detectors may draft outreach, and their thresholds.'),
    quietHours: QuietHoursSchema.optional(),
    rateLimit: z
      .object({
        max: count(1, 1000, D.rateLimit.max, 'At most this many messages sent to the customer …'),
        windowMinutes: count(
          1,
          10_080,
          D.rateLimit.windowMinutes,
          '… in any rolling window of this many minutes.',
        ),
      })
      .strict()
      .prefault({})
      .describe('Per-tenant limit on messages posted in the customer channel.'),
    draftReminderMinutes: count(
      1,
      1440,
      D.draftReminderMinutes,
      'Minutes after which an unanswered draft reminds the on-call (once).',
    ),
    draftExpiryMinutes: count(
      1,
      10_080,
      D.draftExpiryMinutes,
      'Minutes after which an unanswered draft expires.',
    ),
    updateIntervalMinutes: count(
      5,
      10_080,
      D.updateIntervalMinutes,
      'Promised time to the next update ({nextUpdateAt}); the approver is reminded when it is due.',
    ),
    customerTeamIds: z
      .array(
        z
          .string()
          .regex(SLACK_TEAM_ID, 'expected a Slack team id like T0123ABCD (or E… for an Enterprise Grid org)')
          .describe("A Slack team (workspace) id of the customer's own workspace."),
      )
      .default([])
      .describe(
        "The customer's Slack team ids: a shared-channel message from one of their users is their first signal.",
      ),
    firstContact: z
      .object({
        leadInMinutes: count(
          0,
          1440,
          D.firstContact.leadInMinutes,
          'A customer signal this many minutes before the incident opened can still be about it.',
        ),
        tailMinutes: count(0, 1440, D.firstContact.tailMinutes, '… and this many minutes after it resolved.'),
        keywords: z
          .array(z.string().min(2).describe('A word, case-insensitive.'))
          .default([])
          .describe(
            "Extra words that tie a customer's message to this tenant's incidents (project or site names).",
          ),
      })
      .strict()
      .prefault({})
      .describe("How a customer's message or case is matched to an incident to tell who was first."),
    templates: TemplatesSchema,
  })
  .strict()
  .refine((o) => o.draftReminderMinutes < o.draftExpiryMinutes, {
    path: ['draftReminderMinutes'],
    message: 'expected draftReminderMinutes below draftExpiryMinutes, e.g. 15 and 60',
  })
  .describe(
    'Proactive outreach to the customer: detectors, quiet hours, rate limit, drafts and wording. Omit for no outreach.',
  ) satisfies z.ZodType<OutreachSettings, unknown>;
