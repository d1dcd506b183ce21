// The intake doors face the outside world: whatever arrives, they must answer (never throw)
// with a well-formed result, or an alarm is lost at 3 a.m.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VMS_WEBHOOK_MAPPING, VmsWebhookMappingSchema } from '../../../../src/config/alarm-schema.js';
import { classify } from '../../../../src/domain/alarms/classify.js';
import {
  parseAlertmanagerWebhook,
  parseSlackMessage,
  parseVmsWebhook,
} from '../../../../src/domain/alarms/parsers/index.js';
import type { ClassificationRule } from '../../../../src/domain/alarms/types.js';
import {
  type AlarmFormat,
  CATEGORIES,
  COMPONENT_KINDS,
  type NormalizedAlarm,
  type ParsedAlarm,
  SEVERITIES,
} from '../../../../src/domain/alarms/types.js';
import { alertmanagerPayload, NOW } from './fixtures.js';

const FORMATS: AlarmFormat[] = [
  'vms-text',
  'alertmanager-slack',
  'alertmanager-webhook',
  'vms-webhook',
  'key-value',
  'unparseable',
];
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function expectParsed(alarm: ParsedAlarm): void {
  expect(FORMATS).toContain(alarm.format);
  expect(['firing', 'resolved']).toContain(alarm.status);
  expect(typeof alarm.name).toBe('string');
  expect(alarm.name.length).toBeGreaterThan(0);
  expect(typeof alarm.summary).toBe('string');
  expect(alarm.summary).not.toMatch(LONE_SURROGATE);
  if (alarm.format === 'unparseable') expect(alarm.summary.length).toBeLessThanOrEqual(200);
  if (alarm.componentKind !== undefined) expect(COMPONENT_KINDS).toContain(alarm.componentKind);
  for (const value of Object.values(alarm.labels)) expect(typeof value).toBe('string');
  for (const t of [alarm.startsAt, alarm.endsAt]) if (t !== undefined) expect(Number.isFinite(t)).toBe(true);
}

function expectNormalized(alarm: NormalizedAlarm): void {
  expectParsed(alarm);
  expect(SEVERITIES).toContain(alarm.severity);
  expect(CATEGORIES).toContain(alarm.category);
  expect(COMPONENT_KINDS).toContain(alarm.componentKind);
  expect(['slack', 'alertmanager', 'vms']).toContain(alarm.source);
  for (const s of [alarm.cluster, alarm.componentId, alarm.fingerprint]) expect(s.length).toBeGreaterThan(0);
  expect(Number.isFinite(alarm.startsAt)).toBe(true);
  expect(alarm.matchedRules.every((r) => typeof r === 'string')).toBe(true);
}

// Fragments of real formats, so random text reaches deep into every parser.
const fragment = fc.constantFrom(
  ':red_circle:',
  '[CRITICAL]',
  '[RESOLVED]',
  '[FIRING:2]',
  '[FIRING:1, RESOLVED:1]',
  'sjc-obj-01',
  '(San Jose)',
  'DNODE_DOWN',
  'dnode-3/fan-2',
  'cnode-12/eth3',
  'switch-leaf-04/Ethernet12',
  'pvc-3f2a9c1e-1b2c',
  'VMS',
  '|',
  ':',
  '=',
  '"',
  "'",
  '\\',
  '\n',
  'Labels:',
  'Annotations:',
  ' - alertname = NodeDown',
  '*Alert:*',
  '• cluster: x',
  'severity=critical',
  'summary="a b',
  '93%',
  '2 SSDs failed',
  'link down',
  '<http://x|y>',
  '&amp;',
  '\ud800',
  '\u0000',
);
const alarmishText = fc
  .array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 20 })), { maxLength: 40 })
  .map((parts) => parts.join(' '));
const anyText = fc.oneof(alarmishText, fc.string({ unit: 'binary' }), fc.string());
const junk = fc.anything({
  maxDepth: 5,
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withSparseArray: true,
});
const slackMessage = fc.record(
  {
    text: fc.oneof(anyText, junk),
    attachments: fc.oneof(
      junk,
      fc.array(
        fc.record(
          {
            title: anyText,
            text: anyText,
            fallback: anyText,
            footer: anyText,
            fields: fc.array(fc.record({ title: anyText, value: anyText })),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    blocks: fc.oneof(
      junk,
      fc.array(
        fc.record(
          {
            type: fc.constantFrom('header', 'section', 'rich_text', 'context'),
            text: fc.oneof(anyText, fc.record({ text: anyText })),
            elements: junk,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    username: fc.oneof(anyText, junk),
    bot_id: junk,
  },
  { requiredKeys: [] },
);

const ctx = (rules: ClassificationRule[] = []) => ({
  tenantId: 'nimbus',
  source: 'slack' as const,
  rules,
  now: NOW,
});

describe('never throws, always well-formed', () => {
  it('parseSlackMessage + classify on anything', () => {
    fc.assert(
      fc.property(fc.oneof(junk, slackMessage), (msg) => {
        const parsed = parseSlackMessage(msg as never, NOW);
        expectParsed(parsed);
        expectNormalized(classify(parsed, ctx()));
      }),
      { numRuns: 500 },
    );
  });

  it('parseSlackMessage on binary and alarm-like text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseSlackMessage({ text }, NOW);
        expectParsed(parsed);
        expectNormalized(classify(parsed, ctx()));
      }),
      { numRuns: 1000 },
    );
  });

  it('parseSlackMessage on huge text, quickly', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 70_000, maxLength: 90_000 }),
        alarmishText,
        (filler, tail) => {
          const started = performance.now();
          expectParsed(
            parseSlackMessage({ text: `${tail}\n${filler}`, attachments: [{ text: filler }] }, NOW),
          );
          expect(performance.now() - started).toBeLessThan(2000);
        },
      ),
      { numRuns: 10 },
    );
    const repeated = [
      '<'.repeat(200_000),
      'a='.repeat(100_000),
      `${'[CRITICAL] sjc-obj-01 '.repeat(5000)}`,
      `${'sw-'.repeat(30_000)}1`,
      'dnode-1 '.repeat(20_000),
      `"${'\\"'.repeat(50_000)}`,
    ];
    for (const text of repeated) {
      const started = performance.now();
      expectNormalized(classify(parseSlackMessage({ text }, NOW), ctx()));
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('parseAlertmanagerWebhook on anything, and on mangled real payloads', () => {
    const mangled = fc
      .tuple(
        fc.constantFrom(
          'alerts',
          'labels',
          'annotations',
          'startsAt',
          'endsAt',
          'status',
          'fingerprint',
          'groupKey',
        ),
        junk,
      )
      .map(([key, value]) => {
        const body: Record<string, unknown> = structuredClone(alertmanagerPayload);
        if (key in body) body[key] = value;
        else (body.alerts as Record<string, unknown>[])[0]![key] = value;
        return body;
      });
    fc.assert(
      fc.property(fc.oneof(junk, mangled), (body) => {
        const result = parseAlertmanagerWebhook(body);
        if (result.ok) {
          for (const alarm of result.alerts) {
            expectParsed(alarm);
            expectNormalized(classify(alarm, { ...ctx(), source: 'alertmanager' }));
          }
        } else {
          // "<where>: <what>", e.g. alerts[0].labels["a b"]: expected a string, got an object
          expect(result.reason).toMatch(/^(body|[A-Za-z_$[]).*: \S/s);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('parseVmsWebhook on anything', () => {
    const mapping = VmsWebhookMappingSchema.parse({
      severities: { 'SEV-A': 'critical' },
      clusterSeverities: { x: { b: 'minor' } },
    });
    const vmsish = fc.record(
      {
        event: fc.oneof(anyText, junk),
        severity: fc.oneof(fc.constantFrom('MAJOR', 'SEV-A', 'b', 'CLEARED'), junk),
        cluster: fc.oneof(fc.constant('x'), junk),
        object: fc.oneof(anyText, junk),
        message: fc.oneof(anyText, junk),
        state: fc.oneof(fc.constantFrom('resolved', 'ACTIVE'), junk),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string(), junk),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(junk, vmsish),
        fc.constantFrom(mapping, DEFAULT_VMS_WEBHOOK_MAPPING),
        (body, m) => {
          const result = parseVmsWebhook(body, m);
          if (result.ok) {
            expectParsed(result.alarm);
            expectNormalized(classify(result.alarm, { ...ctx(), source: 'vms' }));
          } else {
            expect(result.reason.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('classify on hand-built junk and with rules of any quality', () => {
    const rule = fc.record(
      {
        name: fc.string({ maxLength: 10 }),
        match: fc.dictionary(
          fc.constantFrom(
            'name',
            'text',
            '!summary',
            'labels.x',
            'number:text',
            'number:labels.x,text',
            'nope',
          ),
          fc.oneof(fc.constantFrom('.*', '(', '>=5', '<3 >1', 'dnode'), fc.string(), fc.array(fc.string())),
        ),
        set: fc.record(
          {
            severity: fc.oneof(fc.constantFrom(1, 2, 3, 4), junk),
            category: fc.oneof(fc.constantFrom(...CATEGORIES), junk),
            labels: junk,
          },
          { requiredKeys: [] },
        ),
        stop: fc.oneof(fc.boolean(), junk),
      },
      { requiredKeys: [] },
    );
    const parsedish = fc.record(
      {
        format: fc.oneof(fc.constantFrom(...FORMATS), junk),
        name: fc.oneof(anyText, junk),
        status: fc.oneof(fc.constantFrom('firing', 'resolved'), junk),
        cluster: fc.oneof(anyText, junk),
        componentKind: fc.oneof(fc.constantFrom(...COMPONENT_KINDS), junk),
        componentId: fc.oneof(anyText, junk),
        sourceSeverity: fc.oneof(fc.constantFrom('critical', 'P1', 'warning'), junk),
        summary: fc.oneof(anyText, junk),
        labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), junk),
        fingerprint: fc.oneof(fc.string(), junk),
        startsAt: fc.oneof(fc.double(), junk),
        endsAt: fc.oneof(fc.double(), junk),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(parsedish, junk), fc.array(rule, { maxLength: 4 }), (parsed, rules) => {
        expectNormalized(classify(parsed as ParsedAlarm, ctx(rules as ClassificationRule[])));
      }),
      { numRuns: 500 },
    );
  });
});
