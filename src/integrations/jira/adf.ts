// Atlassian Document Format (ADF): tiny builders for what the bot writes into Jira, and the reverse
// conversion to wiki markup for Server/Data Center (REST v2 takes rich text as wiki markup strings).
// Only the node types the bot produces are built; `adfToText` also reads the common ones people write.
import type { AdfDocument } from '../ports.js';

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
