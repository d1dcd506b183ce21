// parseAlertmanagerWebhook checks a body by hand before zod and uses zod only when that check
// fails. Whatever arrives, the answer must be the one zod's verdict gives: refused when zod
// refuses it, and read as zod's output would be read when zod accepts it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PayloadSchema,
  parseAlertmanagerWebhook,
} from '../../../../../src/domain/alarms/parsers/alertmanager-webhook.js';
import { alertmanagerPayload } from '../fixtures.js';

type Json = Record<string, unknown>;
/** Stands for a `__proto__` key, which only JSON text can make an own property. */
const PROTO = 'PROTO_KEY';
const alert = alertmanagerPayload.alerts[0] as Json;

// A field replaced by an arbitrary JSON value (or removed), at the top level or in an alert.
const mutation = fc.oneof(
  fc.record({
    where: fc.constant('top' as const),
    key: fc.constantFrom(...Object.keys(alertmanagerPayload), 'extra'),
    value: fc.option(fc.jsonValue(), { nil: undefined }),
  }),
  fc.record({
    where: fc.constant('alert' as const),
    key: fc.constantFrom(...Object.keys(alert), 'extra'),
    value: fc.option(fc.jsonValue(), { nil: undefined }),
  }),
  fc.record({
    where: fc.constant('label' as const),
    key: fc.constantFrom('alertname', 'node', PROTO, 'constructor'),
    value: fc.jsonValue(),
  }),
);

function mutate(changes: Array<{ where: 'top' | 'alert' | 'label'; key: string; value: unknown }>): unknown {
  // Through JSON text, as a body arrives: undefined drops the field, PROTO becomes `__proto__`.
  const body = JSON.parse(JSON.stringify(alertmanagerPayload)) as Json;
  const first = (body.alerts as Json[])[0] as Json;
  for (const { where, key, value } of changes) {
    const target = where === 'top' ? body : where === 'alert' ? first : (first.labels as Json);
    if (target === undefined || typeof target !== 'object' || target === null) continue;
    target[key] = value;
  }
  return JSON.parse(JSON.stringify(body).replaceAll(`"${PROTO}":`, '"__proto__":'));
}

describe('the Alertmanager webhook parser answers as zod decides', () => {
  it('refuses what zod refuses, and reads what it accepts exactly as zod output', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 3 }), (changes) => {
        const body = mutate(changes);
        const zod = PayloadSchema.safeParse(body);
        const result = parseAlertmanagerWebhook(body);
        if (!zod.success) {
          expect(result.ok).toBe(false);
          return;
        }
        expect(result).toEqual(parseAlertmanagerWebhook(zod.data));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a sparse alerts array, as zod does', () => {
    // biome-ignore lint/suspicious/noSparseArray: a hole is what a hand-built body can carry.
    const body = { ...alertmanagerPayload, alerts: [, alert] };
    expect(PayloadSchema.safeParse(body).success).toBe(false);
    expect(parseAlertmanagerWebhook(body).ok).toBe(false);
  });
});
