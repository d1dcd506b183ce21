// The hygiene functions return plain text untouched without running their regexes (a fast path
// for nearly every alarm field). Whatever the text, the answer must be the regexes' answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  MAX_INPUT_CHARS,
  oneLine,
  stripControls,
} from '../../../../../src/domain/alarms/parsers/text.js';

// The definitions the functions had before the fast path, verbatim.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the reference removes control characters.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const refStrip = (t: string) => t.replace(LONE_SURROGATE, '').replace(BIDI, '').replace(CONTROL, '');
const refClean = (t: string) =>
  t.slice(0, MAX_INPUT_CHARS).replace(LONE_SURROGATE, '').replace(BIDI, '').replace(CONTROL, ' ');
const refOneLine = (t: string, max: number) => {
  const flat = refClean(t)
    .replace(/[\s\u00a0\u2028\u2029]+/g, ' ')
    .trim();
  return flat.length <= max ? flat : undefined; // past max both cut the same way (not compared)
};

// Alarm-like text plus every kind of character the patterns care about.
const tricky = fc.constantFrom(
  ' ',
  '  ',
  '\t',
  '\n',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u061c',
  '\u1680',
  '\u2003',
  '\u200b',
  '\u200e',
  '\u2028',
  '\u202e',
  '\u202f',
  '\u2067',
  '\u3000',
  '\ufeff',
  '\ud83d\ude00',
  '\ud83d',
  '\ude00',
  '—',
  'é',
  'ß',
  '日本',
);
const text = fc
  .array(fc.oneof(fc.string({ maxLength: 12 }), tricky, fc.string({ unit: 'binary', maxLength: 6 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('text hygiene', () => {
  it('strips controls exactly as the regexes do', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(stripControls(t)).toBe(refStrip(t));
      }),
    );
  });

  it('cleans free text exactly as the regexes do', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(cleanText(t)).toBe(refClean(t));
      }),
    );
  });

  it('flattens to one line exactly as the regexes do', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (t, max) => {
        const want = refOneLine(t, max);
        if (want !== undefined) expect(oneLine(t, max)).toBe(want);
      }),
    );
  });

  it('hands plain alarm text back as it is', () => {
    const summary = 'C-node cnode-1 is down — cnode-1 has not answered for 2 minutes';
    expect(oneLine(summary)).toBe(summary);
    expect(stripControls('sjc-obj-01')).toBe('sjc-obj-01');
    expect(oneLine(' two  spaces\tand a tab ')).toBe('two spaces and a tab');
    expect(stripControls('node\u202e3-edond')).toBe('node3-edond');
  });
});
