import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InhibitRuleConfigSchema,
  TriageConfigSchema,
  toTriagePolicy,
} from '../../../src/config/triage-schema.js';
import { DEFAULT_INHIBIT_RULES } from '../../../src/domain/alarms/inhibition.js';
import { formatMatcher } from '../../../src/domain/alarms/matchers.js';

function problems(input: unknown): string[] {
  const result = TriageConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('TriageConfigSchema', () => {
  it('fills every default from an absent section', () => {
    const config = TriageConfigSchema.parse(undefined);
    expect(config).toMatchObject({
      groupBy: ['tenant', 'cluster', 'category'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      resolveQuietPeriod: '5m',
      flapping: { transitions: 6, window: '30m' },
      bodyLimitBytes: 1_048_576,
      digestHour: 9,
    });
    expect(config.inhibitRules.map((r) => r.name)).toEqual(DEFAULT_INHIBIT_RULES.map((r) => r.name));
  });

  it('defaults the inhibit rules to the built-in rules, written as strings', () => {
    const config = TriageConfigSchema.parse({});
    expect(config.inhibitRules).toEqual(
      DEFAULT_INHIBIT_RULES.map((r) => ({
        name: r.name,
        sourceMatchers: r.sourceMatchers.map(formatMatcher),
        targetMatchers: r.targetMatchers.map(formatMatcher),
        equal: r.equal,
      })),
    );
    expect(config.inhibitRules[0]?.sourceMatchers[0]).toBe(
      'alertname=~NETWORK_PARTITION|CLUSTER_UNREACHABLE|ClusterUnreachable|NetworkPartition',
    );
    // Fresh copies: changing one parse result does not change the next.
    config.inhibitRules[0]?.equal.push('site');
    expect(TriageConfigSchema.parse({}).inhibitRules[0]?.equal).toEqual(['tenant', 'cluster']);
  });

  it('turns into a policy in milliseconds with compiled matchers', () => {
    const policy = toTriagePolicy(TriageConfigSchema.parse({ groupWait: '0s', flapping: { window: '1h' } }));
    expect(policy).toMatchObject({
      groupBy: ['tenant', 'cluster', 'category'],
      groupWaitMs: 0,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
      resolveQuietPeriodMs: 300_000,
      flapping: { transitions: 6, windowMs: 3_600_000 },
      bodyLimitBytes: 1_048_576,
      digestHour: 9,
    });
    expect(policy.inhibitRules).toEqual(DEFAULT_INHIBIT_RULES);
  });

  it('compiles configured rules, quoted values included', () => {
    const policy = toTriagePolicy(
      TriageConfigSchema.parse({
        inhibitRules: [
          { name: 'site-down', sourceMatchers: ['alertname=SITE_DOWN'], targetMatchers: ['site="San Jose"'] },
        ],
      }),
    );
    expect(policy.inhibitRules).toEqual([
      {
        name: 'site-down',
        sourceMatchers: [{ name: 'alertname', op: '=', value: 'SITE_DOWN' }],
        targetMatchers: [{ name: 'site', op: '=', value: 'San Jose' }],
        equal: [],
      },
    ]);
  });

  it('reports bad durations, matchers, labels and unknown keys', () => {
    const found = problems({
      groupWait: 'soon',
      repeatInterval: '0s',
      flapping: { transitions: 1 },
      digestHour: 24,
      groupBy: ['tenant', 'bad-label'],
      inhibitRules: [
        {
          name: 'a',
          sourceMatchers: ['alertname=~('],
          targetMatchers: ['component=dnode'],
          equal: ['cluster'],
        },
        { name: 'a', sourceMatchers: ['x=1'], targetMatchers: ['y=2'], extra: true },
      ],
      typo: 1,
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^groupWait: expected a duration/),
        expect.stringMatching(/^repeatInterval: expected a duration above zero/),
        expect.stringMatching(/^flapping\.transitions: /),
        expect.stringMatching(/^digestHour: /),
        expect.stringMatching(/^groupBy\.1: expected a label name/),
        expect.stringMatching(
          /^inhibitRules\.0\.sourceMatchers\.0: `alertname=~\(`: the regex does not compile/,
        ),
        expect.stringMatching(/^inhibitRules\.1: .*extra/),
        expect.stringMatching(/typo/),
      ]),
    );
  });

  it('reports duplicate rule names', () => {
    const rule = { name: 'same', sourceMatchers: ['x=1'], targetMatchers: ['y=2'] };
    expect(problems({ inhibitRules: [rule, rule] })).toEqual([
      expect.stringMatching(/^inhibitRules\.1\.name: duplicate rule name same/),
    ]);
  });

  it('describes every field, for the editor JSON Schema', () => {
    const schema = z.toJSONSchema(TriageConfigSchema, { io: 'input' }) as {
      description?: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.description).toBeTruthy();
    for (const [key, prop] of Object.entries(schema.properties)) expect(prop.description, key).toBeTruthy();
    const rule = z.toJSONSchema(InhibitRuleConfigSchema, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
    };
    for (const [key, prop] of Object.entries(rule.properties)) expect(prop.description, key).toBeTruthy();
  });
});
