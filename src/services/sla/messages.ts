// What response clocks say, in one place: the reminder and breach in the incident thread and in
// DMs, the line of a running clock (/sla, the handoff, the card), and how a late notice says so.
// Times are shown in the customer's zone, the one the contract counts in.
import { DateTime } from 'luxon';
import { formatDuration } from '../../domain/clock.js';
import { bold, code, emoji, link, type Message, mention, msg, type Part } from '../../domain/message.js';
import { type ClockState, lateByMs, type PlannedNotice } from '../../domain/sla/clock.js';
import type { SlaRole } from '../../domain/sla/types.js';
import type { Incident } from '../../store/incident-store.js';

export const ROLE_LABEL: Record<SlaRole, string> = {
  primary: 'primary on call',
  secondary: 'secondary on call',
  manager: 'manager',
  csm: 'customer success manager',
};

// One formatter per zone, kept: luxon's toFormat('ccc d LLL HH:mm ZZZZ') builds a new
// Intl.DateTimeFormat for the zone's name on every call (~0.4 ms), and every reminder, breach and
// card re-render formats a few instants — at 10,000 running clocks that was a fifth of the CPU.
const FORMATTERS = new Map<string, Intl.DateTimeFormat | null>();

function formatterOf(zone: string): Intl.DateTimeFormat | null {
  let formatter = FORMATTERS.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      });
    } catch {
      formatter = null; // not a zone Intl knows: luxon says so ("Invalid DateTime")
    }
    FORMATTERS.set(zone, formatter);
  }
  return formatter;
}

/** "Sat 28 Nov 03:30 PST" (what luxon's `ccc d LLL HH:mm ZZZZ` gives in English). */
export function formatAt(ms: number, zone: string): string {
  const formatter = formatterOf(zone);
  if (!formatter) return DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm ZZZZ');
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of formatter.formatToParts(ms)) part[p.type] = p.value;
  return `${part.weekday} ${part.day} ${part.month} ${part.hour}:${part.minute} ${part.timeZoneName}`;
}

/** "30m", "2h", "1h30m"; never "0ms" for a negative figure. */
export function minutes(ms: number): string {
  return ms < 60_000
    ? `${Math.max(0, Math.round(ms / 1000))}s`
    : formatDuration(Math.round(ms / 60_000) * 60_000);
}

export interface Recipient {
  role: SlaRole;
  userId?: string;
}

export function cardLink(incident: Incident): string | undefined {
  return incident.cardTs
    ? `https://slack.com/archives/${incident.channel}/p${incident.cardTs.replace('.', '')}`
    : undefined;
}

function who(recipients: readonly Recipient[]): Part[] {
  return recipients.map((r, i) => [
    i > 0 ? ', ' : '',
    r.userId
      ? [mention(r.userId), ` (${ROLE_LABEL[r.role]})`]
      : `nobody holds the ${ROLE_LABEL[r.role]} role`,
  ]);
}

/** " (sent 14m late: opsbot was not running when it was due at 03:10 PST)" when it is late. */
function lateNote(notice: PlannedNotice, now: number, zone: string, lateAfterMs: number): Part {
  const late = lateByMs(notice, now);
  return late > lateAfterMs
    ? msg(
        ` _(sent ${minutes(late)} late: it was due at ${formatAt(notice.at as number, zone)} while opsbot could not send it)_`,
      )
    : undefined;
}

/** What every notice text is written from. */
export interface NoticeContext {
  incident: Incident;
  state: ClockState;
  notice: PlannedNotice;
  zone: string;
  now: number;
  lateAfterMs: number;
}

export function reminderText(p: NoticeContext & { recipients: readonly Recipient[] }): Message {
  const { incident, state, notice } = p;
  const leftAtDue = state.targetMs - notice.offsetMinutes * 60_000;
  const escalating = p.recipients.some((r) => r.role !== 'primary');
  return msg(
    emoji('alarm_clock'),
    ' ',
    bold('SLA reminder'),
    ` — ${incident.ref} (Sev${state.severity}) has had no human response for ${minutes(notice.offsetMinutes * 60_000)}: `,
    `${minutes(leftAtDue)} left of the ${minutes(state.targetMs)} target`,
    state.dueAt !== undefined ? ` (due ${formatAt(state.dueAt, p.zone)})` : '',
    '. ',
    escalating ? 'Escalating to ' : '',
    who(p.recipients),
    '. Acknowledge with the card’s button or ',
    code(`/ack ${incident.ref}`),
    '.',
    lateNote(notice, p.now, p.zone, p.lateAfterMs),
  );
}

export function reminderDm(p: NoticeContext & { tenantName: string }): Message {
  const { incident, state } = p;
  const url = cardLink(incident);
  return msg(
    emoji('alarm_clock'),
    ` ${p.tenantName}: ${incident.ref} (Sev${state.severity}) "${incident.title}" has had no human response for `,
    `${minutes(p.notice.offsetMinutes * 60_000)}; the contract wants one within ${minutes(state.targetMs)}`,
    state.dueAt !== undefined ? ` (by ${formatAt(state.dueAt, p.zone)})` : '',
    '. ',
    url ? link(url, 'Open the card') : 'The card is on its way',
    ', or ',
    code(`/ack ${incident.ref}`),
    '.',
    lateNote(p.notice, p.now, p.zone, p.lateAfterMs),
  );
}

export function breachText(
  p: NoticeContext & { recipients: readonly Recipient[]; caseComment: boolean },
): Message {
  const { incident, state } = p;
  return msg(
    emoji('rotating_light'),
    ' ',
    bold('SLA breached'),
    ` — ${incident.ref} (Sev${state.severity}) had no human response within the ${minutes(state.targetMs)} target `,
    `(clock started ${formatAt(state.startedAt, p.zone)}, due ${formatAt(p.notice.at ?? p.now, p.zone)}). `,
    'The breach is recorded with its evidence',
    p.caseComment ? ' and noted on the Salesforce case' : '',
    '; told ',
    who(p.recipients),
    '. It still needs a response: ',
    code(`/ack ${incident.ref}`),
    '.',
    lateNote(p.notice, p.now, p.zone, p.lateAfterMs),
  );
}

/** One running clock, for /sla, the handoff and the digest: most urgent information first. */
export function clockLine(
  incident: Incident,
  state: ClockState,
  tenantName: string,
  zone: string,
  now: number,
): Message {
  const head = msg(bold(incident.ref), ` ${tenantName} Sev${state.severity} — `);
  const title = ` · ${incident.title}`;
  if (state.breached)
    return msg(
      emoji('rotating_light'),
      ' ',
      head,
      `breached ${minutes(now - (state.breachAt ?? now))} ago (due ${formatAt(state.breachAt ?? now, zone)}), still no response`,
      title,
    );
  if (state.paused)
    return msg(
      emoji('double_vertical_bar'),
      ' ',
      head,
      `paused since ${formatAt(state.paused.since, zone)} (${state.paused.reason}); ${minutes(state.remainingMs)} left`,
      title,
    );
  const due = state.dueAt !== undefined ? ` (due ${formatAt(state.dueAt, zone)})` : '';
  const outside = state.outsideCoverage ? ', outside coverage now (the clock stands still)' : '';
  return msg(emoji('stopwatch'), ' ', head, `${minutes(state.remainingMs)} left${due}${outside}`, title);
}

/** The clock's line on the incident card. */
export function cardNote(state: ClockState, zone: string): string {
  const target = minutes(state.targetMs);
  switch (state.status) {
    case 'responded':
      return `:white_check_mark: SLA: first response after ${minutes(state.elapsedBusinessMs)} (target ${target}).`;
    case 'closed':
      return `:white_check_mark: SLA: resolved by itself before anyone responded (target ${target}); not measured.`;
    case 'breached':
      return `:rotating_light: SLA breached at ${formatAt(state.breachAt ?? 0, zone)}: no response within ${target}.`;
    case 'paused':
      return `:double_vertical_bar: SLA clock paused since ${formatAt(state.paused?.since ?? 0, zone)} (${state.paused?.reason}); ${minutes(state.remainingMs)} of ${target} left.`;
    default: {
      const due = state.dueAt !== undefined ? `due by ${formatAt(state.dueAt, zone)}` : 'due time unknown';
      const outside =
        state.status === 'outside-coverage' ? ' Outside coverage now: the clock stands still.' : '';
      return `:stopwatch: SLA: Sev${state.severity} response ${due} (${target} target).${outside}`;
    }
  }
}
