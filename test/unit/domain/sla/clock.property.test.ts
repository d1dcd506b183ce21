// Properties over random timelines and a year of random instants, under a business-hours
// calendar in zones with and without DST.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  businessMsBetween,
  type ClockEvent,
  clockState,
  foldClock,
  initialClock,
  projectClock,
  resolveSlaPolicy,
  timelineUpTo,
} from '../../../../src/domain/sla/index.js';

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const ZONES = ['America/Los_Angeles', 'Europe/London', 'Australia/Sydney', 'Asia/Singapore'] as const;

const policyFor = (zone: string) =>
  resolveSlaPolicy(
    { coverage: 'business-hours', businessHours: { holidays: ['2026-03-09', '2026-10-05', '2026-12-25'] } },
    zone,
  ).policy;

/** A start, then pauses, resumes, responses and severity changes at random later instants. */
const timeline = fc
  .record({
    start: fc.integer({ min: YEAR_START, max: YEAR_START + YEAR_MS }),
    severity: fc.constantFrom(1, 2, 3, 4),
    rest: fc.array(
      fc.record({
        offset: fc.integer({ min: 0, max: 10 * 86_400_000 }),
        kind: fc.constantFrom('pause', 'resume', 'response', 'severity', 'downgrade', 'pause'),
        severity: fc.constantFrom(1, 2, 3, 4),
        customerAgreed: fc.boolean(),
        reason: fc.constantFrom('waiting-on-customer', 'waiting-on-customer', 'lunch'),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ start, severity, rest }): ClockEvent[] => [
    { at: start, kind: 'start', severity: severity as 1 },
    ...rest.map((e) => ({
      at: start + e.offset,
      kind: e.kind as ClockEvent['kind'],
      severity: e.severity as 1,
      customerAgreed: e.customerAgreed,
      reason: e.reason,
    })),
  ]);

describe('response clock properties', () => {
  it('remainingMs never increases as time passes, and falls 1:1 while running in coverage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        timeline.map((events) => events.filter((e) => e.kind !== 'severity' && e.kind !== 'downgrade')),
        fc.integer({ min: 0, max: 12 * 86_400_000 }),
        // Short gaps often lie wholly inside coverage, long ones cross nights and weekends.
        fc.oneof(fc.integer({ min: 0, max: 2 * 3_600_000 }), fc.integer({ min: 0, max: 3 * 86_400_000 })),
        (zone, events, a, gap) => {
          const policy = policyFor(zone);
          const t1 = events[0]!.at + a;
          const t2 = t1 + gap;
          const s1 = clockState(policy, events, t1, 'p')!;
          const s2 = clockState(policy, events, t2, 'p')!;
          expect(s2.remainingMs).toBeLessThanOrEqual(s1.remainingMs);
          const quiet = !events.some((e) => e.at > t1 && e.at <= t2);
          const cal = policy.severities[s1.severity].coverage;
          const covered = businessMsBetween(cal, t1, t2) === gap;
          if (quiet && covered && s1.respondedAt === undefined && s1.paused === undefined) {
            expect(s1.remainingMs - s2.remainingMs).toBe(gap);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is recomputable: folding the timeline in one go equals folding it in two parts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        timeline,
        fc.nat(),
        fc.nat({ max: 12 * 86_400_000 }),
        (zone, events, cut, a) => {
          const policy = policyFor(zone);
          const now = events[0]!.at + a;
          const ordered = timelineUpTo(events, now);
          const k = cut % (ordered.length + 1);
          const once = clockState(policy, events, now, 'p');
          const firstPart = foldClock(policy, ordered.slice(0, k), initialClock('p'));
          const incremental = projectClock(policy, foldClock(policy, ordered.slice(k), firstPart), now);
          expect(incremental).toEqual(once);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the state at now ignores what happens later', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        timeline,
        fc.nat({ max: 12 * 86_400_000 }),
        (zone, events, a) => {
          const policy = policyFor(zone);
          const now = events[0]!.at + a;
          expect(clockState(policy, events, now, 'p')).toEqual(
            clockState(
              policy,
              events.filter((e) => e.at <= now),
              now,
              'p',
            ),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a running clock is due exactly when its remaining time runs out (nothing else happening)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), timeline, fc.nat({ max: 12 * 86_400_000 }), (zone, all, a) => {
        const policy = policyFor(zone);
        const now = all[0]!.at + a;
        const events = all.filter((e) => e.at <= now);
        const s = clockState(policy, events, now, 'p')!;
        if (s.dueAt === undefined || s.respondedAt !== undefined || s.dueAt <= now) return;
        const cal = policy.severities[s.severity].coverage;
        expect(businessMsBetween(cal, now, s.dueAt)).toBe(s.remainingMs);
        expect(clockState(policy, events, s.dueAt - 1, 'p')!.breached).toBe(false);
        expect(clockState(policy, events, s.dueAt, 'p')!.breached).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
