import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/domain/alarms/classify.js';
import { matchesAll, parseMatcher } from '../../../src/domain/alarms/matchers.js';
import type { ClassificationRule } from '../../../src/domain/alarms/types.js';
import {
  type CompiledPattern,
  compileAnyPattern,
  compilePattern,
  type PatternOptions,
} from '../../../src/domain/patterns.js';

const ANCHORED: PatternOptions = { anchored: true, caseInsensitive: false };
const SEARCH: PatternOptions = { anchored: false, caseInsensitive: true };

function compiled(source: string, options: PatternOptions) {
  const result: CompiledPattern = compilePattern(source, options);
  if (!result.ok) throw new Error(`expected ${source} to compile: ${result.problem}`);
  return result.test;
}
function problem(source: string, options: PatternOptions = ANCHORED) {
  const result = compilePattern(source, options);
  if (result.ok) throw new Error(`expected ${source} to be refused`);
  return result;
}

// Inputs that make a backtracking engine take time exponential in their length: each extra
// character doubles the work for (a|a)*b, and (x+x+)+y tries every split of the x's.
const HOSTILE_A = `${'a'.repeat(5000)}!`;
const HOSTILE_X = 'x'.repeat(5000);
const RUNS = 1000;

describe('compilePattern: hostile patterns run in linear time (RE2)', () => {
  it('(a|a)*b on 5,000 characters, 1,000 times, anchored and unanchored, with correct answers', () => {
    const anchored = compiled('(a|a)*b', ANCHORED);
    const search = compiled('(a|a)*b', SEARCH);
    // If matching backtracked, the first call alone would not finish within the test timeout.
    for (let i = 0; i < RUNS; i++) {
      expect(anchored(HOSTILE_A)).toBe(false);
      expect(search(HOSTILE_A)).toBe(false);
    }
    expect(anchored(`${'a'.repeat(5000)}b`)).toBe(true);
    expect(search(`xx${'A'.repeat(5000)}B!`)).toBe(true);
    expect(anchored(`${'a'.repeat(5000)}b!`)).toBe(false);
  });

  it('(x+x+)+y on 5,000 characters, 1,000 times, with correct answers', () => {
    const anchored = compiled('(x+x+)+y', ANCHORED);
    const search = compiled('(x+x+)+y', SEARCH);
    for (let i = 0; i < RUNS; i++) {
      expect(anchored(HOSTILE_X)).toBe(false);
      expect(search(HOSTILE_X)).toBe(false);
    }
    expect(anchored(`${HOSTILE_X}y`)).toBe(true);
    expect(anchored('xy')).toBe(false); // needs at least two x's
    expect(search(`-${HOSTILE_X}Y-`)).toBe(true);
  });

  it('the same holds through the doors people use: a silence matcher and a classification rule', () => {
    const matcher = parseMatcher('alertname=~(a|a)*b');
    expect(matcher.ok).toBe(true);
    if (!matcher.ok) return;
    const rules = [{ name: 'hostile', match: { name: '(x+x+)+y' }, set: {} }] as ClassificationRule[];
    const { rules: usable, problems } = compileRules(rules);
    expect(problems).toEqual([]);
    expect(usable).toHaveLength(1);
    for (let i = 0; i < RUNS; i++) {
      expect(matchesAll([matcher.matcher], { alertname: HOSTILE_A })).toBe(false);
    }
    expect(matchesAll([matcher.matcher], { alertname: 'aaab' })).toBe(true);
  });
});

describe('compilePattern: what RE2 does not have is refused in plain words', () => {
  it.each([
    ['(a)\\1', /^backreferences \(\\1, \\k<…>\) are not supported \(RE2 syntax\)$/],
    ['(?<name>a)\\k<name>', /^backreferences .* not supported \(RE2 syntax\)$/],
    ['foo(?=bar)', /^lookahead and lookbehind .* not supported \(RE2 syntax\)$/],
    ['foo(?!bar)', /^lookahead and lookbehind .* not supported \(RE2 syntax\)$/],
    ['x(?<=a)b', /^lookahead and lookbehind .* not supported \(RE2 syntax\)$/],
    ['(?<![a-z])link', /^lookahead and lookbehind .* not supported \(RE2 syntax\)$/],
  ])('%s', (source, expected) => {
    const refused = problem(source);
    expect(refused.problem).toMatch(expected);
    expect(refused.unsupported).toBe(true);
    // The same answer whichever options the caller uses.
    expect(problem(source, SEARCH).problem).toBe(refused.problem);
  });

  it.each([
    ['(unclosed', 'missing closing ) (RE2 syntax)'],
    ['[z-a]', 'invalid character class range at `z-a` (RE2 syntax)'],
    ['a{1001}', 'invalid repeat count at `{1001}` (RE2 syntax)'],
    ['a**', 'invalid nested repetition operator at `**` (RE2 syntax)'],
    ['\\u0041', 'invalid escape sequence at `\\u` (RE2 syntax; write \\x{263A} for a code point)'],
  ])('a typo such as %s says what and where, in RE2 (Go) words', (source, expected) => {
    expect(problem(source)).toEqual({ ok: false, problem: expected, unsupported: false });
  });

  it('a pattern cannot break out of the anchoring group', () => {
    // Wrapped naively, `a)|(b` would become ^(?:a)|(b)$ and compile to something else entirely.
    expect(problem('a)|(b').problem).toMatch(/unexpected \)|missing/);
  });

  it('a literal quote left open (\\Q…) stays inside the anchoring group', () => {
    const quoted = compiled('\\Qa.b)', ANCHORED);
    expect([quoted('a.b)'), quoted('axb)'), quoted('a.b)c')]).toEqual([true, false, false]);
    expect(compiled('\\Qa.b\\E+', ANCHORED)('a.bbb')).toBe(true);
  });

  it('never throws, whatever it is given', () => {
    expect(compilePattern(42 as unknown as string, ANCHORED)).toMatchObject({ ok: false });
    expect(compilePattern('42', ANCHORED)).toMatchObject({ ok: true });
  });
});

describe('compilePattern: anchoring and case, as Alertmanager and the rule language define them', () => {
  it('anchored matches the whole value; alternation is anchored as a whole', () => {
    const dnode = compiled('dnode', ANCHORED);
    expect([dnode('dnode'), dnode('dnode-3'), dnode('a dnode')]).toEqual([true, false, false]);
    const either = compiled('NODE|DNODE_DOWN', ANCHORED);
    expect([either('DNODE_DOWN'), either('NODE'), either('DNODE')]).toEqual([true, true, false]);
  });

  it('unanchored finds the pattern anywhere, and ^…$ still anchor to the whole text', () => {
    const find = compiled('link down', SEARCH);
    expect(find('NIC: LINK DOWN on eth3')).toBe(true);
    const whole = compiled('^cnode$', SEARCH);
    expect([whole('cnode'), whole('CNODE'), whole('cnode-1'), whole('x\ncnode')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('case-sensitive unless asked, or unless the pattern starts with (?i)', () => {
    expect(compiled('dnode_down', ANCHORED)('DNODE_DOWN')).toBe(false);
    expect(compiled('(?i)dnode_down', ANCHORED)('DNODE_DOWN')).toBe(true);
    expect(compiled('dnode_down', { anchored: true, caseInsensitive: true })('DNODE_DOWN')).toBe(true);
    // Negated classes ignore case too, so "not after a letter" holds for capitals.
    const notAfterLetter = compiled('(?:^|[^a-z])link', SEARCH);
    expect([notAfterLetter('NIC_LINK'), notAfterLetter('UPLINK'), notAfterLetter('link')]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('one compiled pattern per source and options: a cached result is reused', () => {
    expect(compilePattern('sjc-.*', ANCHORED)).toBe(compilePattern('sjc-.*', ANCHORED));
    expect(compilePattern('sjc-.*', ANCHORED)).not.toBe(compilePattern('sjc-.*', SEARCH));
  });
});

describe('compileAnyPattern: a list where any pattern may match', () => {
  const any = (sources: string[], options = SEARCH) => {
    const result = compileAnyPattern(sources, options);
    if (!result.ok) throw new Error(result.problem);
    return result.test;
  };

  it('matches when any one does, each pattern keeping its own anchors and flags', () => {
    const test = any(['^cnode$', 'link down', '(?s)fan.failed']);
    expect([test('CNODE'), test('cnode-1'), test('eth3 link down'), test('fan\nfailed')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    const anchored = any(['a', 'b|c'], ANCHORED);
    expect([anchored('a'), anchored('c'), anchored('ab'), anchored('A')]).toEqual([true, true, false, false]);
  });

  it('stays linear for hostile members', () => {
    const test = any(['(a|a)*b', '(x+x+)+y']);
    for (let i = 0; i < RUNS; i++) expect(test(HOSTILE_A) || test(HOSTILE_X)).toBe(false);
  });

  it('gives the same answers when the members cannot share one regex (same group name twice)', () => {
    const test = any(['(?P<part>fan)-1', '(?P<part>psu)-2']);
    expect([test('fan-1'), test('psu-2'), test('fan-2')]).toEqual([true, true, false]);
  });

  it('a quote left open in one member cannot swallow the next', () => {
    const test = any(['\\Qa)|(b', 'zz'], ANCHORED);
    expect([test('a)|(b'), test('zz'), test('b')]).toEqual([true, true, false]);
  });

  it('reports the first bad member', () => {
    expect(compileAnyPattern(['ok', '(a)\\1', '('], SEARCH)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^backreferences/),
    });
  });
});

describe('compilePattern: remembered answers are the answers', () => {
  it('short values answered from memory agree with RE2 itself, past the memory bound too', () => {
    const remembering = compilePattern('cnode|dnode-[0-9]+', ANCHORED) as Extract<
      CompiledPattern,
      { ok: true }
    >;
    const re2 = RE2JS.compile('^(?:cnode|dnode-[0-9]+)$');
    const values = Array.from({ length: 700 }, (_, i) =>
      i % 3 === 0 ? 'cnode' : `dnode-${i}${i % 5 ? '' : 'x'}`,
    );
    for (const round of [1, 2]) {
      for (const value of values)
        expect(remembering.test(value), `${value} (round ${round})`).toBe(re2.test(value));
    }
    const long = `dnode-${'1'.repeat(100)}`;
    expect(remembering.test(long)).toBe(true);
    expect(remembering.test(`${long}x`)).toBe(false);
  });
});
