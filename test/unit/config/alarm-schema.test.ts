import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ClassificationRuleSchema,
  DEFAULT_VMS_WEBHOOK_MAPPING,
  TenantAlarmsSchema,
  VmsWebhookMappingSchema,
} from '../../../src/config/alarm-schema.js';
import { DEFAULT_CLASSIFICATION_RULES } from '../../../src/domain/alarms/default-rules.js';

const issues = (result: { success: boolean; error?: z.ZodError }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('TenantAlarmsSchema', () => {
  it('defaults to no rules and the default VMS template', () => {
    expect(TenantAlarmsSchema.parse(undefined)).toEqual({
      rules: [],
      vmsWebhook: DEFAULT_VMS_WEBHOOK_MAPPING,
    });
    expect(DEFAULT_VMS_WEBHOOK_MAPPING).toMatchObject({
      eventName: 'event',
      severity: 'severity',
      cluster: 'cluster',
      object: 'object',
      message: 'message',
      status: 'state',
      id: 'id',
      timestamp: 'timestamp',
      severities: {},
      clusterSeverities: {},
    });
  });

  it('accepts the built-in rules as config (same language)', () => {
    expect(TenantAlarmsSchema.safeParse({ rules: DEFAULT_CLASSIFICATION_RULES }).success).toBe(true);
  });

  it('reports a bad regex at its path, with every other problem', () => {
    const result = TenantAlarmsSchema.safeParse({
      rules: [
        { name: 'ok', match: { name: 'X' }, set: { severity: 2 } },
        {
          name: 'bad',
          match: { summary: ['fine', '(oops'], 'labels.': 'x' },
          set: { severity: 5, colour: 'red' },
        },
        { name: 'ok', match: {}, set: {} },
      ],
      vmsWebhook: { eventName: 'event..name', severities: { 'SEV-A': 'urgent' } },
    });
    expect(issues(result)).toEqual([
      'rules.1.set.severity: Invalid option: expected one of 1|2|3|4',
      'rules.1.set: Unrecognized key: "colour"',
      'vmsWebhook.eventName: expected a dot path into the JSON body, like event.name or alarms.0.severity',
      'vmsWebhook.severities.SEV-A: Invalid option: expected one of "info"|"minor"|"major"|"critical"',
    ]);
    const ruleOnly = ClassificationRuleSchema.safeParse({
      name: 'bad',
      match: { summary: ['fine', '(oops'] },
      set: {},
    });
    expect(issues(ruleOnly)).toEqual([
      'match.summary.1: not a valid regular expression: "(oops" — missing closing ) (RE2 syntax)',
    ]);
  });

  it('rejects duplicate rule names', () => {
    const rule = { name: 'same', match: {}, set: {} };
    expect(issues(TenantAlarmsSchema.safeParse({ rules: [rule, rule] }))).toEqual([
      'rules.1.name: duplicate rule name "same" (also rules[0])',
    ]);
  });

  it('describes every field (the JSON Schema editors show)', () => {
    const json = JSON.stringify(z.toJSONSchema(TenantAlarmsSchema, { io: 'input' }));
    expect(json).toContain('Classification rules, tried in order before the built-in defaults.');
    expect(json).toContain('Path of the event (alarm) name');
    expect(VmsWebhookMappingSchema.parse({ severities: { 'sev-a': 'critical' } }).severities).toEqual({
      'sev-a': 'critical',
    });
  });
});
