// Everything readable in a Slack message: `text`, legacy attachments (Alertmanager and
// Grafana post these) and Block Kit blocks (Slack apps and newer templates), flattened to
// plain lines. Bounded in size, depth and node count because the shape is untrusted.
import { cleanText, MAX_INPUT_CHARS, nonEmpty, own, plainFromSlack } from './text.js';

export interface SlackContent {
  /** All text, one chunk per line group, Slack markup removed, at most 64 KiB. */
  text: string;
  /** Attachment footers ("Grafana v10.4.1"): they identify the sender, not the alarm. */
  footers: string[];
  username?: string;
}

const MAX_NODES = 2000;
const MAX_DEPTH = 8;

class Collector {
  private chunks: string[] = [];
  private seen = new Set<string>();
  private size = 0;
  nodes = 0;

  get full(): boolean {
    return this.size >= MAX_INPUT_CHARS || this.nodes >= MAX_NODES;
  }

  add(value: unknown): void {
    const text = nonEmpty(value);
    if (!text || this.full) return;
    // Clients send the same words as `text` and as blocks; keep each chunk once.
    if (this.seen.has(text)) return;
    this.seen.add(text);
    const room = MAX_INPUT_CHARS - this.size;
    const chunk = text.length > room ? text.slice(0, room) : text;
    this.chunks.push(chunk);
    this.size += chunk.length + 1;
  }

  result(): string {
    return this.chunks.join('\n');
  }
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function textObject(value: unknown): unknown {
  // Block Kit text objects are `{ type, text }`; some senders put a bare string.
  return typeof value === 'string' ? value : own(value, 'text');
}

// Fields become `title: value` lines, which the Alertmanager reader takes as labels.
function collectAttachments(attachments: unknown, out: Collector, content: SlackContent): void {
  for (const a of asArray(attachments)) {
    if (out.full) return;
    out.nodes++;
    out.add(own(a, 'pretext'));
    out.add(own(a, 'title'));
    out.add(own(a, 'text'));
    for (const f of asArray(own(a, 'fields'))) {
      if (out.full) break;
      out.nodes++;
      const title = nonEmpty(own(f, 'title'));
      const value = nonEmpty(own(f, 'value'));
      out.add(title && value ? `${title}: ${value}` : (value ?? title));
    }
    // The fallback repeats the title; only useful when nothing else was sent.
    if (!nonEmpty(own(a, 'title')) && !nonEmpty(own(a, 'text'))) out.add(own(a, 'fallback'));
    const footer = nonEmpty(own(a, 'footer'));
    if (footer && content.footers.length < 20) content.footers.push(footer);
  }
}

function richText(element: unknown, depth: number, out: Collector): string {
  if (depth > MAX_DEPTH || out.full) return '';
  out.nodes++;
  const type = own(element, 'type');
  if (type === 'text' || type === 'link')
    return nonEmpty(own(element, 'text')) ?? nonEmpty(own(element, 'url')) ?? '';
  if (type === 'emoji') return `:${nonEmpty(own(element, 'name')) ?? ''}:`;
  if (type === 'user') return `@${nonEmpty(own(element, 'user_id')) ?? ''}`;
  if (type === 'channel') return `#${nonEmpty(own(element, 'channel_id')) ?? ''}`;
  const children = asArray(own(element, 'elements')).map((child) => richText(child, depth + 1, out));
  // Sections flow inline; lists, quotes and preformatted blocks are separate lines.
  return children.join(type === 'rich_text_section' ? '' : '\n');
}

function collectBlocks(blocks: unknown, depth: number, out: Collector): void {
  if (depth > MAX_DEPTH) return;
  for (const block of asArray(blocks)) {
    if (out.full) return;
    out.nodes++;
    const type = own(block, 'type');
    if (type === 'rich_text') {
      out.add(richText(block, depth + 1, out));
      continue;
    }
    out.add(textObject(own(block, 'text')));
    for (const field of asArray(own(block, 'fields'))) out.add(textObject(field));
    if (type === 'context') for (const el of asArray(own(block, 'elements'))) out.add(textObject(el));
    // Legacy attachments may carry their own blocks.
    collectBlocks(own(block, 'blocks'), depth + 1, out);
  }
}

/** Flattens a Slack message (or anything pretending to be one) into plain text. */
export function collectSlackContent(msg: unknown): SlackContent {
  const content: SlackContent = { text: '', footers: [] };
  const out = new Collector();
  if (typeof msg === 'string') {
    out.add(msg);
  } else {
    out.add(own(msg, 'text'));
    collectAttachments(own(msg, 'attachments'), out, content);
    for (const a of asArray(own(msg, 'attachments'))) {
      if (out.full) break;
      collectBlocks(own(a, 'blocks'), 1, out);
    }
    collectBlocks(own(msg, 'blocks'), 0, out);
    const username = nonEmpty(own(msg, 'username'));
    if (username) content.username = username;
  }
  content.text = plainFromSlack(cleanText(out.result()));
  return content;
}
