import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alarmLabels,
  formatMatchers,
  type Matcher,
  matchesAll,
  parseMatcher,
  parseMatchers,
} from '../../../../src/domain/alarms/matchers.js';
import type { NormalizedAlarm } from '../../../../src/domain/alarms/types.js';
import { tokenize } from '../../../../src/slack/listeners/commands/router.js';

function parsed(...tokens: string[]): Matcher[] {
  const result = parseMatchers(tokens);
  if (!result.ok) throw new Error(result.problem);
  return result.matchers;
}

function problem(...tokens: string[]): string {
  const result = parseMatchers(tokens);
  if (result.ok) throw new Error(`expected a problem for ${tokens.join(' ')}`);
  return result.problem;
}

describe('parseMatchers', () => {
  it('reads every operator', () => {
    expect(parsed('a=1', 'b!=2', 'c=~x|y', 'd!~z.*')).toEqual([
      { name: 'a', op: '=', value: '1' },
      { name: 'b', op: '!=', value: '2' },
      { name: 'c', op: '=~', value: 'x|y' },
      { name: 'd', op: '!~', value: 'z.*' },
    ]);
  });

  it('reads quoted values, with spaces, escapes and an explicit empty value', () => {
    expect(parsed('site="San Jose"')).toEqual([{ name: 'site', op: '=', value: 'San Jose' }]);
    expect(parsed('x="say \\"hi\\" \\\\ now"')).toEqual([{ name: 'x', op: '=', value: 'say "hi" \\ now' }]);
    expect(parsed('x=""')).toEqual([{ name: 'x', op: '=', value: '' }]);
    // A backslash that escapes nothing is kept, so regexes need no doubling.
    expect(parsed('x=~"\\d+ GB"')).toEqual([{ name: 'x', op: '=~', value: '\\d+ GB' }]);
  });

  it('joins a quoted value the command tokenizer split on its space', () => {
    const tokens = tokenize('site="San Jose" cluster=sjc-obj-01');
    expect(tokens).toEqual(['site="San', 'Jose"', 'cluster=sjc-obj-01']);
    expect(parsed(...tokens)).toEqual([
      { name: 'site', op: '=', value: 'San Jose' },
      { name: 'cluster', op: '=', value: 'sjc-obj-01' },
    ]);
  });

  it('refuses an empty list, with a plain-words problem', () => {
    expect(problem()).toMatch(/No matchers given/);
    expect(problem('  ')).toMatch(/No matchers given/);
  });

  it.each([
    ['cluster', /`cluster` is not a matcher/],
    ['cluster:sjc', /`cluster:sjc` is not a matcher/],
    ['=sjc', /`=sjc` does not start with a label name/],
    ['cluster=', /`cluster=` has no value.*cluster=""/],
    ['cluster=~', /has no value/],
    ['site="San Jose', /opening quote but no closing quote/],
    ['site="San"Jose', /text after the closing quote/],
    ['a=b,c=d', /each matcher as its own word/],
  ])('refuses %s', (token, expected) => {
    expect(problem(token)).toMatch(expected);
  });

  it('turns a bad regex into a problem naming the token, never an exception', () => {
    expect(() => parseMatchers(['alertname=~(unclosed'])).not.toThrow();
    expect(problem('alertname=~(unclosed')).toMatch(/`alertname=~\(unclosed`: the regex does not compile/);
    expect(problem('x!~[z-a]')).toMatch(/does not compile/);
  });

  it('refuses regexes that are too long or use what RE2 lacks', () => {
    expect(problem(`x=~${'a'.repeat(201)}`)).toMatch(/keep it under 200/);
    expect(parsed(`x=~${'a'.repeat(200)}`)).toHaveLength(1);
    expect(problem('x=~(a)\\1')).toMatch(/backreferences .*not supported \(RE2 syntax\)/);
    expect(problem('x=~foo(?=bar)')).toMatch(/lookahead .*not supported \(RE2 syntax\)/);
    // Nested repetition used to be refused as a backtracking trap; RE2 runs it in linear time, and
    // Alertmanager accepts it, so it is accepted here too.
    expect(parsed('x=~(a+)+$', 'y=~(.*a)*', 'z=~"(\\w+\\s?){2,}"')).toHaveLength(3);
    expect(parsed('x=~(ab)+', 'y=~(a+)?b', 'z=~[(+]+x*')).toHaveLength(3);
  });

  it('reports the first bad token of several', () => {
    expect(problem('a=1', 'b', 'c=~(')).toMatch(/`b`/);
  });

  it('parseMatcher reads one word', () => {
    expect(parseMatcher('alertname=~NETWORK_PARTITION|CLUSTER_UNREACHABLE')).toEqual({
      ok: true,
      matcher: { name: 'alertname', op: '=~', value: 'NETWORK_PARTITION|CLUSTER_UNREACHABLE' },
    });
  });
});

describe('matchesAll (Alertmanager semantics)', () => {
  const labels = { alertname: 'DNODE_DOWN', cluster: 'sjc-obj-01', component: 'dnode' };

  it('treats a missing label as the empty string', () => {
    expect(matchesAll(parsed('rack=""'), labels)).toBe(true);
    expect(matchesAll(parsed('rack!=r1'), labels)).toBe(true);
    expect(matchesAll(parsed('rack=~.*'), labels)).toBe(true);
    expect(matchesAll(parsed('rack=~.+'), labels)).toBe(false);
    expect(matchesAll(parsed('rack!~.+'), labels)).toBe(true);
    expect(matchesAll(parsed('cluster=""'), labels)).toBe(false);
  });

  it('does not read inherited object keys as labels', () => {
    expect(matchesAll(parsed('constructor=""'), labels)).toBe(true);
    expect(matchesAll(parsed('toString=~.+'), labels)).toBe(false);
  });

  it('anchors regexes at both ends', () => {
    expect(matchesAll(parsed('component=~dnode'), labels)).toBe(true);
    expect(matchesAll(parsed('component=~dnod'), labels)).toBe(false);
    expect(matchesAll(parsed('component=~node'), labels)).toBe(false);
    expect(matchesAll(parsed('cluster=~sjc'), labels)).toBe(false);
    expect(matchesAll(parsed('cluster=~sjc-.*'), labels)).toBe(true);
    // Alternation is anchored as a whole: ^(?:a|b)$, not ^a|b$.
    expect(matchesAll(parsed('alertname=~NODE|DNODE_DOWN'), labels)).toBe(true);
    expect(matchesAll(parsed('alertname=~DNODE|NODE_DOWN'), labels)).toBe(false);
    expect(matchesAll(parsed('component!~dnode|cnode'), labels)).toBe(false);
  });

  it('is case-sensitive unless the regex starts with (?i)', () => {
    expect(matchesAll(parsed('alertname=dnode_down'), labels)).toBe(false);
    expect(matchesAll(parsed('alertname=~dnode_down'), labels)).toBe(false);
    expect(matchesAll(parsed('alertname=~(?i)dnode_down'), labels)).toBe(true);
  });

  it('is an AND, and an empty list matches everything', () => {
    expect(matchesAll(parsed('cluster=sjc-obj-01', 'component=dnode'), labels)).toBe(true);
    expect(matchesAll(parsed('cluster=sjc-obj-01', 'component=cnode'), labels)).toBe(false);
    expect(matchesAll([], labels)).toBe(true);
  });

  it('a hand-built matcher with a broken regex matches nothing, either way round', () => {
    expect(matchesAll([{ name: 'x', op: '=~', value: '(' }], labels)).toBe(false);
    expect(matchesAll([{ name: 'x', op: '!~', value: '(' }], labels)).toBe(false);
  });
});

describe('formatMatchers', () => {
  it('writes words that can be pasted back into a command', () => {
    const matchers = parsed('cluster=sjc-obj-01', 'site="San Jose"', 'alertname=~A|B', 'rack!=""');
    const text = formatMatchers(matchers);
    expect(text).toBe('cluster=sjc-obj-01 site="San Jose" alertname=~A|B rack!=""');
    expect(parsed(...tokenize(text))).toEqual(matchers);
    // `a=~x` would read back as a regex matcher.
    expect(formatMatchers([{ name: 'a', op: '=', value: '~x' }])).toBe('a="~x"');
  });

  it('round-trips any equality matcher through the real tokenizer', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/);
    // The tokenizer collapses runs of whitespace, so only single plain spaces survive a round trip.
    const value = fc
      .string({ maxLength: 20 })
      .map((v) => v.trim())
      .filter((v) => !/\s/.test(v.replace(/ /g, '')) && !/ {2}/.test(v));
    fc.assert(
      fc.property(name, fc.constantFrom('=' as const, '!=' as const), value, (n, op, v) => {
        const m: Matcher = { name: n, op, value: v };
        const back = parseMatchers(tokenize(formatMatchers([m])));
        expect(back).toEqual({ ok: true, matchers: [m] });
      }),
      { numRuns: 500 },
    );
  });
});

describe('alarmLabels', () => {
  const alarm: NormalizedAlarm = {
    format: 'alertmanager-webhook',
    name: 'NodeDown',
    status: 'firing',
    cluster: 'sjc-obj-01',
    site: 'San Jose',
    componentKind: 'dnode',
    componentId: 'dnode-3',
    summary: 'D-node dnode-3 down',
    labels: { severity: 'critical', rack: 'r12', cluster: 'from-source' },
    fingerprint: 'abc',
    startsAt: 0,
    tenantId: 'nimbus',
    source: 'alertmanager',
    category: 'storage-node',
    severity: 1,
    matchedRules: [],
  };

  it('adds the normalized fields to the source labels, normalized ones winning', () => {
    expect(alarmLabels(alarm)).toEqual({
      rack: 'r12',
      tenant: 'nimbus',
      cluster: 'sjc-obj-01',
      site: 'San Jose',
      category: 'storage-node',
      severity: 'sev1',
      component: 'dnode',
      component_id: 'dnode-3',
      alertname: 'NodeDown',
      source: 'alertmanager',
      format: 'alertmanager-webhook',
    });
  });

  it('leaves site out when unknown (missing reads as "")', () => {
    const labels = alarmLabels({ ...alarm, site: undefined });
    expect('site' in labels).toBe(false);
    expect(matchesAll(parsed('site=""'), labels)).toBe(true);
  });
});
