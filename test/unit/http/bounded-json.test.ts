import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jsonTooDeepAt,
  MAX_JSON_DEPTH,
  parseBoundedJson,
  valueTooDeep,
} from '../../../src/http/bounded-json.js';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('parseBoundedJson', () => {
  it('parses JSON nested exactly MAX_JSON_DEPTH deep and refuses one level more, saying where', () => {
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      reason: `body is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${MAX_JSON_DEPTH}); no alarm or Slack payload needs that`,
    });
  });

  it('refuses 200,000 levels without overflowing the stack, in linear time', () => {
    for (const text of [nested(200_000), `{"a":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_001)}`]) {
      const started = performance.now();
      const result = parseBoundedJson(text);
      expect(result.ok).toBe(false);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '['.repeat(500), b: `\\"${'{'.repeat(500)}`, c: ['"[', ']"'] });
    expect(jsonTooDeepAt(text, 2)).toBe(-1);
    expect(parseBoundedJson(text, 2)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('reports broken JSON as not valid JSON', () => {
    const result = parseBoundedJson('{"version": "4", "alerts": [');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^body is not valid JSON: /);
  });

  it('agrees with JSON.parse on every JSON value within the bound', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseBoundedJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses exactly the texts whose nesting passes the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (depth, bound) => {
        const text = `{"x":${'[{"y":'.repeat(depth - 1)}0${'}]'.repeat(depth - 1)}}`;
        const actualDepth = 1 + 2 * (depth - 1);
        expect(parseBoundedJson(text, bound).ok).toBe(actualDepth <= bound);
      }),
    );
  });
});

describe('valueTooDeep', () => {
  it('measures a parsed value like the text scanner, iteratively', () => {
    expect(valueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(valueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(valueTooDeep(JSON.parse(nested(200_000)))).toBe(true);
    expect(valueTooDeep('text')).toBe(false);
    expect(valueTooDeep({ a: { b: [1, { c: null }] } }, 4)).toBe(false);
    expect(valueTooDeep({ a: { b: [1, { c: {} }] } }, 4)).toBe(true);
  });
});
