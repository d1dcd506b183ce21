// iCalendar feeds people subscribe to from Google Calendar or Outlook: one per schedule (team)
// and one per person, overrides included (the same engine as every other surface). Each feed
// has its own unguessable token (24 random bytes), minted the first time someone asks for the
// feed's address with `/oncall feed`; a request whose token is not that feed's gets the same
// 404 as a feed that does not exist, so nothing is revealed. Built with ical-generator.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import ical from 'ical-generator';
import { LEVELS } from '../../domain/oncall/index.js';
import type { OncallStore } from '../../store/oncall-store.js';
import type { ScheduleService } from './schedule.js';

/** Shifts from a week back to this far ahead are in a feed. */
const PAST_MS = 7 * 86_400_000;
const AHEAD_MS = 60 * 86_400_000;

export type FeedRef = { kind: 'schedule'; team: string } | { kind: 'person'; userId: string };

const feedName = (ref: FeedRef) =>
  ref.kind === 'schedule' ? `schedule:${ref.team}` : `person:${ref.userId}`;

export class CalendarFeeds {
  constructor(
    private readonly schedule: ScheduleService,
    private readonly store: OncallStore,
  ) {}

  /** The feed's path with its token (created on first use). */
  path(ref: FeedRef, now: number): string {
    const token = this.store.feedToken(feedName(ref), () => randomBytes(24).toString('base64url'), now);
    const base = ref.kind === 'schedule' ? `/oncall/${ref.team}.ics` : `/oncall/person/${ref.userId}.ics`;
    return `${base}?token=${token}`;
  }

  /** Parses a request path; undefined for anything that is not a feed address. */
  static parse(path: string): FeedRef | undefined {
    const person = /^\/oncall\/person\/([UW][A-Z0-9]{8,})\.ics$/.exec(path);
    if (person) return { kind: 'person', userId: person[1] as string };
    const team = /^\/oncall\/([a-z][a-z0-9-]{1,31})\.ics$/.exec(path);
    return team ? { kind: 'schedule', team: team[1] as string } : undefined;
  }

  /** The calendar text, or undefined when the feed or its token is wrong. */
  render(ref: FeedRef, token: string | undefined, now: number): string | undefined {
    if (!token) return undefined;
    const feed = this.store.feedOf(token);
    // Constant-time compare of the feed names, though the token lookup is the real check.
    const expected = Buffer.from(feedName(ref));
    if (!feed || feed.length !== expected.length || !timingSafeEqual(Buffer.from(feed), expected))
      return undefined;
    if (ref.kind === 'schedule' && !this.schedule.team(ref.team)) return undefined;
    const calendar = ical({
      name: ref.kind === 'schedule' ? `On-call ${ref.team}` : `My on-call shifts`,
      prodId: { company: 'vaas-opsbot', product: 'oncall', language: 'EN' },
    });
    const teams = ref.kind === 'schedule' ? [ref.team] : this.schedule.teamIds();
    for (const team of teams) {
      const all = this.schedule.shifts(team, now - PAST_MS, now + AHEAD_MS);
      for (const level of LEVELS) {
        for (const s of all[level]) {
          if (s.source === 'gap') continue;
          if (ref.kind === 'person' && s.userId !== ref.userId) continue;
          calendar.createEvent({
            id: `${team}-${level}-${s.start}-${s.userId}@vaas-opsbot`,
            start: new Date(s.start),
            end: new Date(s.end),
            summary: `${team} ${level} on call: ${s.userId}${s.source === 'override' ? ' (override)' : ''}`,
            description: [s.region ? `Region ${s.region}` : '', s.replaced ? `Covering ${s.replaced}` : '']
              .filter(Boolean)
              .join('\n'),
          });
        }
      }
    }
    return calendar.toString();
  }
}
