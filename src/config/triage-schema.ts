// The `triage` section of the config file: Alertmanager-style grouping timers, flapping and
// inhibition rules. Operators write durations and matchers as text; the schema validates them
// with the same parsers the bot uses at run time (so "valid config" means "works"), and
// toTriagePolicy turns the text into milliseconds and compiled matchers once, at start.
import { z } from 'zod';
import { DEFAULT_INHIBIT_RULE_SPECS, type InhibitRule } from '../domain/alarms/inhibition.js';
import { type Matcher, parseMatcher } from '../domain/alarms/matchers.js';
import { parseDuration } from '../domain/clock.js';

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const labelName = (description: string) =>
  z
    .string()
    .regex(LABEL_NAME, 'expected a label name like cluster or component_id (letters, digits, _)')
    .describe(description);

const duration = (fallback: string, description: string, minMs = 0) =>
  z
    .string()
    .refine((text) => (parseDuration(text) ?? -1) >= minMs, {
      message:
        minMs > 0
          ? 'expected a duration above zero like 30s, 5m, 4h or 1d'
          : 'expected a duration like 0s, 30s, 5m, 4h or 1d',
    })
    .default(fallback)
    .describe(description);

const matcherText = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseMatcher(text);
    // parseMatcher's problems start with the matcher itself; no ", found …" after them.
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem, params: { omitFound: true } });
  })
  .describe(
    'One matcher: label=value, label!=value, label=~regex or label!~regex (regex in RE2 syntax, as in ' +
      'Alertmanager: fully anchored, case-sensitive unless it starts with (?i); no backreferences or lookaround).',
  );

export const InhibitRuleConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a short name like partition-inhibits-nodes')
      .describe('Short unique name, shown on the incident when this rule suppresses an alarm.'),
    sourceMatchers: z
      .array(matcherText)
      .min(1)
      .describe('A firing alarm matching all of these (the cause) inhibits the targets.'),
    targetMatchers: z
      .array(matcherText)
      .min(1)
      .describe('Alarms matching all of these (the symptoms) are inhibited while a source fires.'),
    equal: z
      .array(labelName('Label that must have the same value on source and target.'))
      .default([])
      .describe(
        'Labels that must be equal on source and target (missing on both counts as equal); ' +
          'e.g. [tenant, cluster] so one cluster never hides another.',
      ),
  })
  .strict()
  .describe(
    'Alertmanager-style inhibition rule: while a source alarm fires, matching targets join but do not page.',
  );

const FlappingSchema = z
  .object({
    transitions: z
      .int()
      .min(2)
      .max(1000)
      .default(6)
      .describe('Firing↔resolved transitions inside the window that mark an alarm as flapping.'),
    window: duration('30m', 'Sliding window in which transitions are counted.', 1000),
  })
  .strict()
  .prefault({})
  .describe('When a bouncing alarm stops paging on every bounce and is marked flapping instead.');

export const TriageConfigSchema = z
  .object({
    groupBy: z
      .array(labelName('Label used to group alarms into one incident.'))
      .min(1)
      .default(['tenant', 'cluster', 'category'])
      .describe('Alarms with equal values for these labels join the same incident (Alertmanager group_by).'),
    groupWait: duration('30s', 'Wait before the first page of a new incident, so a burst arrives as one.'),
    groupInterval: duration('5m', 'Minimum time between updates about new alarms joining an incident.', 1000),
    repeatInterval: duration('4h', 'Re-page an unacknowledged, still-firing incident this often.', 60_000),
    resolveQuietPeriod: duration(
      '5m',
      'An incident auto-resolves after all its alarms stayed resolved this long.',
    ),
    flapping: FlappingSchema,
    inhibitRules: z
      .array(InhibitRuleConfigSchema)
      .default(() =>
        // A fresh copy per parse: callers may mutate their config without touching the constants.
        DEFAULT_INHIBIT_RULE_SPECS.map((r) => ({
          name: r.name,
          sourceMatchers: [...r.sourceMatchers],
          targetMatchers: [...r.targetMatchers],
          equal: [...r.equal],
        })),
      )
      .superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, i) => {
          if (seen.has(rule.name)) {
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule name ${rule.name}` });
          }
          seen.add(rule.name);
        });
      })
      .describe(
        'Inhibition rules; the default lets a network partition / unreachable cluster suppress ' +
          'node-down and volume alarms of the same tenant and cluster. Set [] to turn inhibition off.',
      ),
    bodyLimitBytes: z
      .int()
      .min(1024)
      .max(64 * 1048576)
      .default(1048576)
      .describe('Largest webhook body accepted, in bytes.'),
    digestHour: z
      .int()
      .min(0)
      .max(23)
      .default(9)
      .describe("Hour of the day (tenant's time zone) the daily digest is posted."),
  })
  .strict()
  .prefault({})
  .describe('Alarm triage: grouping timers, flapping and inhibition (Alertmanager semantics).');

export type InhibitRuleConfig = z.output<typeof InhibitRuleConfigSchema>;
export type TriageConfig = z.output<typeof TriageConfigSchema>;

/** Triage settings as the engine uses them: milliseconds and compiled matchers. */
export interface TriagePolicy {
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  resolveQuietPeriodMs: number;
  flapping: { transitions: number; windowMs: number };
  inhibitRules: InhibitRule[];
  bodyLimitBytes: number;
  digestHour: number;
}

/** Converts a parsed (already validated) triage config. Throws only if it was not validated. */
export function toTriagePolicy(config: TriageConfig): TriagePolicy {
  return {
    groupBy: [...config.groupBy],
    groupWaitMs: ms(config.groupWait),
    groupIntervalMs: ms(config.groupInterval),
    repeatIntervalMs: ms(config.repeatInterval),
    resolveQuietPeriodMs: ms(config.resolveQuietPeriod),
    flapping: { transitions: config.flapping.transitions, windowMs: ms(config.flapping.window) },
    inhibitRules: config.inhibitRules.map((rule) => ({
      name: rule.name,
      sourceMatchers: rule.sourceMatchers.map(compile),
      targetMatchers: rule.targetMatchers.map(compile),
      equal: [...rule.equal],
    })),
    bodyLimitBytes: config.bodyLimitBytes,
    digestHour: config.digestHour,
  };
}

function ms(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`triage config not validated: bad duration ${text}`);
  return value;
}

function compile(text: string): Matcher {
  const parsed = parseMatcher(text);
  if (!parsed.ok) throw new Error(`triage config not validated: ${parsed.problem}`);
  return parsed.matcher;
}
