// Text answers to `/opsbot incidents [tenant]` and `/opsbot incident <id>`: ephemeral mrkdwn,
// dense enough to scan on a phone. Pure: `now` and the data come in.
import type { KnownBlock } from '@slack/types';
import { severityLabel } from '../../domain/alarms/types.js';
import { formatDuration } from '../../domain/clock.js';
import { type IncidentCardView, linkLines, noteLines, statusText, suppressedText } from './incident-card.js';
import {
  capBlocks,
  code,
  escapeMrkdwn,
  formatInstant,
  formatTimeShort,
  LIMITS,
  linesToSections,
  mention,
  SEVERITY_EMOJI,
  truncate,
  truncateMrkdwn,
} from './mrkdwn.js';

/** What one line of the list shows: a subset of the card's data, so cards can be passed in. */
export type IncidentListItem = Pick<
  IncidentCardView,
  | 'id'
  | 'ref'
  | 'tenantName'
  | 'cluster'
  | 'category'
  | 'severity'
  | 'status'
  | 'title'
  | 'alarmCount'
  | 'firingCount'
  | 'firstSeen'
>;

export interface IncidentListOptions {
  now: number;
  /** Set when the list was asked for one tenant; used in the heading and the empty answer. */
  tenantName?: string;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  actor?: string | null;
  text: string;
}

export interface TextView {
  /** The whole answer as mrkdwn (capped at 4,000 characters), also usable without the blocks. */
  text: string;
  blocks: KnownBlock[];
}

/** Longest list we render; beyond it the reply says how many were left out. */
const MAX_LIST_ITEMS = 100;
/** Timeline lines shown in `/opsbot incident <id>`, including the "… earlier entries" line. */
export const MAX_TIMELINE_LINES = 40;

/** One line per open (or acknowledged) incident, most severe and then oldest first. */
export function renderIncidentList(items: readonly IncidentListItem[], opts: IncidentListOptions): TextView {
  const scope = opts.tenantName ? ` for ${escapeMrkdwn(opts.tenantName)}` : '';
  const open = items
    .filter((i) => i.status !== 'resolved')
    .sort((a, b) => a.severity - b.severity || a.firstSeen - b.firstSeen || a.id - b.id);
  if (open.length === 0) {
    const text = `No open incidents${scope}.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = open.slice(0, MAX_LIST_ITEMS);
  const lines = [`*Open incidents${scope}* (${open.length})`, ...shown.map((i) => listLine(i, opts.now))];
  if (open.length > shown.length) lines.push(`_… and ${open.length - shown.length} more_`);
  return {
    text: truncateMrkdwn(lines.join('\n'), LIMITS.messageText),
    blocks: capBlocks(linesToSections(lines)),
  };
}

function listLine(i: IncidentListItem, now: number): string {
  const alarms = `${i.alarmCount} alarm${i.alarmCount === 1 ? '' : 's'} (${i.firingCount} firing)`;
  const age = formatDuration(Math.max(0, now - i.firstSeen));
  const title = escapeMrkdwn(truncate(i.title.replace(/\s+/g, ' ').trim(), 150));
  return [
    `${SEVERITY_EMOJI[i.severity]} ${code(i.ref)} *${severityLabel(i.severity)}*`,
    escapeMrkdwn(i.tenantName),
    code(i.cluster),
    i.category,
    title,
    alarms,
    age,
    i.status,
  ].join(' · ');
}

/** Everything about one incident plus its timeline (newest last, at most 40 lines). */
export function renderIncidentDetail(view: IncidentCardView, timeline: readonly TimelineEntry[]): TextView {
  const v = view;
  const place = v.site ? `${code(v.cluster)} (${escapeMrkdwn(v.site)})` : code(v.cluster);
  const suppressed = suppressedText(v);
  const lines = [
    `${SEVERITY_EMOJI[v.severity]} *${severityLabel(v.severity)} ${v.ref}: ${escapeMrkdwn(truncate(v.title, 300))}*`,
    `Customer: ${escapeMrkdwn(v.tenantName)} · Cluster: ${place} · Category: ${v.category}`,
    `Alarms: ${v.alarmCount} (${v.firingCount} firing)${suppressed ? ` · Suppressed: ${suppressed}` : ''}`,
    `First seen: ${formatInstant(v.firstSeen, v.timezone)} · Last seen: ${formatInstant(v.lastSeen, v.timezone)}`,
    `Responsible: ${mention(v.responsible)}`,
    `Status: ${statusText(v).replace(/\n/g, '; ')}`,
    ...noteLines(v),
    ...linkLines(v),
    '',
    '*Timeline*',
    ...timelineLines(v, timeline),
  ];
  return {
    text: truncateMrkdwn(lines.join('\n'), LIMITS.messageText),
    blocks: capBlocks(linesToSections(lines)),
  };
}

function timelineLines(v: IncidentCardView, timeline: readonly TimelineEntry[]): string[] {
  if (timeline.length === 0) return ['_No timeline entries yet._'];
  // Stable sort: entries with the same instant keep the order the store gave them.
  const ordered = [...timeline].sort((a, b) => a.at - b.at);
  const overflow = ordered.length > MAX_TIMELINE_LINES;
  const shown = overflow ? ordered.slice(ordered.length - (MAX_TIMELINE_LINES - 1)) : ordered;
  const lines = shown.map((e) => {
    const actor = e.actor ? ` ${mention(e.actor)}` : '';
    const text = escapeMrkdwn(truncate(e.text.replace(/\s+/g, ' ').trim(), 300));
    return `• ${formatTimeShort(e.at, v.timezone)} *${escapeMrkdwn(e.kind)}*${actor} ${text}`;
  });
  if (overflow) {
    const earlier = ordered.length - shown.length;
    lines.unshift(`_… ${earlier} earlier entr${earlier === 1 ? 'y' : 'ies'}_`);
  }
  return lines;
}
