import { describe, expect, it } from 'vitest';
import {
  type CustomerSignal,
  type FirstContactIncident,
  firstContact,
  type OutreachStatsItem,
  outreachStats,
  signalMatches,
} from '../../../../src/domain/outreach/first-contact.js';
import { DAY, HOUR, MIN, T0 } from './fixtures.js';

const inc: FirstContactIncident = {
  tenantId: 'nimbus',
  cluster: 'sjc-obj-01',
  category: 'network',
  openedAt: T0,
  resolvedAt: T0 + 2 * HOUR,
  members: [{ componentId: 'cnode-4/eth3' }],
};
const msg = (id: string, at: number, text: string, clusterHints: string[] = []): CustomerSignal => ({
  id,
  at,
  kind: 'customer-message',
  text,
  clusterHints,
});

describe('signalMatches', () => {
  it('by time window: lead-in before the start and tail after the resolution, boundaries included', () => {
    const hinted = (at: number) => msg('m', at, 'hello', ['sjc-obj-01']);
    expect(signalMatches(inc, hinted(T0 - 60 * MIN))).toBe(true);
    expect(signalMatches(inc, hinted(T0 - 60 * MIN - 1))).toBe(false);
    expect(signalMatches(inc, hinted(T0 + 2 * HOUR + 30 * MIN))).toBe(true);
    expect(signalMatches(inc, hinted(T0 + 2 * HOUR + 30 * MIN + 1))).toBe(false);
    expect(signalMatches({ ...inc, resolvedAt: null }, hinted(T0 + 30 * DAY))).toBe(true);
  });

  it('by cluster hints when the signal names clusters; by incident words otherwise', () => {
    expect(signalMatches(inc, msg('m', T0, 'Is anything wrong?', ['SJC-OBJ-01']))).toBe(true);
    expect(signalMatches(inc, msg('m', T0, 'Network is slow on phx', ['phx-obj-01']))).toBe(false);
    expect(signalMatches(inc, msg('m', T0, 'We see high latency from our GPU nodes'))).toBe(true); // category word
    expect(signalMatches(inc, msg('m', T0, 'cnode-4/eth3 looks odd'))).toBe(true); // component id
    expect(signalMatches(inc, msg('m', T0, 'Can we schedule the QBR?'))).toBe(false);
    expect(signalMatches(inc, msg('m', T0, 'The linkedin post'))).toBe(false); // whole words only
  });
});

describe('firstContact', () => {
  it('we were first: our message 20 minutes before the customer’s', () => {
    const result = firstContact(inc, T0 + 10 * MIN, [msg('m1', T0 + 30 * MIN, 'network latency?')]);
    expect(result).toEqual({
      weWereFirst: true,
      leadMs: 20 * MIN,
      firstSignal: { id: 'm1', at: T0 + 30 * MIN, kind: 'customer-message', link: undefined },
    });
  });

  it('the customer was first: their case came before our message (negative lead); a tie goes to them', () => {
    const caseSignal: CustomerSignal = {
      id: '500X1',
      at: T0 + 5 * MIN,
      kind: 'customer-case',
      text: 'timeouts',
      clusterHints: [],
    };
    expect(firstContact(inc, T0 + 15 * MIN, [caseSignal])).toMatchObject({
      weWereFirst: false,
      leadMs: -10 * MIN,
    });
    expect(firstContact(inc, T0 + 5 * MIN, [caseSignal])).toMatchObject({ weWereFirst: false, leadMs: 0 });
  });

  it('the earliest matching signal counts; unrelated ones are ignored', () => {
    const signals = [
      msg('late', T0 + 50 * MIN, 'still slow network'),
      msg('other', T0 + 1 * MIN, 'QBR agenda'),
      msg('early', T0 + 20 * MIN, 'link errors on sjc?', ['sjc-obj-01']),
    ];
    expect(firstContact(inc, T0 + 30 * MIN, signals)).toMatchObject({
      weWereFirst: false,
      firstSignal: { id: 'early' },
    });
  });

  it('no outreach: not first; no signal either: no lead', () => {
    expect(firstContact(inc, undefined, [])).toEqual({
      weWereFirst: false,
      leadMs: null,
      firstSignal: undefined,
    });
    expect(firstContact(inc, T0, [])).toEqual({ weWereFirst: true, leadMs: null, firstSignal: undefined });
  });

  it('staff overrides: not-related drops a signal; customer-reported forces one, or records a report', () => {
    const early = msg('early', T0 + 5 * MIN, 'network latency?');
    const unhinted = msg('vague', T0 + 6 * MIN, 'Something feels off');
    const ours = T0 + 10 * MIN;
    expect(
      firstContact({ ...inc, overrides: [{ kind: 'not-related', signalId: 'early' }] }, ours, [early]),
    ).toMatchObject({ weWereFirst: true, firstSignal: undefined });
    expect(
      firstContact({ ...inc, overrides: [{ kind: 'customer-reported', signalId: 'vague' }] }, ours, [
        unhinted,
      ]),
    ).toMatchObject({ weWereFirst: false, firstSignal: { id: 'vague' }, leadMs: -4 * MIN });
    expect(firstContact({ ...inc, overrides: [{ kind: 'customer-reported' }] }, ours, [])).toMatchObject({
      weWereFirst: false,
      firstSignal: { id: 'staff-override', at: T0, kind: 'staff-override' },
    });
  });
});

describe('outreachStats', () => {
  const item = (
    id: number,
    openedAt: number,
    ours: number | undefined,
    customerAt: number | undefined,
    impacting = true,
  ) => {
    const signals = customerAt === undefined ? [] : [msg(`s${id}`, customerAt, 'network down?')];
    return {
      incidentId: id,
      ref: `INC-${id}`,
      link: `https://slack.example/INC-${id}`,
      openedAt,
      customerImpacting: impacting,
      ourOutreachAt: ours,
      result: firstContact({ ...inc, openedAt, resolvedAt: null }, ours, signals),
    } satisfies OutreachStatsItem;
  };

  it('proactive rate, median lead and misses against hand-computed figures', () => {
    const items = [
      item(1, T0, T0 + 5 * MIN, T0 + 25 * MIN), // first, lead 20 min
      item(2, T0 + DAY, T0 + DAY + 5 * MIN, T0 + DAY + 45 * MIN), // first, lead 40 min
      item(3, T0 + 2 * DAY, T0 + 2 * DAY + 5 * MIN, undefined), // first, never signalled: no lead
      item(4, T0 + 3 * DAY, T0 + 3 * DAY + 30 * MIN, T0 + 3 * DAY + 10 * MIN), // customer first
      item(5, T0 + 4 * DAY, undefined, T0 + 4 * DAY + 10 * MIN, false), // no outreach; they reported → impacting
      item(6, T0 + 5 * DAY, undefined, undefined, false), // not impacting: not counted
      item(7, T0 + 9 * DAY, T0 + 9 * DAY, undefined), // outside the period
    ];
    const stats = outreachStats(items, { from: T0, to: T0 + 7 * DAY });
    // impacting: 1..5 = 5; proactive: 1, 2, 3 = 3 → 0.6; leads 20 and 40 min → median 30 min.
    expect(stats).toEqual({
      from: T0,
      to: T0 + 7 * DAY,
      impacting: 5,
      proactive: 3,
      proactiveRate: 0.6,
      medianLeadMs: 30 * MIN,
      misses: [
        {
          incidentId: 4,
          ref: 'INC-4',
          link: 'https://slack.example/INC-4',
          openedAt: T0 + 3 * DAY,
          why: 'customer-first',
          customerAt: T0 + 3 * DAY + 10 * MIN,
          ourOutreachAt: T0 + 3 * DAY + 30 * MIN,
        },
        {
          incidentId: 5,
          ref: 'INC-5',
          link: 'https://slack.example/INC-5',
          openedAt: T0 + 4 * DAY,
          why: 'no-outreach',
          customerAt: T0 + 4 * DAY + 10 * MIN,
          ourOutreachAt: undefined,
        },
      ],
    });
  });

  it('an odd number of leads takes the middle one; an empty period has no rate', () => {
    const items = [10, 50, 20].map((lead, i) =>
      item(i + 1, T0 + i * HOUR, T0 + i * HOUR, T0 + i * HOUR + lead * MIN),
    );
    expect(outreachStats(items, { from: T0, to: T0 + DAY }).medianLeadMs).toBe(20 * MIN);
    expect(outreachStats([], { from: T0, to: T0 + DAY })).toMatchObject({
      impacting: 0,
      proactiveRate: null,
      medianLeadMs: null,
      misses: [],
    });
  });
});
