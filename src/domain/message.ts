// Structured messages: what services say, without saying it in any one system's markup.
// Slack gets mrkdwn (with what people typed escaped), Jira gets ADF or wiki text, Salesforce
// plain text; each edge renders. A message is a list of runs; lines are "\n" inside text runs.

export type Run =
  | { text: string }
  | { bold: string }
  | { code: string }
  /** A person: Slack renders a mention; other systems show `@Display Name` (or the id). */
  | { mention: string; name?: string }
  | { link: string; label: string }
  /** A Slack emoji name without colons, e.g. `warning`; other systems leave it out. */
  | { emoji: string };

export type Message = Run[];

/** Anything a message can be built from: plain strings are text runs. */
export type Part = string | Run | Part[] | undefined | false | null;

/** Builds a message from parts: `msg(emoji('warning'), ' Could not open ', bold(ref))`. */
export function msg(...parts: Part[]): Message {
  const out: Message = [];
  for (const part of parts) {
    if (part === undefined || part === false || part === null || part === '') continue;
    if (typeof part === 'string') out.push({ text: part });
    else if (Array.isArray(part)) out.push(...msg(...part));
    else out.push(part);
  }
  return out;
}

export const bold = (text: string): Run => ({ bold: text });
export const code = (text: string): Run => ({ code: text });
export const mention = (userId: string): Run => ({ mention: userId });
export const link = (url: string, label: string): Run => ({ link: url, label });
export const emoji = (name: string): Run => ({ emoji: name });

/** Joins messages with a separator (e.g. lines with "\n"). */
export function join(messages: Message[], separator: string): Message {
  return messages.flatMap((m, i) => (i === 0 ? m : [{ text: separator }, ...m]));
}

/** The user ids mentioned in a message (edges that show names look them up). */
export function mentionedUsers(message: Message): string[] {
  return [...new Set(message.flatMap((r) => ('mention' in r ? [r.mention] : [])))];
}

/** Fills in display names for mentions (`names` maps user id → name; unknown ids stay ids). */
export function withNames(message: Message, names: ReadonlyMap<string, string>): Message {
  return message.map((r) =>
    'mention' in r && names.has(r.mention) ? { ...r, name: names.get(r.mention) } : r,
  );
}

/**
 * Plain text for systems without markup (Salesforce comments, logs, the stored timeline text):
 * mentions read `@Name` (or `@U123` without a name), links `label (url)`, emoji are dropped.
 */
export function plainText(message: Message): string {
  return message
    .map((r) => {
      if ('text' in r) return r.text;
      if ('bold' in r) return r.bold;
      if ('code' in r) return r.code;
      if ('mention' in r) return `@${r.name ?? r.mention}`;
      if ('link' in r) return r.label === r.link ? r.link : `${r.label} (${r.link})`;
      return '';
    })
    .join('')
    .replace(/^ +/, '');
}

/** Is this value a message (as stored in JSON)? Used where old rows hold plain strings. */
export function isMessage(value: unknown): value is Message {
  return (
    Array.isArray(value) &&
    value.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && Object.keys(r).length > 0)
  );
}

/**
 * Reads Slack mrkdwn that a person wrote (a thread message sent to Jira, say) back into runs:
 * `<@U…>` mentions, `<url|label>` links, `<#C…|name>` channels and `<!here>` as text, and the
 * `&amp;` `&lt;` `&gt;` escapes undone, so other systems show what the person saw.
 */
export function fromMrkdwn(text: string): Message {
  const out: Message = [];
  const unescapeMrkdwn = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let last = 0;
  for (const m of text.matchAll(/<([^<>]+)>/g)) {
    if (m.index > last) out.push({ text: unescapeMrkdwn(text.slice(last, m.index)) });
    last = m.index + m[0].length;
    const [target = '', label] = (m[1] as string).split('|', 2);
    if (target.startsWith('@')) out.push({ mention: target.slice(1) });
    else if (target.startsWith('#')) out.push({ text: `#${unescapeMrkdwn(label ?? target.slice(1))}` });
    else if (target.startsWith('!'))
      out.push({ text: `@${unescapeMrkdwn(label ?? target.slice(1).split('^')[0] ?? '')}` });
    else out.push({ link: unescapeMrkdwn(target), label: unescapeMrkdwn(label ?? target) });
  }
  if (last < text.length) out.push({ text: unescapeMrkdwn(text.slice(last)) });
  return out;
}

/** A neutral rich document (Jira descriptions): blocks of runs, rendered to ADF or wiki text. */
export type DocBlock =
  | { heading: Message; level: 1 | 2 | 3 | 4 | 5 | 6 }
  | { paragraph: Message }
  | { bullets: Message[] }
  | { codeBlock: string };

export interface Doc {
  blocks: DocBlock[];
}

export const doc = (...blocks: DocBlock[]): Doc => ({ blocks });

/** The mentions of every block of a document. */
export function docMentions(d: Doc): string[] {
  const runs = d.blocks.flatMap((b) =>
    'heading' in b ? b.heading : 'paragraph' in b ? b.paragraph : 'bullets' in b ? b.bullets.flat() : [],
  );
  return mentionedUsers(runs);
}

/** Fills in display names in every block of a document. */
export function docWithNames(d: Doc, names: ReadonlyMap<string, string>): Doc {
  return {
    blocks: d.blocks.map((b) => {
      if ('heading' in b) return { ...b, heading: withNames(b.heading, names) };
      if ('paragraph' in b) return { paragraph: withNames(b.paragraph, names) };
      if ('bullets' in b) return { bullets: b.bullets.map((m) => withNames(m, names)) };
      return b;
    }),
  };
}
