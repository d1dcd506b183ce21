// The on-call settings beside the schedule (team channel, handoff, user groups) and the links
// between tenants and schedules: defaults, and bad references as one `file:line` problem each.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { MINIMAL_CONFIG_LINES } from '../../helpers/config-lines.js';

const ONCALL = [
  'oncall:', //                                                                   17
  '  teams:', //                                                                  18
  '    - id: vaas', //                                                            19
  '      channel: C0ONCALL01', //                                                 20
  '      regions:', //                                                            21
  '        US:', //                                                               22
  '          manager: U0ONCMGR01', //                                             23
  '          primary: { users: [U0STAFF001], handoffTime: "08:00", startDate: "2026-11-02" }', // 24
];

const config = (...extra: string[]) => [...MINIMAL_CONFIG_LINES, ...ONCALL, ...extra].join('\n');

describe('oncall settings', () => {
  it('defaults: a 15-minute DM, the weekend handoff Friday 16:00 Los Angeles, no user groups', () => {
    const result = parseConfigText(config(), 'ok.yaml');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.oncall?.handoff).toEqual({
      dmMinutesBefore: 15,
      weekend: { time: '16:00', days: ['fri'], zone: 'America/Los_Angeles' },
      plannedChanges: [],
      lateAfterSeconds: 60,
    });
    expect(result.config.oncall?.userGroups).toEqual([]);
    expect(result.config.oncall?.teams[0]?.channel).toBe('C0ONCALL01');
  });

  it('names a user group fed by an unknown team or region, and one fed by nobody', () => {
    const result = parseConfigText(
      config(
        '  userGroups:', //                                                 25
        '    - { id: S0ONCALL01, handle: x, sources: [{ team: ops }] }', //  26
        '    - { id: S0ONCALL02, handle: y, sources: [{ team: vaas, region: MARS }] }', // 27
        '    - { id: S0ONCALL03, handle: z }', //                            28
      ),
      'bad.yaml',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(
      /bad\.yaml:26: oncall\.userGroups\[0\]\.sources\[0\]\.team: unknown team "ops"; teams are vaas/,
    );
    expect(result.problems.join('\n')).toMatch(
      /bad\.yaml:27: oncall\.userGroups\[1\]\.sources\[0\]\.region: unknown region "MARS"/,
    );
    expect(result.problems.join('\n')).toMatch(
      /bad\.yaml:28: oncall\.userGroups\[2\]: expected sources or members/,
    );
  });

  it('rejects a tenant pointing at a schedule that does not exist', () => {
    const lines = [...MINIMAL_CONFIG_LINES, '    oncall: { scheduleId: us-primary }', ...ONCALL];
    const result = parseConfigText(lines.join('\n'), 'bad.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.join('\n')).toMatch(
        /bad\.yaml:17: tenants\[0\]\.oncall\.scheduleId: unknown schedule "us-primary"; oncall\.teams are vaas/,
      );
  });
});
