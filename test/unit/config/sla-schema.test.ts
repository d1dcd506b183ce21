import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { tenantSlaPolicies } from '../../../src/config/sla-schema.js';
import { MINIMAL_CONFIG_LINES } from '../../helpers/config-lines.js';

// A valid file whose tenant ends with an `sla:` block; each case appends lines to it.
// Line numbers matter: the sla block opens on line 17, its first entry is line 18.
const base = [
  ...MINIMAL_CONFIG_LINES,
  '    sla:', //                              17
];
const withSla = (...lines: string[]) => [...base, ...lines.map((l) => `      ${l}`)].join('\n');

function problemsOf(text: string): string[] {
  const result = parseConfigText(text, 'bad.yaml');
  if (result.ok) throw new Error('expected problems, got a valid config');
  return result.problems;
}

function parsed(text: string) {
  const result = parseConfigText(text, 'ok.yaml');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

describe('tenants[].sla: contradictory terms are rejected at their exact path', () => {
  it('a less severe level with a tighter target, against a given or a default target', () => {
    expect(problemsOf(withSla('severities:', '  sev3: { response: 1h }'))).toEqual([
      'bad.yaml:19: tenants[0].sla.severities.sev3.response: expected at least the sev2 default (2h), found "1h"',
    ]);
    expect(problemsOf(withSla('sev2ResponseMinutes: 600'))).toEqual([
      'bad.yaml:18: tenants[0].sla.sev2ResponseMinutes: expected at most 8h, the sev3 default; a less severe level cannot have a tighter target (set sev3 too), found 600',
    ]);
  });

  it('the same target said twice', () => {
    expect(
      problemsOf(withSla('sev1ResponseMinutes: 30', 'severities:', '  sev1: { response: 30m }')),
    ).toEqual([
      'bad.yaml:20: tenants[0].sla.severities.sev1.response: expected the sev1 target once: sev1ResponseMinutes already sets it (remove one of the two), found "30m"',
    ]);
  });

  it('next-business-day on a 24x7 calendar, and a malformed target', () => {
    expect(
      problemsOf(withSla('severities:', '  sev4: { response: next-business-day, coverage: 24x7 }')),
    ).toEqual([
      'bad.yaml:19: tenants[0].sla.severities.sev4.response: expected business-hours coverage for a next-business-day target (sev4 has 24x7 coverage), found "next-business-day"',
    ]);
    expect(problemsOf(withSla('severities:', '  sev1: { response: soon }'))).toEqual([
      'bad.yaml:19: tenants[0].sla.severities.sev1.response: expected a duration like 30m, 2h or 8h (at least 1m), or next-business-day, found "soon"',
    ]);
  });

  it('reminders out of order, at or after the target, or to a role off the escalation chain', () => {
    const text = withSla(
      'escalation: [primary, secondary, manager]', //        18
      'severities:', //                                      19
      '  sev1:', //                                          20
      '    reminders:', //                                   21
      '      - { afterMinutes: 20, notify: [primary] }', //  22
      '      - { afterMinutes: 10, notify: [csm] }', //      23
      '      - { afterMinutes: 30, notify: [manager] }', //  24
    );
    expect(problemsOf(text)).toEqual([
      'bad.yaml:23: tenants[0].sla.severities.sev1.reminders[1].afterMinutes: expected more than the previous reminder (20), found 10',
      'bad.yaml:23: tenants[0].sla.severities.sev1.reminders[1].notify[0]: expected a role on the escalation chain (primary, secondary, manager), found "csm"',
      'bad.yaml:24: tenants[0].sla.severities.sev1.reminders[2].afterMinutes: expected less than the sev1 target (30 minutes); the breach itself is notified, found 30',
    ]);
  });

  it('breach-count tiers overlapping, with a gap, open-ended before the last, or with falling credit', () => {
    const text = withSla(
      'penalties:', //                                                         18
      '  monthlyFee: 50000', //                                                19
      '  currency: USD', //                                                    20
      '  responseBreaches:', //                                                21
      '    tiers:', //                                                         22
      '      - { fromBreaches: 1, toBreaches: 2, creditPercent: 5 }', //       23
      '      - { fromBreaches: 2, toBreaches: 4, creditPercent: 10 }', //      24
      '      - { fromBreaches: 7, creditPercent: 8 }', //                      25
      '      - { fromBreaches: 9, creditPercent: 20 }', //                     26
    );
    expect(problemsOf(text)).toEqual([
      'bad.yaml:24: tenants[0].sla.penalties.responseBreaches.tiers[1].fromBreaches: expected 3: tiers must be in ascending order without overlap (the previous tier ends at 2), found 2',
      'bad.yaml:25: tenants[0].sla.penalties.responseBreaches.tiers[2].toBreaches: expected an upper bound: only the last tier may be open-ended ("and more")',
      'bad.yaml:25: tenants[0].sla.penalties.responseBreaches.tiers[2].fromBreaches: expected 5: a gap after the previous tier (ends at 4) would earn no credit, found 7',
      "bad.yaml:25: tenants[0].sla.penalties.responseBreaches.tiers[2].creditPercent: expected at least the previous tier's 10 %: more breaches never earn less, found 8",
      'bad.yaml:26: tenants[0].sla.penalties.responseBreaches.tiers[3].fromBreaches: expected no tier after an open-ended one, found 9',
    ]);
  });

  it('threshold tiers out of order, above the SLO, and a cap below zero', () => {
    const text = withSla(
      'penalties:', //                                           18
      '  monthlyFee: 50000', //                                  19
      '  currency: USD', //                                      20
      '  capPercent: -5', //                                     21
      '  compliance:', //                                        22
      '    sev1:', //                                            23
      '      minSample: 5', //                                   24
      '      tiers:', //                                         25
      '        - { belowPercent: 90, creditPercent: 10 }', //    26
      '        - { belowPercent: 95, creditPercent: 5 }', //     27
      '  availability:', //                                      28
      '    sloPercent: 99.9', //                                 29
      '    tiers:', //                                           30
      '      - { belowPercent: 99.95, creditPercent: 10 }', //   31
    );
    expect(problemsOf(text)).toEqual([
      'bad.yaml:21: tenants[0].sla.penalties.capPercent: expected a cap of 0 % or more, found -5',
      "bad.yaml:27: tenants[0].sla.penalties.compliance.sev1.tiers[1].belowPercent: expected less than the previous tier's 90: list tiers from the mildest shortfall down, found 95",
      "bad.yaml:27: tenants[0].sla.penalties.compliance.sev1.tiers[1].creditPercent: expected at least the previous tier's 10 %: a deeper shortfall never earns less, found 5",
      'bad.yaml:31: tenants[0].sla.penalties.availability.tiers[0].belowPercent: expected at most 99.9 (the target): a tier above it would credit a met target, found 99.95',
    ]);
  });

  it('a malformed field stops the cross-field checks instead of crashing them', () => {
    expect(
      problemsOf(withSla('severities:', '  sev1: { reminders: soon }', 'sev2ResponseMinutes: 1')),
    ).toEqual(['bad.yaml:19: tenants[0].sla.severities.sev1.reminders: expected a list, found "soon"']);
  });

  it('business hours that close before they open, and a bad holiday date', () => {
    expect(problemsOf(withSla('businessHours: { start: "17:00", end: "09:00" }'))).toEqual([
      'bad.yaml:18: tenants[0].sla.businessHours.end: expected a time after start (17:00); overnight windows are not supported, found "09:00"',
    ]);
    expect(problemsOf(withSla('businessHours: { holidays: [2026-02-30] }'))).toEqual([
      'bad.yaml:18: tenants[0].sla.businessHours.holidays[0]: expected a date like 2026-12-25, found "2026-02-30"',
    ]);
  });
});

describe('tenants[].sla: defaults, and saying so', () => {
  it('a policy that misses a severity falls back to its defaults and says which', () => {
    const config = parsed(withSla('sev1ResponseMinutes: 15', 'severities:', '  sev2: { response: 1h }'));
    const { policies, warnings } = tenantSlaPolicies(config.tenants);
    expect(warnings).toEqual([
      'tenants[0].sla.severities.sev3: sev3 has no response target; using the default 8h (business hours mon,tue,wed,thu,fri 09:00–17:00 America/Los_Angeles) (tenant nimbus)',
      'tenants[0].sla.severities.sev4: sev4 has no response target; using the default next business day (close of business hours mon,tue,wed,thu,fri 09:00–17:00 America/Los_Angeles) (tenant nimbus)',
    ]);
    const policy = policies.get('nimbus')!;
    expect(policy.severities[1].response).toEqual({ kind: 'duration', ms: 15 * 60_000 });
    expect(policy.severities[1].reminders.map((r) => r.afterMinutes)).toEqual([10, 20, 25]);
    expect(policy.severities[2].response).toEqual({ kind: 'duration', ms: 60 * 60_000 });
    expect(policy.severities[2].coverage).toEqual({ kind: '24x7' });
    expect(policy.severities[3].coverage).toMatchObject({
      kind: 'business-hours',
      zone: 'America/Los_Angeles',
    });
    expect(policy.pauseReasons).toEqual(['waiting-on-customer']);
    expect(policy.breachNotify).toEqual(['manager', 'csm']);
    expect(policy.penalties).toBeUndefined();
  });

  it('a policy-wide coverage applies to every severity that does not set its own', () => {
    const config = parsed(withSla('coverage: 24x7', 'severities:', '  sev4: { response: 3d }'));
    const policy = tenantSlaPolicies(config.tenants).policies.get('nimbus')!;
    expect([1, 2, 3, 4].map((s) => policy.severities[s as 1].coverage.kind)).toEqual([
      '24x7',
      '24x7',
      '24x7',
      '24x7',
    ]);
  });

  it('the old flat targets still parse and keep their meaning', () => {
    const config = parsed(
      withSla(
        'sev1ResponseMinutes: 30',
        'sev2ResponseMinutes: 60',
        'sev3ResponseMinutes: 480',
        'sev4ResponseMinutes: 1440',
      ),
    );
    const { policies, warnings } = tenantSlaPolicies(config.tenants);
    expect(warnings).toEqual([]);
    expect([1, 2, 3, 4].map((s) => policies.get('nimbus')!.severities[s as 1].response)).toEqual(
      [30, 60, 480, 1440].map((m) => ({ kind: 'duration', ms: m * 60_000 })),
    );
  });
});
