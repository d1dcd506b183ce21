// Boundaries 1 ms before, at and after each handoff across both DST changes in the four
// zones the team lives in, with a shift that crosses local midnight (22:00–06:00). Shifts
// follow the wall clock, so the night shift is 7 h or 9 h on a change night — never a gap
// or an overlap.
import { describe, expect, it } from 'vitest';
import { nextHandoffs, type OncallSchedule, onCallAt, shifts } from '../../../../src/domain/oncall/index.js';
import { at, dayNightSchedule, exampleSchedule, HOUR, local, roster } from './fixtures.js';

const DAY = 'U0DAYENG01';
const NIGHT = 'U0NGTENG01';

// zone, [night starts, night ends = day starts, day ends], night length in hours
const cases: [string, string, [string, string, string], number][] = [
  [
    'America/Los_Angeles',
    'spring forward',
    ['2026-03-07T22:00-08:00', '2026-03-08T06:00-07:00', '2026-03-08T22:00-07:00'],
    7,
  ],
  [
    'America/Los_Angeles',
    'fall back',
    ['2026-10-31T22:00-07:00', '2026-11-01T06:00-08:00', '2026-11-01T22:00-08:00'],
    9,
  ],
  [
    'Europe/London',
    'spring forward',
    ['2026-03-28T22:00Z', '2026-03-29T06:00+01:00', '2026-03-29T22:00+01:00'],
    7,
  ],
  ['Europe/London', 'fall back', ['2026-10-24T22:00+01:00', '2026-10-25T06:00Z', '2026-10-25T22:00Z'], 9],
  [
    'Australia/Sydney',
    'DST ends',
    ['2026-04-04T22:00+11:00', '2026-04-05T06:00+10:00', '2026-04-05T22:00+10:00'],
    9,
  ],
  [
    'Australia/Sydney',
    'DST starts',
    ['2026-10-03T22:00+10:00', '2026-10-04T06:00+11:00', '2026-10-04T22:00+11:00'],
    7,
  ],
  [
    'Asia/Singapore',
    'no DST (LA spring date)',
    ['2026-03-07T22:00+08:00', '2026-03-08T06:00+08:00', '2026-03-08T22:00+08:00'],
    8,
  ],
  [
    'Asia/Singapore',
    'no DST (LA fall date)',
    ['2026-10-31T22:00+08:00', '2026-11-01T06:00+08:00', '2026-11-01T22:00+08:00'],
    8,
  ],
];

describe.each(cases)('%s, %s', (zone, _change, isoBoundaries, nightHours) => {
  const schedule = dayNightSchedule(zone);
  const [nightStart, dayStart, dayEnd] = isoBoundaries.map(at) as [number, number, number];
  const who = (t: number) => onCallAt(schedule, [], 'ops', 'primary', t)?.userId;

  it.each([
    ['night starts (22:00)', nightStart, DAY, NIGHT],
    ['night ends, crossing midnight (06:00)', dayStart, NIGHT, DAY],
    ['day ends (22:00)', dayEnd, DAY, NIGHT],
  ])('%s: 1 ms before, at and 1 ms after', (_name, boundary, before, after) => {
    expect(who(boundary - 1)).toBe(before);
    expect(who(boundary)).toBe(after);
    expect(who(boundary + 1)).toBe(after);
    expect(onCallAt(schedule, [], 'ops', 'primary', boundary)?.shiftStart).toBe(boundary);
    expect(onCallAt(schedule, [], 'ops', 'primary', boundary - 1)?.shiftEnd).toBe(boundary);
  });

  it(`the night shift lasts ${nightHours} h on the wall clock's terms, and the next day is 16 h`, () => {
    const list = shifts(schedule, [], 'ops', nightStart, dayEnd).primary;
    expect(list.map((s) => [s.userId, s.start, s.end])).toEqual([
      [NIGHT, nightStart, dayStart],
      [DAY, dayStart, dayEnd],
    ]);
    expect((dayStart - nightStart) / HOUR).toBe(nightHours);
    expect((dayEnd - dayStart) / HOUR).toBe(16);
  });

  it('nextHandoffs lists exactly these boundaries, strictly after `after` and up to `until` included', () => {
    const handoffs = nextHandoffs(schedule, [], nightStart, dayEnd);
    expect(handoffs.map((h) => [h.at, h.changes[0]?.from, h.changes[0]?.to])).toEqual([
      [dayStart, NIGHT, DAY],
      [dayEnd, DAY, NIGHT],
    ]);
    expect(nextHandoffs(schedule, [], nightStart - 1, dayStart - 1).map((h) => h.at)).toEqual([nightStart]);
  });
});

describe('one rule for local times that do not exist or happen twice', () => {
  // A rotation handing off at a wall time DST skips or repeats.
  const schedule = (zone: string, handoffTime: string): OncallSchedule => ({
    regions: [{ name: 'all', zone, shift: { start: '00:00', end: '00:00' } }],
    teams: [
      {
        id: 'ops',
        regions: {
          all: {
            manager: 'U0MANAGER1',
            priority: 10,
            primary: roster(['U0FIRST001', 'U0SECOND01'], handoffTime),
          },
        },
        tenantLayers: [],
      },
    ],
  });
  const handoffOn = (s: OncallSchedule, from: string, to: string) =>
    nextHandoffs(s, [], at(from), at(to)).map((h) => local(h.at, s.regions[0]!.zone));

  it('a skipped time moves forward by the length of the gap: 02:30 on the spring-forward night is 03:30', () => {
    expect(
      handoffOn(schedule('America/Los_Angeles', '02:30'), '2026-03-08T00:00Z', '2026-03-09T00:00Z'),
    ).toEqual(['2026-03-08 03:30 -07:00']);
    expect(
      handoffOn(schedule('Australia/Sydney', '02:30'), '2026-10-03T12:00Z', '2026-10-04T12:00Z'),
    ).toEqual(['2026-10-04 03:30 +11:00']);
  });

  it('a repeated time means its first occurrence (the earlier instant, summer offset)', () => {
    expect(
      handoffOn(schedule('America/Los_Angeles', '01:30'), '2026-11-01T00:00Z', '2026-11-02T00:00Z'),
    ).toEqual(['2026-11-01 01:30 -07:00']);
    expect(handoffOn(schedule('Europe/London', '01:30'), '2026-10-24T12:00Z', '2026-10-25T12:00Z')).toEqual([
      '2026-10-25 01:30 +01:00',
    ]);
    expect(
      handoffOn(schedule('Australia/Sydney', '02:30'), '2026-04-04T12:00Z', '2026-04-05T12:00Z'),
    ).toEqual(['2026-04-05 02:30 +11:00']);
  });

  it('a daily rotation over a 24-hour window (start = end) gives 23 h and 25 h shifts on change days, no gap', () => {
    const s = schedule('Europe/London', '09:00');
    const spring = shifts(s, [], 'ops', at('2026-03-28T12:00Z'), at('2026-03-28T13:00Z')).primary;
    expect(spring.map((x) => [x.source, local(x.start, 'Europe/London'), (x.end - x.start) / HOUR])).toEqual([
      ['layer', '2026-03-28 09:00 +00:00', 23],
    ]);
    const fall = shifts(s, [], 'ops', at('2026-10-24T12:00Z'), at('2026-10-24T13:00Z')).primary;
    expect(fall.map((x) => [x.source, local(x.start, 'Europe/London'), (x.end - x.start) / HOUR])).toEqual([
      ['layer', '2026-10-24 09:00 +01:00', 25],
    ]);
  });
});

describe('the weekend layer: Friday 17:00 Los Angeles → Monday 08:00 Singapore (example config)', () => {
  const schedule = exampleSchedule();
  const primary = (t: number) => onCallAt(schedule, [], 'vaas', 'primary', t);

  it.each([
    ['winter (PST)', '2026-03-06T17:00-08:00', '2026-03-09T08:00+08:00', 47],
    [
      'the week LA is on summer time and London is not',
      '2026-03-20T17:00-07:00',
      '2026-03-23T08:00+08:00',
      48,
    ],
    ['summer (PDT, BST)', '2026-07-10T17:00-07:00', '2026-07-13T08:00+08:00', 48],
    ['the weekend Europe falls back', '2026-10-23T17:00-07:00', '2026-10-26T08:00+08:00', 48],
    [
      'the weekend LA falls back (on Sunday, inside the span)',
      '2026-10-30T17:00-07:00',
      '2026-11-02T08:00+08:00',
      48,
    ],
  ])('%s: starts and ends at the wall times, 1 ms before, at and after', (_name, fromIso, toIso, hours) => {
    const [from, to] = [at(fromIso), at(toIso)];
    expect(primary(from - 1)).toMatchObject({ layer: 'regional:US', region: 'US' });
    expect(primary(from)).toMatchObject({ layer: 'weekend', shiftStart: from, shiftEnd: to });
    expect(primary(from + 1)).toMatchObject({ layer: 'weekend' });
    expect(primary(to - 1)).toMatchObject({ layer: 'weekend' });
    expect(primary(to)).toMatchObject({ layer: 'regional:APJ', region: 'APJ', shiftStart: to });
    expect(primary(to + 1)).toMatchObject({ layer: 'regional:APJ' });
    expect((to - from) / HOUR).toBe(hours);
  });

  it('marks the Friday boundary as the weekend handoff, with a stable occurrence key', () => {
    const from = at('2026-03-06T17:00-08:00');
    const [friday] = nextHandoffs(schedule, [], from - 1, from);
    expect(friday).toEqual({
      at: from,
      team: 'vaas',
      weekend: true,
      key: 'oncall-handoff:vaas:2026-03-07T01:00:00.000Z',
      changes: [
        {
          level: 'secondary',
          from: 'U04USENG01',
          to: 'U04CSLEAD1',
          fromLayer: 'regional:US',
          toLayer: 'weekend',
          fromRegion: 'US',
          toRegion: 'US',
        },
      ],
    });
    const monday = nextHandoffs(schedule, [], at('2026-03-09T08:00+08:00') - 1, at('2026-03-09T08:00+08:00'));
    expect(monday.map((h) => h.weekend)).toEqual([false]);
  });
});
