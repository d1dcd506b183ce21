// Precedence, swaps and the escalation chain, on the worked example (Monday 2026-03-09 is
// week 9 of every weekly rotation that started on Monday 2026-01-05, so the second person).
import { describe, expect, it } from 'vitest';
import {
  escalationChain,
  nextHandoffs,
  type Override,
  onCallAt,
  shifts,
} from '../../../../src/domain/oncall/index.js';
import { at, exampleSchedule, HOUR } from './fixtures.js';

const schedule = exampleSchedule();
const mondayUsNoon = at('2026-03-09T12:00-07:00'); // US shift, Nimbus on-site window
const saturday = at('2026-03-07T12:00-08:00');
const primary = (t: number, overrides: Override[] = [], tenantId?: string) =>
  onCallAt(schedule, overrides, 'vaas', 'primary', t, { tenantId });

describe('precedence: overrides, then layers by priority, then nobody', () => {
  it('answers from the regional rotation on a weekday', () => {
    expect(primary(mondayUsNoon)).toMatchObject({
      userId: 'U04USENG01',
      source: 'layer',
      layer: 'regional:US',
      layerKind: 'regional',
      region: 'US',
      shiftStart: at('2026-03-09T08:00-07:00'),
      shiftEnd: at('2026-03-10T08:00+08:00'),
    });
  });

  it('lets the weekend layer (20) win over the regions (10)', () => {
    expect(primary(saturday)).toMatchObject({ userId: 'U04SRENGR2', layer: 'weekend', region: 'US' });
  });

  it('lets a tenant layer (30) win, but only for that tenant’s questions', () => {
    expect(primary(mondayUsNoon, [], 'nimbus')).toMatchObject({
      userId: 'U04CSLEAD1',
      layer: 'tenant:nimbus-onsite',
    });
    expect(primary(mondayUsNoon, [], 'helix-ai')).toMatchObject({ layer: 'regional:US' });
    expect(primary(at('2026-03-09T08:30-07:00'), [], 'nimbus')).toMatchObject({ layer: 'regional:US' }); // before 09:00
  });

  it('lets an override win over every layer, and later overrides over earlier ones', () => {
    const overrides: Override[] = [
      {
        id: 'a',
        team: 'vaas',
        level: 'primary',
        userId: 'U0STANDIN1',
        from: saturday - HOUR,
        to: saturday + HOUR,
      },
      { id: 'b', team: 'vaas', level: 'primary', userId: 'U0STANDIN2', from: saturday, to: saturday + HOUR },
    ];
    expect(primary(saturday - 1, overrides)).toMatchObject({
      userId: 'U0STANDIN1',
      overrideId: 'a',
      layer: 'weekend',
    });
    expect(primary(saturday, overrides)).toMatchObject({
      userId: 'U0STANDIN2',
      source: 'override',
      overrideId: 'b',
      replaced: 'U0STANDIN1',
      shiftStart: saturday,
      shiftEnd: saturday + HOUR,
    });
    expect(primary(saturday + HOUR, overrides)).toMatchObject({ userId: 'U04SRENGR2', source: 'layer' });
  });

  it('expresses a swap as two overrides, each replacing the other only during their own shift', () => {
    // EMEA Monday (U04EMEAEN1) and EMEA Tuesday (same person this week) swapped with US (U04USENG01).
    const emea = primary(at('2026-03-09T10:00Z'))!;
    const us = primary(mondayUsNoon)!;
    const swap: Override[] = [
      {
        id: 's1',
        team: 'vaas',
        level: 'primary',
        userId: us.userId,
        replaces: emea.userId,
        from: emea.shiftStart,
        to: emea.shiftEnd,
      },
      {
        id: 's2',
        team: 'vaas',
        level: 'primary',
        userId: emea.userId,
        replaces: us.userId,
        from: us.shiftStart,
        to: us.shiftEnd,
      },
    ];
    const list = shifts(schedule, swap, 'vaas', emea.shiftStart, us.shiftEnd).primary;
    expect(list.map((s) => [s.userId, s.source, s.start, s.end])).toEqual([
      [us.userId, 'override', emea.shiftStart, emea.shiftEnd],
      [emea.userId, 'override', us.shiftStart, us.shiftEnd],
    ]);
  });

  it('an override replacing someone who is not on changes nothing', () => {
    const override: Override = {
      id: 'x',
      team: 'vaas',
      level: 'primary',
      userId: 'U0STANDIN1',
      replaces: 'U04APJENG1',
      from: mondayUsNoon - HOUR,
      to: mondayUsNoon + HOUR,
    };
    expect(primary(mondayUsNoon, [override])).toEqual(primary(mondayUsNoon));
  });
});

describe('escalationChain', () => {
  it('is primary, secondary, then the on-duty region’s manager', () => {
    expect(escalationChain(schedule, [], 'vaas', at('2026-03-09T10:00Z'))).toEqual([
      'U04EMEAEN1',
      'U04SRENGR3',
      'U04EMEAMGR',
    ]);
  });

  it('drops repeats and keeps the order (weekend: the US manager is also the weekend secondary)', () => {
    expect(escalationChain(schedule, [], 'vaas', saturday)).toEqual(['U04SRENGR2', 'U04CSLEAD1']);
  });

  it('follows overrides and the tenant layer', () => {
    const override: Override = {
      id: 'o',
      team: 'vaas',
      level: 'secondary',
      userId: 'U0STANDIN1',
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    };
    expect(escalationChain(schedule, [override], 'vaas', mondayUsNoon, { tenantId: 'nimbus' })).toEqual([
      'U04CSLEAD1',
      'U0STANDIN1',
    ]);
  });
});

describe('nextHandoffs', () => {
  it('lists each boundary once per team, with who hands to whom at each level', () => {
    const from = at('2026-03-09T00:00Z');
    const handoffs = nextHandoffs(schedule, [], from - 1, from + 24 * HOUR);
    expect(
      handoffs.map((h) => [
        new Date(h.at).toISOString(),
        h.changes.map((c) => `${c.level}:${c.from}→${c.to}`),
      ]),
    ).toEqual([
      ['2026-03-09T00:00:00.000Z', ['primary:U04SRENGR2→U04APJENG2', 'secondary:U04CSLEAD1→U04APJENG1']],
      ['2026-03-09T08:00:00.000Z', ['primary:U04APJENG2→U04EMEAEN1', 'secondary:U04APJENG1→U04SRENGR3']],
      ['2026-03-09T15:00:00.000Z', ['primary:U04EMEAEN1→U04USENG01', 'secondary:U04SRENGR3→U04SRENGR2']],
      ['2026-03-10T00:00:00.000Z', ['primary:U04USENG01→U04APJENG2', 'secondary:U04SRENGR2→U04APJENG1']],
    ]);
  });

  it('includes the edges of overrides, where the person on call changes too', () => {
    const override: Override = {
      id: 'o',
      team: 'vaas',
      level: 'primary',
      userId: 'U0STANDIN1',
      from: saturday,
      to: saturday + HOUR,
    };
    expect(nextHandoffs(schedule, [override], saturday - HOUR, saturday + 2 * HOUR).map((h) => h.at)).toEqual(
      [saturday, saturday + HOUR],
    );
  });
});

describe('bad questions', () => {
  it('names the known teams for an unknown one', () => {
    expect(
      () => primary(saturday, [], undefined) && onCallAt(schedule, [], 'vas', 'primary', saturday),
    ).toThrow('unknown on-call team "vas"; known: vaas');
  });

  it('rejects a reversed range', () => {
    expect(() => shifts(schedule, [], 'vaas', saturday, saturday - 1)).toThrow(RangeError);
  });
});
