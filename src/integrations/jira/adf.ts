// Atlassian Document Format (ADF): tiny builders for what the bot writes into Jira, and the reverse
// conversion to wiki markup for Server/Data Center (REST v2 takes rich text as wiki markup strings).
// Only the node types the bot produces are built; `adfToText` also reads the common ones people write.
import type { Doc, Message } from '../../domain/message.js';

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: unknown[];
}

export type AdfNode = {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
};

/** ADF rejects empty text nodes, so empty text becomes an empty `content`. */
function textNodes(text: string, href?: string): AdfNode[] {
  if (text === '') return [];
  return [href ? { type: 'text', text, marks: [{ type: 'link', attrs: { href } }] } : { type: 'text', text }];
}

export function adfDoc(...blocks: AdfNode[]): AdfDocument {
  return { type: 'doc', version: 1, content: blocks };
}

/** A paragraph; with `link`, the whole text links to that URL. */
export function adfParagraph(text: string, link?: string): AdfNode {
  return { type: 'paragraph', content: textNodes(text, link) };
}

export function adfHeading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6 = 3): AdfNode {
  return { type: 'heading', attrs: { level }, content: textNodes(text) };
}

export function adfCodeBlock(text: string, language?: string): AdfNode {
  return { type: 'codeBlock', attrs: language ? { language } : {}, content: textNodes(text) };
}

export function adfBulletList(items: string[]): AdfNode {
  return {
    type: 'bulletList',
    content: items.map((item) => ({ type: 'listItem', content: [adfParagraph(item)] })),
  };
}

// Characters wiki markup would read as formatting (`*bold*`, `_italic_`, `{code}`, `[link|url]`, `-strike-`,
// `+under+`, `^sup^`, `~sub~`, `!image!`, tables `|`). Escaped so alarm text such as
// `disk_usage_high` or `[cluster-03]` stays literal when Jira renders the description.
const WIKI_SPECIAL = /[*_{}[\]|!^~+-]/g;

function escapeWiki(text: string): string {
  return text.replace(WIKI_SPECIAL, (c) => `\\${c}`);
}

function inline(nodes: AdfNode[] | undefined): string {
  return (nodes ?? []).map(inlineNode).join('');
}

function inlineNode(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return applyMarks(node);
    case 'hardBreak':
      return '\n';
    case 'mention':
      return String(node.attrs?.text ?? '@someone');
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard': {
      const url = String(node.attrs?.url ?? '');
      return url ? `[${url}]` : '';
    }
    default:
      // Unknown inline nodes keep their text rather than vanish.
      return node.text !== undefined ? escapeWiki(node.text) : inline(node.content);
  }
}

function applyMarks(node: AdfNode): string {
  const raw = node.text ?? '';
  const marks = node.marks ?? [];
  // Code spans are literal in wiki markup: no escaping inside `{{…}}`.
  if (marks.some((m) => m.type === 'code')) return `{{${raw}}}`;
  let out = escapeWiki(raw);
  for (const mark of marks) {
    if (mark.type === 'strong') out = `*${out}*`;
    else if (mark.type === 'em') out = `_${out}_`;
    else if (mark.type === 'strike') out = `-${out}-`;
    else if (mark.type === 'underline') out = `+${out}+`;
  }
  const link = marks.find((m) => m.type === 'link');
  const href = link?.attrs?.href;
  return typeof href === 'string' ? `[${out}|${href}]` : out;
}

function listItems(node: AdfNode, bullet: string): string {
  return (node.content ?? [])
    .map((item) => {
      const [first, ...rest] = item.content ?? [];
      const head = `${bullet} ${first ? block(first, bullet) : ''}`;
      // Nested lists deepen the bullet (`**`, `#*`), which is how wiki markup nests.
      const nested = rest.map((child) => block(child, bullet));
      return [head, ...nested].join('\n');
    })
    .join('\n');
}

function block(node: AdfNode, bullet = ''): string {
  switch (node.type) {
    case 'paragraph':
      return inline(node.content);
    case 'heading':
      return `h${Number(node.attrs?.level ?? 3)}. ${inline(node.content)}`;
    case 'codeBlock': {
      const language = node.attrs?.language;
      const open = typeof language === 'string' && language !== '' ? `{code:${language}}` : '{code}';
      return `${open}\n${(node.content ?? []).map((n) => n.text ?? '').join('')}\n{code}`;
    }
    case 'bulletList':
      return listItems(node, `${bullet}*`);
    case 'orderedList':
      return listItems(node, `${bullet}#`);
    case 'blockquote':
      return `{quote}\n${blocks(node.content)}\n{quote}`;
    case 'rule':
      return '----';
    case 'panel':
      return `{panel}\n${blocks(node.content)}\n{panel}`;
    default:
      return node.content ? blocks(node.content) : inlineNode(node);
  }
}

function blocks(nodes: AdfNode[] | undefined): string {
  return (nodes ?? []).map((n) => block(n)).join('\n\n');
}

/**
 * ADF → Jira wiki markup (what REST v2 takes for descriptions and comments). Blocks are separated by a
 * blank line; text is escaped so it renders literally; links become `[text|url]`, code `{code}`.
 */
export function adfToText(doc: AdfDocument): string {
  return blocks(doc.content as AdfNode[]);
}

/** Runs → ADF inline nodes. Mentions show `@Display Name` (Jira mentions need Atlassian ids). */
function runsToAdf(message: Message): AdfNode[] {
  const out: AdfNode[] = [];
  for (const r of message) {
    if ('text' in r) out.push(...splitLines(r.text));
    else if ('bold' in r && r.bold) out.push({ type: 'text', text: r.bold, marks: [{ type: 'strong' }] });
    else if ('code' in r && r.code) out.push({ type: 'text', text: r.code, marks: [{ type: 'code' }] });
    else if ('mention' in r) out.push({ type: 'text', text: `@${r.name ?? r.mention}` });
    else if ('link' in r && r.label)
      out.push({ type: 'text', text: r.label, marks: [{ type: 'link', attrs: { href: r.link } }] });
  }
  return out;
}

/** ADF text nodes cannot hold newlines: a line break is a hardBreak node. */
function splitLines(text: string): AdfNode[] {
  return text
    .split('\n')
    .flatMap((line, i) => [
      ...(i > 0 ? [{ type: 'hardBreak' }] : []),
      ...(line === '' ? [] : [{ type: 'text', text: line }]),
    ]);
}

/** The neutral document the port takes, rendered as ADF (wiki text is `adfToText` of this). */
export function docToAdf(d: Doc): AdfDocument {
  return adfDoc(
    ...d.blocks.map((b): AdfNode => {
      if ('heading' in b)
        return { type: 'heading', attrs: { level: b.level }, content: runsToAdf(b.heading) };
      if ('paragraph' in b) return { type: 'paragraph', content: runsToAdf(b.paragraph) };
      if ('bullets' in b)
        return {
          type: 'bulletList',
          content: b.bullets.map((m) => ({
            type: 'listItem',
            content: [{ type: 'paragraph', content: runsToAdf(m) }],
          })),
        };
      return adfCodeBlock(b.codeBlock);
    }),
  );
}
