// Small helpers shared by the Block Kit views: Slack's size limits, safe truncation, mrkdwn
// escaping and how instants are shown. Pure.
import type { KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { Severity } from '../../domain/alarms/types.js';

/** Block Kit limits we render against (docs.slack.dev block and view references). */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  /** Our own cap for a card's notification fallback. */
  fallbackText: 3000,
  /** Slack advises keeping a message's top-level text under 4,000 characters. */
  messageText: 4000,
} as const;

export const SEVERITY_EMOJI: Record<Severity, string> = {
  1: ':red_circle:',
  2: ':large_orange_circle:',
  3: ':large_yellow_circle:',
  4: ':large_blue_circle:',
};

/**
 * Cuts `text` to at most `max` UTF-16 units (what Slack counts, conservatively), ending in "…".
 * Never splits a surrogate pair, so an emoji is either whole or gone.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

/**
 * Truncates mrkdwn without leaving half a token behind: a cut inside `<@U…>`, `<url|label>` or an
 * escape like `&amp;` would show garbage or break the link, so the cut moves before it.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = truncate(text, max).slice(0, -1);
  const openAngle = head.lastIndexOf('<');
  if (openAngle > head.lastIndexOf('>')) head = head.slice(0, openAngle);
  const amp = head.lastIndexOf('&');
  if (amp > head.lastIndexOf(';') && head.length - amp < 6) head = head.slice(0, amp);
  return `${head}…`;
}

/**
 * Escapes text that came from alarms or people before it goes into mrkdwn: `<!channel>` in an
 * alarm summary must not ping a whole channel, and `<` / `>` / `&` must show as themselves.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A code span that cannot be broken out of by a backtick in the value. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'").replace(/\n/g, ' '))}\``;
}

/** `<@U…>` for a Slack user id; anything else is shown as escaped text rather than a broken mention. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId || 'nobody');
}

/** A mrkdwn link with an escaped label; `|` in a label would end it early, so it is replaced. */
export function link(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|\s]/g, encodeURIComponent);
  return `<${safeUrl}|${escapeMrkdwn(label.replace(/\|/g, '/'))}>`;
}

export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max) || ' ', emoji: true };
}

export function mrkdwnSection(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(text, LIMITS.sectionText) } };
}

/**
 * Packs lines into as few sections as possible, each within the section text limit. A single line
 * longer than the limit is truncated on its own.
 */
export function linesToSections(lines: readonly string[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncateMrkdwn(raw, LIMITS.sectionText);
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      sections.push(mrkdwnSection(current));
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) sections.push(mrkdwnSection(current));
  return sections;
}

/** Keeps a message within the block limit; the last block says how much was left out. */
export function capBlocks(blocks: KnownBlock[], what = 'more'): KnownBlock[] {
  if (blocks.length <= LIMITS.blocksPerMessage) return blocks;
  const kept = blocks.slice(0, LIMITS.blocksPerMessage - 1);
  const dropped = blocks.length - kept.length;
  kept.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `… ${dropped} ${what} block${dropped === 1 ? '' : 's'} not shown` }],
  });
  return kept;
}

function inZone(ms: number, timezone: string): DateTime {
  const local = DateTime.fromMillis(ms, { zone: timezone, locale: 'en-US' });
  // An unknown zone must not print "Invalid DateTime" on a Sev1 card: fall back to UTC.
  return local.isValid ? local : DateTime.fromMillis(ms, { zone: 'UTC', locale: 'en-US' });
}

// A UTC tenant gets one time, not "10:12 UTC (10:12 UTC)".
function isUtc(t: DateTime): boolean {
  return t.offset === 0 && /^(Etc\/)?(UTC|UCT|GMT|Universal|Zulu)$/i.test(t.zoneName ?? '');
}

/**
 * "Sat 14 Jun 03:12 PDT (10:12 UTC)": the customer's wall clock, which is what they will quote
 * back, plus UTC, which is what the team shares across regions. The UTC day is shown when it
 * differs from the local day.
 */
export function formatInstant(ms: number, timezone: string): string {
  const local = inZone(ms, timezone);
  if (isUtc(local)) return local.toFormat("ccc d LLL HH:mm 'UTC'");
  const utc = local.toUTC();
  const utcText = utc.toISODate() === local.toISODate() ? utc.toFormat('HH:mm') : utc.toFormat('ccc HH:mm');
  return `${local.toFormat('ccc d LLL HH:mm ZZZZ')} (${utcText} UTC)`;
}

/** Compact form for lists and timelines: "14 Jun 03:12 PDT / 10:12 UTC". */
export function formatTimeShort(ms: number, timezone: string): string {
  const local = inZone(ms, timezone);
  const localText = local.toFormat('d LLL HH:mm ZZZZ');
  if (isUtc(local)) return localText;
  return `${localText} / ${local.toUTC().toFormat('HH:mm')} UTC`;
}
