// Gaps are accepted with warnings that name them; contradictions are rejected at load with
// file:line and the exact places; bad zones, times and cron are one readable line each.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../../src/config/load.js';
import { coverageGaps, type OncallSchedule } from '../../../../src/domain/oncall/index.js';
import { at } from './fixtures.js';

const tenant = [
  'staff:',
  '  userIds: [U0STAFF001]',
  'tenants:',
  '  - id: nimbus',
  '    name: Nimbus GPU Cloud',
  '    region: US',
  '    timezone: America/Los_Angeles',
  '    channels:',
  '      alarms: [C0NIMBALRM]',
  '      customer: C0NIMBCUST',
  '      ops: C0NIMBOPS1',
  '    clusters:',
  '      - id: sjc-obj-01',
  '        site: San Jose',
  '    contacts:',
  '      primary: U0STAFF001',
];
// Three fixed 08:00–16:00 windows: they tile the day in winter only. After block(), oncall:
// is line 17 and the rosters' primary lines are 28 (APJ), 32 (EMEA) and 36 (US).
const fixedWindows = (priorities: [number, number, number] = [10, 10, 10]) => [
  'oncall:',
  '  regions:',
  '    - { name: APJ, zone: Asia/Singapore, shift: { start: "08:00", end: "16:00" } }',
  '    - { name: EMEA, zone: Europe/London, shift: { start: "08:00", end: "16:00" } }',
  '    - { name: US, zone: America/Los_Angeles, shift: { start: "08:00", end: "16:00" } }',
  '  teams:',
  '    - id: vaas',
  '      regions:',
  '        APJ:',
  `          { manager: U0APJMGR01, priority: ${priorities[0]} }`,
  '          primary: { users: [U0APJENG01], handoffTime: "08:00", startDate: "2026-01-05" }',
  '        EMEA:',
  `          { manager: U0EMEAMGR1, priority: ${priorities[1]} }`,
  '          primary: { users: [U0EMEAENG1], handoffTime: "08:00", startDate: "2026-01-05" }',
  '        US:',
  `          { manager: U0USMGR001, priority: ${priorities[2]} }`,
  '          primary: { users: [U0USENG001], handoffTime: "08:00", startDate: "2026-01-05" }',
];
// YAML flow maps cannot be mixed with block keys, so spell the rosters out in block style.
const block = (lines: string[]) =>
  lines
    .join('\n')
    .replace(
      /\{ manager: (\w+), priority: (\d+) \}\n {10}primary:/g,
      'manager: $1\n          priority: $2\n          primary:',
    );

function parse(lines: string[]) {
  return parseConfigText([...tenant, ...lines].join('\n'), 'bad.yaml');
}

describe('conflicts: two primaries at once from layers of equal priority', () => {
  it('rejects the config, one line per pair of layers, at the later layer with the first overlap', () => {
    const result = parseConfigText(`${tenant.join('\n')}\n${block(fixedWindows())}`, 'bad.yaml');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'bad.yaml:32: oncall.teams[0].regions.EMEA.primary: on call at the same time as teams[0].regions.APJ.primary with the same priority (10), so two people would be primary at once: 2026-03-29 07:00–08:00 UTC (2026-03-29 15:00–16:00 Asia/Singapore; 2026-03-29 08:00–09:00 Europe/London) and 209 more times in the year checked; give one layer a higher priority or make the windows meet',
      'bad.yaml:36: oncall.teams[0].regions.US.primary: on call at the same time as teams[0].regions.EMEA.primary with the same priority (10), so two people would be primary at once: 2026-03-08 15:00–16:00 UTC (2026-03-08 15:00–16:00 Europe/London; 2026-03-08 08:00–09:00 America/Los_Angeles) and 27 more times in the year checked; give one layer a higher priority or make the windows meet',
    ]);
  });

  it('accepts the same windows once priorities say who wins the overlap', () => {
    const result = parseConfigText(`${tenant.join('\n')}\n${block(fixedWindows([10, 11, 12]))}`, 'ok.yaml');
    expect(result.ok ? 'ok' : result.problems).toBe('ok');
  });
});

describe('coverageGaps: accepted, with warnings naming team, level and the stretch in UTC and local time', () => {
  const result = parseConfigText(`${tenant.join('\n')}\n${block(fixedWindows([10, 11, 12]))}`, 'ok.yaml');
  const schedule = (result.ok ? result.config.oncall : undefined) as OncallSchedule;

  it('finds none in winter, when the three windows tile the day', () => {
    expect(coverageGaps(schedule, at('2026-01-12T00:00Z'), at('2026-01-19T00:00Z'))).toEqual([]);
  });

  it('names the summer hour nobody covers, in the zone of the region whose shift just ended', () => {
    const gaps = coverageGaps(schedule, at('2026-07-01T00:00Z'), at('2026-07-03T00:00Z'));
    expect(gaps.map((g) => g.message)).toEqual([
      'team vaas: no primary on call 2026-07-01 23:00 – 2026-07-02 00:00 UTC = 2026-07-01 16:00–17:00 America/Los_Angeles (US)',
      'team vaas: no primary on call 2026-07-02 23:00 – 2026-07-03 00:00 UTC = 2026-07-02 16:00–17:00 America/Los_Angeles (US)',
    ]);
    expect(gaps[0]).toMatchObject({
      team: 'vaas',
      level: 'primary',
      from: at('2026-07-01T23:00Z'),
      to: at('2026-07-02T00:00Z'),
      region: 'US',
      zone: 'America/Los_Angeles',
    });
  });

  it('names a rotation that has not started yet, in the zone of the region on duty', () => {
    const early = structuredClone(schedule);
    early.teams[0]!.regions.APJ!.primary!.startDate = '2026-07-02';
    expect(
      coverageGaps(early, at('2026-07-01T00:00Z'), at('2026-07-01T12:00Z')).map((g) => g.message),
    ).toEqual([
      'team vaas: no primary on call 2026-07-01 00:00–07:00 UTC = 2026-07-01 08:00–15:00 Asia/Singapore (APJ)',
    ]);
  });
});

describe('bad times, zones, cron and references: one readable line each, with file:line', () => {
  it('reports every field problem at once', () => {
    const text = [
      ...fixedWindows([10, 11, 12]),
      '      weekend:',
      '        zone: America/Los_Angeles',
      '        from: { cron: "0 17 * * fry" }',
      '        to: { time: "08:00", days: [monday] }',
      '        primary: { users: [U0USENG001], handoffTime: "17:00", startDate: "2026-01-02" }',
      '      tenantLayers:',
      '        - { tenant: nimbus, zone: America/Los_Angeles, window: { start: "09:00" }, primary: { users: [U0USENG001], handoffTime: "09:00", startDate: "2026-01-05" } }',
      '        - { tenant: nimbus, name: second, zone: America/Los_Angeles, window: { from: { cron: "0 9 * * 1-5", time: "09:00" }, to: { time: "17:00" } }, primary: { users: [U0USENG001], rotation: fortnightly, handoffTime: "25:00", startDate: "2026-02-30" } }',
    ];
    const lines = block(text)
      .replace('Asia/Singapore', 'Asia/Singapur')
      .replace(
        '{ name: EMEA, zone: Europe/London, shift: { start: "08:00"',
        '{ name: EMEA, zone: Europe/London, shift: { start: "8am"',
      )
      .split('\n');
    const result = parse(lines);
    expect(result.ok ? [] : result.problems).toEqual([
      'bad.yaml:19: oncall.regions[0].zone: expected an IANA time zone like Europe/London or America/Los_Angeles, found "Asia/Singapur"',
      'bad.yaml:20: oncall.regions[1].shift.start: expected a 24-hour time like 08:00 or 17:30, found "8am"',
      'bad.yaml:39: oncall.teams[0].weekend.from.cron: expected a cron expression like "0 17 * * fri" (minute hour day-of-month month day-of-week): fry is a invalid expression for week day, found "0 17 * * fry"',
      'bad.yaml:40: oncall.teams[0].weekend.to.days[0]: expected one of "sun", "mon", "tue", "wed", "thu", "fri", "sat", found "monday"',
      'bad.yaml:43: oncall.teams[0].tenantLayers[0].window: expected start and end (e.g. { start: "09:00", end: "17:00", days: [mon, tue, wed, thu, fri] }) or from and to',
      'bad.yaml:44: oncall.teams[0].tenantLayers[1].window.from: expected either cron (e.g. cron: "0 17 * * fri") or time (e.g. time: "17:00", days: [fri])',
      'bad.yaml:44: oncall.teams[0].tenantLayers[1].primary.rotation: expected one of "daily", "weekly", found "fortnightly"',
      'bad.yaml:44: oncall.teams[0].tenantLayers[1].primary.handoffTime: expected a 24-hour time like 08:00 or 17:30, found "25:00"',
      'bad.yaml:44: oncall.teams[0].tenantLayers[1].primary.startDate: expected a date like 2026-01-05, found "2026-02-30"',
    ]);
  });

  it('rejects unknown regions and tenants, naming the known ones', () => {
    const lines = block([
      ...fixedWindows([10, 11, 12]),
      '        APAC:',
      '          manager: U0APJMGR01',
    ]).split('\n');
    lines.push('      tenantLayers:');
    lines.push(
      '        - { tenant: nimbuz, zone: America/Los_Angeles, window: { start: "09:00", end: "17:00" } }',
    );
    const result = parse(lines);
    expect(result.ok ? [] : result.problems).toEqual([
      'bad.yaml:37: oncall.teams[0].regions.APAC: unknown region "APAC"; oncall.regions has APJ, EMEA, US',
      'bad.yaml:40: oncall.teams[0].tenantLayers[0].tenant: unknown tenant "nimbuz"; tenants are nimbus',
    ]);
  });
});

describe('the worked example', () => {
  it('parses with its three regions, two levels, weekend layer and tenant layer', () => {
    const result = parseConfigText(
      // The example file itself is read by the properties; here: the defaults fill in.
      [
        ...tenant,
        'oncall:',
        '  teams:',
        '    - id: vaas',
        '      regions:',
        '        US: { manager: U0USMGR001 }',
      ].join('\n'),
      'ok.yaml',
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.oncall?.regions.map((r) => `${r.name} ${r.zone} ${r.shift.start}`)).toEqual([
      'APJ Asia/Singapore 08:00',
      'EMEA Europe/London 08:00',
      'US America/Los_Angeles 08:00',
    ]);
    expect(result.config.oncall?.teams[0]).toMatchObject({
      regions: { US: { priority: 10 } },
      tenantLayers: [],
    });
  });

  it('leaves on-call off when the section is absent', () => {
    const result = parse([]);
    expect(result.ok && result.config.oncall).toBeUndefined();
  });
});
