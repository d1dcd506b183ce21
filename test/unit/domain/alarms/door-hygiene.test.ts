// Black-box findings at the alarm doors: control characters and bidi overrides in stored labels,
// Alertmanager's default Slack title read as cluster "unknown", and lenient webhook versions/times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VMS_WEBHOOK_MAPPING } from '../../../../src/config/alarm-schema.js';
import { classify, clusterNamedIn } from '../../../../src/domain/alarms/classify.js';
import {
  parseAlertmanagerWebhook,
  parseSlackMessage,
  parseVmsWebhook,
} from '../../../../src/domain/alarms/parsers/index.js';
import { UNSAFE_CHAR } from '../../../../src/domain/alarms/parsers/text.js';
import type { ParsedAlarm } from '../../../../src/domain/alarms/types.js';
import { alertmanagerPayload, alertmanagerSlackCustom, NOW } from './fixtures.js';

const clone = <T>(value: T): T => structuredClone(value);
const ctx = { tenantId: 'nimbus', source: 'slack' as const, rules: [], now: NOW };

// The characters the black-box test found surviving, and their relatives.
const UNSAFE = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u202a',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u061c',
];

/** Every text a ParsedAlarm carries: the fields and both sides of each label. */
function textsOf(alarm: ParsedAlarm): string[] {
  const fields = [alarm.name, alarm.summary, alarm.cluster, alarm.site, alarm.componentId];
  fields.push(alarm.sourceSeverity, alarm.fingerprint);
  return [...fields.filter((f): f is string => f !== undefined), ...Object.entries(alarm.labels).flat()];
}

const expectClean = (alarm: ParsedAlarm) => {
  for (const text of textsOf(alarm)) expect(text, JSON.stringify(text)).not.toMatch(UNSAFE_CHAR);
};

// Text with unsafe characters sprinkled between pieces of real alarm vocabulary.
const dirty = fc
  .array(
    fc.oneof(
      fc.constantFrom(...UNSAFE),
      fc.constantFrom('sjc-obj-01', 'dnode-3', 'critical', 'NodeDown', 'cluster', ' ', '=', ':', '\n'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('no parsed field ever carries a control, bidi control or lone surrogate', () => {
  it('Alertmanager webhook: labels, annotations, fingerprint and times', () => {
    fc.assert(
      fc.property(fc.dictionary(dirty, dirty, { maxKeys: 6 }), dirty, dirty, (labels, summary, fp) => {
        const body = clone(alertmanagerPayload) as unknown as { alerts: Record<string, unknown>[] };
        const alert = body.alerts[0] as Record<string, unknown>;
        alert.labels = { ...labels, alertname: `Node${summary}Down`, cluster: `sjc${fp}-obj` };
        alert.annotations = { summary, description: fp };
        alert.fingerprint = fp;
        const result = parseAlertmanagerWebhook(body);
        expect(result.ok).toBe(true);
        if (result.ok) for (const alarm of result.alerts) expectClean(alarm);
      }),
      { numRuns: 300 },
    );
  });

  it('VMS webhook: every mapped field', () => {
    fc.assert(
      fc.property(
        fc.array(dirty, { minLength: 6, maxLength: 6 }),
        ([event, sev, cluster, object, msg, id]) => {
          const body = { event: `E${event}`, severity: sev, cluster, object, message: msg, id, site: msg };
          const result = parseVmsWebhook(body, DEFAULT_VMS_WEBHOOK_MAPPING);
          if (result.ok) expectClean(result.alarm);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Slack messages of every format', () => {
    const formats = (t: string) => [
      { text: t },
      { text: `[CRITICAL] sjc-obj-01 DNODE_DOWN dnode-3: ${t}` },
      { text: `VMS | MAJOR | ${t} | NIC_LINK_DOWN | cnode-12/eth3 | ${t}` },
      { text: `severity=critical cluster=${t} alert=DNODE_DOWN summary="${t}"` },
      { attachments: [{ title: `[FIRING:1] DNodeDown ${t} (dnode-3 critical)`, text: `• cluster: ${t}` }] },
    ];
    fc.assert(
      fc.property(dirty, (t) => {
        for (const msg of formats(t)) expectClean(parseSlackMessage(msg, NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('classify cleans the labels of a hand-built alarm too', () => {
    const alarm = classify(
      {
        format: 'key-value',
        name: 'DNODE_DOWN',
        status: 'firing',
        summary: 'x',
        labels: { 'node\u202e': 'dnode-3\u0007', 'a\u0000': 'b' },
      },
      ctx,
    );
    expect(alarm.labels).toMatchObject({ node: 'dnode-3', a: 'b' });
    expectClean(alarm);
  });

  it('strips a right-to-left override from an Alertmanager label, keeping the rest of the value', () => {
    const body = clone(alertmanagerPayload);
    (body.alerts[0] as { labels: Record<string, string> }).labels.node = 'cnode\u202e-17\u001b[31m';
    const result = parseAlertmanagerWebhook(body);
    expect(result.ok && result.alerts[0]?.labels.node).toBe('cnode-17[31m');
  });
});

describe('a configured cluster id named in the text is the cluster', () => {
  // What Alertmanager's Slack notifier posts with its default template (the black-box finding).
  const defaultPost = (title: string) => ({
    bot_id: 'B06AM0001',
    username: 'AlertManager',
    text: '',
    attachments: [
      {
        color: 'danger',
        title,
        title_link: 'http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus',
        fallback: `${title} | http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus`,
        text: '',
        footer: '',
        mrkdwn_in: ['fallback', 'pretext', 'text'],
      },
    ],
  });
  const clusterIds = ['phx-obj-01', 'sjc-obj-01', 'sjc-obj'];

  it.each([
    '[FIRING:1] DNodeDown sjc-obj-01 (dnode-3 … critical San Jose)',
    '[FIRING:1] DNodeDown sjc-obj-01 (dnode-3 node-exporter critical San Jose)',
  ])('reads %s as cluster sjc-obj-01', (title) => {
    const parsed = parseSlackMessage(defaultPost(title), NOW);
    expect(parsed.cluster).toBeUndefined();
    const alarm = classify(parsed, { ...ctx, clusterIds });
    expect(alarm).toMatchObject({ cluster: 'sjc-obj-01', name: 'DNodeDown', severity: 1 });
    // Without the tenant's ids there is nothing to recognise it by: unchanged behaviour.
    expect(classify(parsed, ctx).cluster).toBe('unknown');
  });

  it('lets a rule on `cluster` see the cluster the text names', () => {
    const parsed = parseSlackMessage(defaultPost('[FIRING:1] DNodeDown sjc-obj-01 (dnode-3 critical)'), NOW);
    const rules = [
      { name: 'sjc-is-lab', match: { cluster: '^sjc-' }, set: { severity: 4 as const }, stop: true },
    ];
    expect(classify(parsed, { ...ctx, rules, clusterIds })).toMatchObject({
      severity: 4,
      matchedRules: ['sjc-is-lab'],
    });
  });

  it('keeps a cluster a field names, even when the text names another', () => {
    const parsed = parseSlackMessage(alertmanagerSlackCustom, NOW);
    expect(classify(parsed, { ...ctx, clusterIds: ['sjc-obj-01', 'phx-obj-01'] }).cluster).toBe('phx-obj-01');
  });

  it('matches whole tokens only, case-insensitively, the first in the text, the longer id on a tie', () => {
    const at = (summary: string, labels: Record<string, string> = {}) =>
      clusterNamedIn({ name: 'X', summary, labels }, clusterIds);
    expect(at('down on sjc-obj-010 and xsjc-obj-01')).toBeUndefined();
    expect(at('down on SJC-OBJ-01.')).toBe('sjc-obj-01');
    expect(at('replication phx-obj-01 → sjc-obj-01 lagging')).toBe('phx-obj-01');
    expect(at('sjc-obj is the old name')).toBe('sjc-obj');
    expect(at('nothing here', { instance: 'sjc-obj-01:9100' })).toBe('sjc-obj-01');
    expect(clusterNamedIn({ name: 'sjc-obj-01', summary: '', labels: {} }, undefined)).toBeUndefined();
    expect(clusterNamedIn({ name: 'sjc-obj-01', summary: '', labels: {} }, ['', 7, ' sjc-obj-01 '])).toBe(
      'sjc-obj-01',
    );
  });
});

describe('webhook versions and times are checked, valid ones still accepted', () => {
  const withAlert = (patch: Record<string, unknown>, top: Record<string, unknown> = {}) => {
    const body = clone(alertmanagerPayload) as unknown as Record<string, unknown> & {
      alerts: Record<string, unknown>[];
    };
    Object.assign(body.alerts[0] as object, patch);
    return Object.assign(body, top);
  };

  it.each([['3'], ['5'], ['v4'], ['']])('refuses Alertmanager payload version %j', (version) => {
    const result = parseAlertmanagerWebhook(withAlert({}, { version }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(
      /^version: unsupported Alertmanager webhook version .*; opsbot reads version 4/,
    );
  });

  it('names the version as sent', () => {
    const result = parseAlertmanagerWebhook(withAlert({}, { version: '3' }));
    expect(!result.ok && result.reason).toBe(
      "version: unsupported Alertmanager webhook version 3; opsbot reads version 4 (and Grafana's version 1)",
    );
  });

  it("accepts version 4, Grafana's version 1, and no version", () => {
    for (const version of ['4', '1', undefined]) {
      expect(parseAlertmanagerWebhook(withAlert({}, { version })).ok, String(version)).toBe(true);
    }
  });

  it.each([
    ['startsAt', 'not-a-date'],
    ['startsAt', '2024-05-04 03:12:45'],
    ['startsAt', '2024-02-30T00:00:00Z'],
    ['endsAt', 'tomorrow'],
  ])('refuses %s %j, naming the field', (field, value) => {
    const result = parseAlertmanagerWebhook(withAlert({ [field]: value }));
    expect(!result.ok && result.reason).toBe(`alerts[0].${field}: expected an RFC 3339 time, got "${value}"`);
  });

  it("accepts Go's zero time, nanosecond fractions, offsets, and an empty time as absent", () => {
    for (const patch of [
      { endsAt: '0001-01-01T00:00:00Z' },
      { status: 'resolved', endsAt: '0001-01-01T00:00:00Z' },
      { startsAt: '2024-05-04T03:12:45.739266876Z' },
      { startsAt: '2024-05-04T05:12:45+02:00' },
      { startsAt: '', endsAt: '' },
    ]) {
      const result = parseAlertmanagerWebhook(withAlert(patch));
      expect(result.ok, JSON.stringify(patch)).toBe(true);
    }
    const zero = parseAlertmanagerWebhook(withAlert({ status: 'resolved', endsAt: '0001-01-01T00:00:00Z' }));
    expect(zero.ok && zero.alerts[0]?.endsAt).toBeUndefined();
  });

  it('refuses a VMS timestamp it cannot read, naming the path, and accepts the readable ones', () => {
    const body = (timestamp: unknown) => ({ event: 'DNODE_DOWN', cluster: 'sjc-obj-01', timestamp });
    const bad = parseVmsWebhook(body('not-a-date'), DEFAULT_VMS_WEBHOOK_MAPPING);
    expect(!bad.ok && bad.reason).toBe(
      'timestamp: expected an RFC 3339 time or epoch seconds/milliseconds at "timestamp", got "not-a-date"',
    );
    for (const value of [0, -5, true]) {
      expect(parseVmsWebhook(body(value), DEFAULT_VMS_WEBHOOK_MAPPING).ok, String(value)).toBe(false);
    }
    for (const value of ['2024-05-04T03:11:02Z', 1714792262, '1714792262000', undefined, null, '']) {
      expect(parseVmsWebhook(body(value), DEFAULT_VMS_WEBHOOK_MAPPING).ok, String(value)).toBe(true);
    }
  });
});
