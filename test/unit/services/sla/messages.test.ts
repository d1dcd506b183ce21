import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatAt } from '../../../../src/services/sla/messages.js';

describe('formatAt', () => {
  it('says what luxon says, in every zone a contract may count in, across DST changes and midnight', () => {
    const zones = [
      'America/Los_Angeles',
      'America/New_York',
      'Europe/London',
      'Europe/Berlin',
      'Asia/Singapore',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'UTC',
      'Etc/UTC',
    ];
    const from = Date.parse('2026-01-01T00:00:00Z');
    // Every 11 h 13 min for a year: every hour of the day, both sides of each DST change.
    for (const zone of zones)
      for (let ms = from; ms < from + 366 * 86_400_000; ms += 673 * 60_000 + 13_000)
        expect(formatAt(ms, zone)).toBe(
          DateTime.fromMillis(ms, { zone }).setLocale('en-US').toFormat('ccc d LLL HH:mm ZZZZ'),
        );
  });

  it('reads as before for the sandbox tenant', () => {
    expect(formatAt(Date.parse('2026-12-05T11:30:00Z'), 'America/Los_Angeles')).toBe('Sat 5 Dec 03:30 PST');
    expect(formatAt(Date.parse('2026-07-05T07:05:00Z'), 'America/Los_Angeles')).toBe('Sun 5 Jul 00:05 PDT');
  });

  it('an unknown zone answers as luxon does instead of throwing', () => {
    expect(formatAt(0, 'Mars/Olympus_Mons')).toBe('Invalid DateTime');
  });
});
