// Report arithmetic against figures computed by hand (written out next to each expectation).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type ClockEvent,
  clockState,
  csvCell,
  formatMoney,
  mergeWindows,
  monthBounds,
  nearestRank,
  type ReportClock,
  reportCsv,
  resolveSlaPolicy,
  type SlaTerms,
  slaReport,
} from '../../../../src/domain/sla/index.js';

const MIN = 60_000;
const ZONE = 'America/Los_Angeles';
const la = (text: string) => DateTime.fromISO(text, { zone: ZONE }).toMillis();

const terms: SlaTerms = {
  penalties: {
    monthlyFee: 50_000,
    currency: 'USD',
    capPercent: 20,
    responseBreaches: {
      severities: [1, 2],
      tiers: [
        { fromBreaches: 1, toBreaches: 2, creditPercent: 5 },
        { fromBreaches: 3, toBreaches: 4, creditPercent: 10 },
        { fromBreaches: 5, creditPercent: 15 },
      ],
    },
    compliance: {
      sev1: {
        minSample: 5,
        tiers: [
          { belowPercent: 95, creditPercent: 5 },
          { belowPercent: 90, creditPercent: 10 },
          { belowPercent: 85, creditPercent: 15 },
        ],
      },
      sev2: { minSample: 5, tiers: [{ belowPercent: 95, creditPercent: 5 }] },
    },
    availability: {
      sloPercent: 99.9,
      tiers: [
        { belowPercent: 99.9, creditPercent: 10 },
        { belowPercent: 99.5, creditPercent: 25 },
      ],
    },
  },
};
const { policy } = resolveSlaPolicy(terms, ZONE);

const NOW = la('2026-11-30T23:00');
function clock(id: string, severity: 1 | 2, startLocal: string, respondAfterMinutes?: number): ReportClock {
  const start = la(startLocal);
  const events: ClockEvent[] = [{ at: start, kind: 'start', severity }];
  if (respondAfterMinutes !== undefined)
    events.push({ at: start + respondAfterMinutes * MIN, kind: 'response', actor: 'U0STAFF001' });
  return { state: clockState(policy, events, NOW, id)!, firstAlarmAt: start - MIN };
}

// Ten Sev1 responses (minutes): 5 12 18 25 29 31 40 9 14 22 — 31 and 40 are late.
const sev1Minutes = [5, 12, 18, 25, 29, 31, 40, 9, 14, 22];
const clocks: ReportClock[] = [
  ...sev1Minutes.map((m, i) =>
    clock(`inc-${i + 1}`, 1, `2026-11-${String(i + 2).padStart(2, '0')}T10:00`, m),
  ),
  clock('inc-sev2', 2, '2026-11-20T10:00'), // never answered: breached at 12:00
  clock('inc-pending', 1, '2026-11-30T22:55'), // running, 25 minutes left at NOW
  clock('inc-october', 1, '2026-10-31T23:50', 45), // started in October: not in this report
];
const impacts = [
  { from: la('2026-11-10T10:00'), to: la('2026-11-10T11:00') },
  { from: la('2026-11-10T10:30'), to: la('2026-11-10T11:30') }, // overlaps: 90 min together
  { from: la('2026-10-31T23:30'), to: la('2026-11-01T00:30') }, // 30 min inside November
];

describe('the monthly report', () => {
  const report = slaReport(policy, {
    tenant: 'nimbus',
    month: '2026-11',
    zone: ZONE,
    now: NOW,
    clocks,
    impacts,
  });

  it('response times per severity: nearest-rank median and p90, max, compliance, breaches', () => {
    // sorted: 5 9 12 14 18 22 25 29 31 40; median rank ⌈0.5×10⌉ = 5 → 18; p90 rank ⌈0.9×10⌉ = 9 → 31.
    expect(report.severities[0]).toEqual({
      severity: 1,
      responses: 10,
      measured: 10,
      onTime: 8,
      breaches: 2,
      pending: 1,
      closed: 0,
      medianMs: 18 * MIN,
      p90Ms: 31 * MIN,
      maxMs: 40 * MIN,
      compliancePercent: 80, // 8 ÷ 10
    });
    // The unanswered Sev2 is measured (a miss), so never answering cannot look better.
    expect(report.severities[1]).toMatchObject({
      responses: 0,
      measured: 1,
      onTime: 0,
      breaches: 1,
      compliancePercent: 0,
    });
  });

  it('every breach with its evidence, in order', () => {
    expect(
      report.breaches.map((b) => [b.incidentId, b.severity, b.breachAt, b.respondedAt, b.responder]),
    ).toEqual([
      ['inc-6', 1, la('2026-11-07T10:30'), la('2026-11-07T10:31'), 'U0STAFF001'],
      ['inc-7', 1, la('2026-11-08T10:30'), la('2026-11-08T10:40'), 'U0STAFF001'],
      ['inc-sev2', 2, la('2026-11-20T12:00'), undefined, undefined],
    ]);
    expect(report.breaches[0]?.firstAlarmAt).toBe(la('2026-11-07T09:59'));
  });

  it('availability: overlapping impact merged, clipped to the month, on a 721-hour November', () => {
    // November 2026 in Los Angeles has 30 × 24 + 1 (fall back) = 721 h = 43,260 min.
    // Impact 90 + 30 = 120 min → (43,260 − 120) ÷ 43,260 = 99.7226 %.
    expect(report.availability.monthMs).toBe(43_260 * MIN);
    expect(report.availability.impactMs).toBe(120 * MIN);
    expect(report.availability.percent).toBeCloseTo(99.72261, 4);
    expect(report.availability.windows).toEqual([
      { from: la('2026-11-01T00:00'), to: la('2026-11-01T00:30') },
      { from: la('2026-11-10T10:00'), to: la('2026-11-10T11:30') },
    ]);
  });

  it('credits from both response families and availability, then the cap, with the arithmetic shown', () => {
    // (a) 3 breaches → tier 3–4 → 10 % = 5,000; (b) Sev1 80 % < 85 % → 15 % = 7,500; Sev2 1 < 5 → not
    // assessed; (c) 99.72 % < 99.9 % (not < 99.5 %) → 10 % = 5,000. Total 17,500; cap 20 % = 10,000.
    expect(report.credits).toMatchObject({
      totalMinor: 1_750_000,
      capMinor: 1_000_000,
      creditMinor: 1_000_000,
      capped: true,
    });
    expect(report.lines).toEqual([
      'Sev1: 10 responses, median 18 min, p90 31 min, max 40 min; 8 of 10 on time = 80 %; 2 breaches; 1 pending',
      'Sev2: 0 responses, median –, p90 –, max –; 0 of 1 on time = 0 %; 1 breach',
      'Availability: (43,260 − 120 impact minutes) ÷ 43,260 = 99.723 % against an SLO of 99.9 %',
      '3 breaches (Sev1/Sev2) → tier 3–4 → 10 % × 50,000 USD = 5,000 USD',
      'Sev1 compliance: 8 of 10 on time = 80 % < 85 % → 15 % × 50,000 USD = 7,500 USD',
      'Sev2 compliance: 1 measured < minimum sample 5 → not assessed → 0 USD',
      'Availability 99.723 % (SLO 99.9 %) < 99.9 % → 10 % × 50,000 USD = 5,000 USD',
      'Total 17,500 USD; cap 20 % = 10,000 USD → credit 10,000 USD',
    ]);
  });

  it('at or under the cap the total is the credit, and a met SLO earns nothing', () => {
    const quiet = slaReport(policy, {
      tenant: 'nimbus',
      month: '2026-11',
      zone: ZONE,
      now: NOW,
      clocks: [5, 6, 7, 8, 9]
        .map((m, i) => clock(`q-${i}`, 1, `2026-11-0${i + 2}T10:00`, m))
        .concat(clock('late', 1, '2026-11-20T10:00', 45)),
      impacts: [{ from: la('2026-11-10T10:00'), to: la('2026-11-10T10:30') }], // 30 min → 99.931 %
    });
    // 1 breach → tier 1–2 → 5 % = 2,500; Sev1 5 of 6 = 83.333 % < 85 % → 15 % = 7,500; availability met.
    expect(quiet.lines.slice(-5)).toEqual([
      '1 breach (Sev1/Sev2) → tier 1–2 → 5 % × 50,000 USD = 2,500 USD',
      'Sev1 compliance: 5 of 6 on time = 83.333 % < 85 % → 15 % × 50,000 USD = 7,500 USD',
      'Sev2 compliance: 0 measured < minimum sample 5 → not assessed → 0 USD',
      'Availability 99.931 % (SLO 99.9 %) → no tier → 0 USD',
      'Total 10,000 USD; cap 20 % = 10,000 USD → credit 10,000 USD',
    ]);
    expect(quiet.credits?.capped).toBe(false);
  });

  it('a month without incidents: no breaches, full availability, nothing owed', () => {
    const empty = slaReport(policy, {
      tenant: 'nimbus',
      month: '2026-09',
      zone: ZONE,
      now: NOW,
      clocks,
      impacts,
    });
    expect(empty.breaches).toEqual([]);
    expect(empty.availability.percent).toBe(100);
    expect(empty.credits?.creditMinor).toBe(0);
    expect(empty.lines.at(-1)).toBe('Total 0 USD; cap 20 % = 10,000 USD → credit 0 USD');
  });
});

describe('building blocks', () => {
  it('nearest rank: the value at rank ⌈p/100 × n⌉', () => {
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // ⌈9.9⌉ = 10
    expect(nearestRank([], 50)).toBeUndefined();
  });

  it('month bounds are local midnights, and a malformed month is refused with an example', () => {
    expect(monthBounds('2026-03', 'Europe/London')).toEqual({
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-03-31T23:00:00Z'), // 1 April 00:00 BST
    });
    expect(() => monthBounds('2026-13', ZONE)).toThrow('expected a month like 2026-11, found "2026-13"');
  });

  it('merges touching and nested windows and drops those outside', () => {
    expect(
      mergeWindows(
        [
          { from: 5, to: 10 },
          { from: 0, to: 5 },
          { from: 2, to: 3 },
          { from: 20, to: 30 },
        ],
        0,
        25,
      ),
    ).toEqual([
      { from: 0, to: 10 },
      { from: 20, to: 25 },
    ]);
  });

  it('money in minor units: cents rounded once per line, yen without decimals', () => {
    const { policy: odd } = resolveSlaPolicy(
      {
        penalties: {
          monthlyFee: 33_333.33,
          currency: 'EUR',
          responseBreaches: { tiers: [{ fromBreaches: 1, creditPercent: 5 }] },
        },
      },
      ZONE,
    );
    const r = slaReport(odd, {
      tenant: 't',
      month: '2026-11',
      zone: ZONE,
      now: NOW,
      clocks: [clock('x', 1, '2026-11-03T10:00', 45)],
    });
    // 3,333,333 cents × 5 % = 166,666.65 → 166,667 cents
    expect(r.lines.at(-2)).toBe('1 breach → tier 1+ → 5 % × 33,333.33 EUR = 1,666.67 EUR');
    expect(r.lines.at(-1)).toBe('Total 1,666.67 EUR; no cap → credit 1,666.67 EUR');
    expect(formatMoney(500_000, 0, 'JPY')).toBe('500,000 JPY');
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(undefined)).toBe('');
  });

  it('one header, CRLF rows, the arithmetic in the detail column', () => {
    const report = slaReport(policy, {
      tenant: 'nimbus',
      month: '2026-11',
      zone: ZONE,
      now: NOW,
      clocks,
      impacts,
    });
    const csv = reportCsv(report);
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('section,tenant,month,severity,incident,metric,value,unit,detail');
    expect(rows.at(-1)).toBe('');
    expect(rows).toContain('responses,nimbus,2026-11,sev1,,median,1080000,ms,nearest-rank');
    expect(rows).toContain(
      'credit,nimbus,2026-11,,,response-breaches,5000,USD,"3 breaches (Sev1/Sev2) → tier 3–4 → 10 % × 50,000 USD = 5,000 USD"',
    );
    expect(rows).toContain('credit,nimbus,2026-11,,,credit,10000,USD,capped');
    expect(rows.find((r) => r.startsWith('breach,nimbus,2026-11,sev1,inc-6,'))).toBe(
      'breach,nimbus,2026-11,sev1,inc-6,breach_at,2026-11-07T10:30:00-08:00,time,first alarm 2026-11-07T09:59:00-08:00; clock start 2026-11-07T10:00:00-08:00; responded 2026-11-07T10:31:00-08:00 by U0STAFF001',
    );
  });
});
