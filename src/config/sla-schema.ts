// `tenants[].sla`: the contract's terms as data — response targets, coverage, pauses, reminders,
// escalation and penalty terms (docs/sla.md). Fields keep today's meaning (sevNResponseMinutes:
// minutes to first human response); everything is optional so resolveSlaPolicy can tell which
// severities a contract leaves out, fill in the defaults and say so at start. Contradictions
// between fields are the domain's checkSlaTerms, reported here at their exact path.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import {
  checkSlaTerms,
  parseLocalTime,
  parseResponseTarget,
  resolveSlaPolicy,
} from '../domain/sla/policy.js';
import {
  COVERAGE_KINDS,
  RESPONSE_KINDS,
  SEVERITY_KEYS,
  type SeverityKey,
  SLA_ROLES,
  type SlaPolicy,
  type SlaTerms,
  WEEKDAYS,
} from '../domain/sla/types.js';
import { formatPath } from './format.js';

const percent = (description: string) =>
  z
    .number()
    .min(0, 'expected a percentage from 0 to 100')
    .max(100, 'expected a percentage from 0 to 100')
    .describe(description);

const role = z.enum(SLA_ROLES).describe('primary, secondary, manager or csm (customer success manager).');
const roles = (description: string) => z.array(role).min(1).describe(description);

const localTime = (description: string) =>
  z
    .string()
    .refine((text) => parseLocalTime(text) !== undefined, {
      message: 'expected a local time like 09:00 or 17:30 (24-hour HH:MM; 24:00 for midnight at the end)',
    })
    .describe(description);

const legacyMinutes = (severity: string) =>
  z
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .describe(
      `${severity}: minutes to first human response, counted on the severity's coverage calendar. ` +
        `Same as severities.${severity.toLowerCase()}.response; set one of the two.`,
    );

const BusinessHoursSchema = z
  .object({
    zone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), {
        message: 'expected an IANA time zone like Europe/London or America/Los_Angeles',
      })
      .optional()
      .describe("IANA zone of the business hours; default: the tenant's timezone."),
    weekdays: z
      .array(z.enum(WEEKDAYS).describe('A weekday: mon, tue, wed, thu, fri, sat or sun.'))
      .min(1)
      .refine((days) => new Set(days).size === days.length, { message: 'expected each weekday once' })
      .optional()
      .describe('Business days; default [mon, tue, wed, thu, fri].'),
    start: localTime('Local time coverage opens each business day; default 09:00.').optional(),
    end: localTime('Local time coverage closes each business day (after start); default 17:00.').optional(),
    holidays: z
      .array(
        z
          .string()
          .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid, {
            message: 'expected a date like 2026-12-25',
          })
          .describe('A local date without coverage, YYYY-MM-DD.'),
      )
      .optional()
      .describe('Dates without coverage (public holidays of the contract), e.g. [2026-12-25, 2026-12-26].'),
  })
  .strict()
  .describe('The business-hours calendar, in the customer’s zone: weekdays, opening hours, holidays.');

const ReminderSchema = z
  .object({
    afterMinutes: z
      .int()
      .min(1)
      .describe(
        'Counted minutes after the clock start (coverage-aware, pauses excluded), before the target.',
      ),
    notify: roles('Roles notified (DM) besides the reminder in the incident thread, e.g. [secondary].'),
  })
  .strict()
  .describe('One reminder: when, and whom it escalates to.');

const SeverityTermsSchema = z
  .object({
    response: z
      .string()
      .refine((text) => parseResponseTarget(text) !== undefined, {
        message: 'expected a duration like 30m, 2h or 8h (at least 1m), or next-business-day',
      })
      .optional()
      .describe(
        'Target to first human response: counted time like 30m, 2h, 8h, or next-business-day (the close of ' +
          'the first business day after the start day).',
      ),
    coverage: z
      .enum(COVERAGE_KINDS)
      .optional()
      .describe(
        '24x7 or business-hours (businessHours); default 24x7 for sev1/sev2, business-hours for sev3/sev4.',
      ),
    reminders: z
      .array(ReminderSchema)
      .optional()
      .describe('Reminders in ascending order; default sev1: 10 primary, 20 secondary, 25 manager.'),
  })
  .strict();

const severityTerms = (key: SeverityKey) =>
  SeverityTermsSchema.optional().describe(`Terms for ${key.replace('sev', 'Sev')}.`);

const BreachTierSchema = z
  .object({
    fromBreaches: z.int().min(1).describe('Fewest response breaches in the month for this tier.'),
    toBreaches: z
      .int()
      .min(1)
      .optional()
      .describe('Most breaches for this tier (inclusive); omit on the last for "and more".'),
    creditPercent: percent('Credit, in % of the monthly fee.'),
  })
  .strict()
  .describe('e.g. { fromBreaches: 3, toBreaches: 4, creditPercent: 10 }');

const ThresholdTierSchema = z
  .object({
    belowPercent: percent('The tier applies when the measured percentage is strictly below this.'),
    creditPercent: percent('Credit, in % of the monthly fee.'),
  })
  .strict()
  .describe('e.g. { belowPercent: 95, creditPercent: 5 }; list tiers from the mildest shortfall down.');

const ComplianceSchema = z
  .object({
    minSample: z
      .int()
      .min(1)
      .default(1)
      .describe('Fewest measured responses in a month for compliance to be assessed; default 1.'),
    tiers: z.array(ThresholdTierSchema).min(1).describe('Credit tiers below compliance thresholds.'),
  })
  .strict();

const PenaltiesSchema = z
  .object({
    monthlyFee: z
      .number()
      .positive('expected a monthly fee above 0')
      .describe('Monthly fee credits are a percentage of.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code like USD or EUR')
      .describe('Currency of the fee, ISO 4217 (USD, EUR, …).'),
    capPercent: z
      .number()
      .min(0, 'expected a cap of 0 % or more')
      .max(100, 'expected a cap of at most 100 % of the monthly fee')
      .optional()
      .describe('Most credit per month, in % of the monthly fee; omit for no cap.'),
    responseBreaches: z
      .object({
        severities: z
          .array(z.literal([1, 2, 3, 4]).describe('A severity, 1 … 4.'))
          .min(1)
          .optional()
          .describe('Severities whose breaches count; default all.'),
        tiers: z.array(BreachTierSchema).min(1).describe('Tiers in ascending order, contiguous.'),
      })
      .strict()
      .optional()
      .describe('(a) Credit by the number of response breaches in the month.'),
    compliance: z
      .object(
        Object.fromEntries(
          SEVERITY_KEYS.map((key) => [
            key,
            ComplianceSchema.optional().describe(`Compliance terms for ${key}.`),
          ]),
        ) as Record<SeverityKey, z.ZodOptional<typeof ComplianceSchema>>,
      )
      .strict()
      .optional()
      .describe('(b) Credit by the share of on-time responses, per severity.'),
    availability: z
      .object({
        sloPercent: z
          .number()
          .gt(0, 'expected a percentage above 0')
          .max(100, 'expected a percentage from 0 to 100')
          .describe('Availability objective of the month, e.g. 99.9.'),
        tiers: z.array(ThresholdTierSchema).min(1).describe('Credit tiers below availability thresholds.'),
      })
      .strict()
      .optional()
      .describe('(c) Availability SLO (customer-impact minutes of the month) and its credit tiers.'),
  })
  .strict()
  .optional()
  .describe('Service credits of the contract; the monthly report computes the exposure from them.');

export const SlaSchema = z
  .object({
    sev1ResponseMinutes: legacyMinutes('Sev1'),
    sev2ResponseMinutes: legacyMinutes('Sev2'),
    sev3ResponseMinutes: legacyMinutes('Sev3'),
    sev4ResponseMinutes: legacyMinutes('Sev4'),
    coverage: z
      .enum(COVERAGE_KINDS)
      .optional()
      .describe('Coverage of every severity that does not set its own: 24x7 or business-hours.'),
    businessHours: BusinessHoursSchema.optional(),
    severities: z
      .object(
        Object.fromEntries(SEVERITY_KEYS.map((key) => [key, severityTerms(key)])) as Record<
          SeverityKey,
          ReturnType<typeof severityTerms>
        >,
      )
      .strict()
      .optional()
      .describe('Per-severity terms; a severity left out gets the defaults (and a notice at start).'),
    pauseReasons: z
      .array(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]{1,40}$/, 'expected a reason like waiting-on-customer (lowercase, dashes)')
          .describe('A pause reason, as set from the card.'),
      )
      .optional()
      .describe('Reasons that pause the clock (set from the card); default [waiting-on-customer].'),
    escalation: roles('Escalation chain in order; default [primary, secondary, manager, csm].')
      .refine((chain) => new Set(chain).size === chain.length, { message: 'expected each role once' })
      .optional(),
    breachNotify: roles('Roles told of a breach; default [manager, csm].').optional(),
    penalties: PenaltiesSchema,
    responseOn: z
      .array(z.enum(RESPONSE_KINDS))
      .min(1)
      .optional()
      .describe(
        'What counts as the first human response: ack (the Acknowledge button or /ack), thread-reply (a staff ' +
          'reply in the incident thread), resolve (a person resolving it); default all three.',
      ),
  })
  .strict()
  // Cross-field checks need well-formed fields, so they run once the fields parse.
  .superRefine((terms, ctx) => {
    for (const problem of checkSlaTerms(terms)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  })
  .describe(
    'The SLA contract: response targets, coverage, pauses, reminders, escalation and credits (docs/sla.md). ' +
      'Defaults: Sev1 30m and Sev2 2h around the clock, Sev3 8 business hours, Sev4 next business day.',
  ) satisfies z.ZodType<SlaTerms, unknown>;

/**
 * The resolved SLA policy of each tenant with an `sla:` block (tenants without one run no
 * clocks), and one line per default it fell back to
 * ("tenants[1].sla.severities.sev3: sev3 has no response target; using the default …"), for the log at start.
 */
export function tenantSlaPolicies(tenants: ReadonlyArray<{ id: string; timezone: string; sla?: SlaTerms }>): {
  policies: Map<string, SlaPolicy>;
  warnings: string[];
} {
  const policies = new Map<string, SlaPolicy>();
  const warnings: string[] = [];
  tenants.forEach((tenant, t) => {
    if (!tenant.sla) return;
    const { policy, warnings: notes } = resolveSlaPolicy(tenant.sla, tenant.timezone);
    policies.set(tenant.id, policy);
    for (const note of notes)
      warnings.push(
        `${formatPath(['tenants', t, 'sla', ...note.path])}: ${note.message} (tenant ${tenant.id})`,
      );
  });
  return { policies, warnings };
}
