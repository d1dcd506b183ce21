import { describe, expect, it } from 'vitest';
import { parseMatchers } from '../../../../src/domain/alarms/matchers.js';
import {
  findSilence,
  isActive,
  matchesEverything,
  parseSilenceCommand,
  SILENCE_EXAMPLE,
  SILENCE_QUOTED_EXAMPLE,
  type Silence,
} from '../../../../src/domain/alarms/silences.js';
import { tokenize } from '../../../../src/slack/listeners/commands/router.js';

const T0 = Date.UTC(2025, 5, 14, 10, 0);
const HOUR = 3_600_000;

function silence(overrides: Partial<Silence> & { matchers?: Silence['matchers'] } = {}): Silence {
  const m = parseMatchers(['cluster=sjc-obj-01']);
  if (!m.ok) throw new Error(m.problem);
  return {
    id: 'S-1',
    tenantId: 'nimbus',
    matchers: m.matchers,
    startsAt: T0,
    endsAt: T0 + HOUR,
    createdBy: 'U0123ABCD',
    reason: 'planned work',
    ...overrides,
  };
}

/** What the `/opsbot silence …` listener passes: the tokens after the subcommand. */
function command(text: string, now = T0) {
  const [sub, ...args] = tokenize(text);
  expect(sub).toBe('silence');
  return parseSilenceCommand(args, now);
}

describe('isActive: half-open window [startsAt, endsAt)', () => {
  const s = silence();
  it.each([
    [T0 - 1, false],
    [T0, true],
    [T0 + 1, true],
    [T0 + HOUR - 1, true],
    [T0 + HOUR, false],
    [T0 + HOUR + 1, false],
  ])('at %d → %s', (now, expected) => {
    expect(isActive(s, now)).toBe(expected);
  });
});

describe('findSilence', () => {
  const labels = { tenant: 'nimbus', cluster: 'sjc-obj-01', alertname: 'DNODE_DOWN' };

  it('finds an active matching silence, and none outside its window', () => {
    const s = silence();
    expect(findSilence([s], labels, T0 - 1)).toBeUndefined();
    expect(findSilence([s], labels, T0)).toBe(s);
    expect(findSilence([s], labels, T0 + HOUR - 1)).toBe(s);
    expect(findSilence([s], labels, T0 + HOUR)).toBeUndefined();
  });

  it('ignores silences whose matchers do not match', () => {
    expect(findSilence([silence()], { ...labels, cluster: 'lon-obj-02' }, T0)).toBeUndefined();
  });

  it('keeps a tenant silence to its tenant; a null tenant covers all', () => {
    expect(findSilence([silence()], { ...labels, tenant: 'orbital' }, T0)).toBeUndefined();
    const global = silence({ tenantId: null });
    expect(findSilence([global], { ...labels, tenant: 'orbital' }, T0)).toBe(global);
  });

  it('returns the silence that ends last when several match', () => {
    const short = silence({ id: 'S-short' });
    const long = silence({ id: 'S-long', endsAt: T0 + 4 * HOUR });
    expect(findSilence([short, long], labels, T0)?.id).toBe('S-long');
    expect(findSilence([long, short], labels, T0)?.id).toBe('S-long');
  });

  it('never treats a stored silence without matchers as "silence everything"', () => {
    expect(findSilence([silence({ matchers: [] })], labels, T0)).toBeUndefined();
  });
});

describe('parseSilenceCommand', () => {
  it('reads matchers, duration and reason', () => {
    const result = command('silence cluster=sjc-obj-01 alertname=~"DNODE_.*" 2h planned D-node swap');
    expect(result).toEqual({
      ok: true,
      matchers: [
        { name: 'cluster', op: '=', value: 'sjc-obj-01' },
        { name: 'alertname', op: '=~', value: 'DNODE_.*' },
      ],
      durationMs: 2 * HOUR,
      reason: 'planned D-node swap',
      endsAt: T0 + 2 * HOUR,
    });
  });

  it('accepts a quoted value with spaces and a quoted reason', () => {
    const result = command('silence site="San Jose" category=network 30m "switch firmware"');
    expect(result).toMatchObject({
      ok: true,
      matchers: [
        { name: 'site', op: '=', value: 'San Jose' },
        { name: 'category', op: '=', value: 'network' },
      ],
      durationMs: 30 * 60_000,
      reason: 'switch firmware',
    });
  });

  it('makes the reason optional', () => {
    expect(command('silence cluster=sjc-obj-01 1d')).toMatchObject({
      ok: true,
      reason: '',
      durationMs: 86_400_000,
    });
  });

  it('accepts the duration bounds 1m and 30d, and refuses just outside them', () => {
    expect(command('silence cluster=x 1m')).toMatchObject({ ok: true, durationMs: 60_000 });
    expect(command('silence cluster=x 30d')).toMatchObject({ ok: true, durationMs: 30 * 86_400_000 });
    expect(command('silence cluster=x 59s')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/too short/),
    });
    expect(command('silence cluster=x 30d1s')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/too long/),
    });
    expect(command('silence cluster=x 0m')).toMatchObject({ ok: false });
  });

  it.each([
    ['silence', /what to silence/],
    ['silence 2h', /Start with at least one matcher/],
    ['silence cluster=x', /Add how long/],
    ['silence cluster=x soon', /`soon` is neither a matcher/],
    ['silence cluster: 2h', /`cluster:` is neither a matcher/],
    ['silence cluster=~( 2h', /regex does not compile/],
    ['silence cluster= 2h', /has no value/],
    ['silence x=~.* 2h', /would silence every alarm/],
    ['silence alertname=~.+ 2h', /would silence every alarm/],
    ['silence cluster!=lon-obj-02 2h', /would silence every alarm/],
    ['silence cluster="" 2h', /would silence every alarm/],
    ['silence site="San Jose 2h', /no closing quote/],
  ])('refuses `%s`', (text, expected) => {
    const result = command(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(expected);
  });

  it('refuses an overlong reason', () => {
    expect(command(`silence cluster=x 2h ${'why '.repeat(200)}`)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/under 500 characters/),
    });
  });

  it('accepts a broad matcher next to a specific one', () => {
    expect(command('silence x=~.* cluster=sjc-obj-01 2h')).toMatchObject({ ok: true });
  });

  it('accepts a regex that would backtrack forever elsewhere, and it still matches correctly (RE2)', () => {
    const result = command('silence alertname=~(a|a)*b 1h');
    expect(result).toMatchObject({ ok: true, matchers: [{ name: 'alertname', op: '=~', value: '(a|a)*b' }] });
    if (!result.ok) return;
    const s = silence({ matchers: result.matchers });
    expect(findSilence([s], { tenant: 'nimbus', alertname: `${'a'.repeat(5000)}!` }, T0)).toBeUndefined();
    expect(findSilence([s], { tenant: 'nimbus', alertname: 'aab' }, T0)).toBe(s);
  });

  it.each([
    ['silence alertname=~(DNODE)_\\1 2h', /backreferences .*not supported \(RE2 syntax\)/],
    ['silence alertname=~DNODE_(?!DOWN).* 2h', /lookahead and lookbehind .*not supported \(RE2 syntax\)/],
    ['silence alertname=~"(?<=x)DOWN" 2h', /lookahead and lookbehind .*not supported \(RE2 syntax\)/],
    ['silence alertname=~DNODE_\\u0041 2h', /invalid escape sequence .*RE2 syntax/],
  ])('refuses `%s` at input time, with a regex example', (text, expected) => {
    const result = command(text);
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(expected) });
    if (!result.ok) {
      expect(result.problem).toMatch(/^`alertname=~/);
      expect(result.example).toBe(SILENCE_QUOTED_EXAMPLE);
    }
  });

  it('every example it offers is itself a valid command', () => {
    const examples = new Set<string>([SILENCE_EXAMPLE, SILENCE_QUOTED_EXAMPLE]);
    for (const bad of ['', '2h', 'cluster=x', 'cluster=~( 2h', 'x=~.* 2h', 'site="a 2h', 'cluster=x 45d']) {
      const result = parseSilenceCommand(tokenize(bad), T0);
      expect(result.ok).toBe(false);
      if (!result.ok) examples.add(result.example);
    }
    for (const example of examples) expect(command(example)).toMatchObject({ ok: true });
  });
});

describe('matchesEverything', () => {
  const m = (...tokens: string[]) => {
    const r = parseMatchers(tokens);
    if (!r.ok) throw new Error(r.problem);
    return r.matchers;
  };
  it('is true only when no matcher restricts anything', () => {
    expect(matchesEverything(m('x=~.*'))).toBe(true);
    expect(matchesEverything(m('x=~.*', 'y!=z'))).toBe(true);
    expect(matchesEverything(m('cluster=~sjc-.*'))).toBe(false);
    expect(matchesEverything(m('alertname!~DNODE_DOWN', 'cluster=a'))).toBe(false);
  });
});
