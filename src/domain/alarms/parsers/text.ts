// Text hygiene shared by every parser. Alarm text comes from machines we do not control
// and from Slack markup; we bound its size first (a 5 MB paste must not stall the intake)
// and strip what would corrupt logs, Slack replies or SQLite text (control characters,
// bidi controls, lone UTF-16 surrogates). `cleanAlarm` (clean-alarm.ts) applies it to every
// field of every door's result.

/** Parsers only look at this many characters of input text (64 KiB). */
export const MAX_INPUT_CHARS = 64 * 1024;
/** Summaries kept on a parsed alarm; longer ones are cut with an ellipsis. */
export const MAX_SUMMARY_CHARS = 1000;
/** The excerpt an unparseable message is remembered by. */
export const MAX_EXCERPT_CHARS = 200;

// C0/C1 controls except \n and \t, plus lone surrogates (a high one not followed by a low one,
// or a low one not preceded by a high one).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Bidirectional formatting controls (ALM, LRM/RLM, the embeddings and overrides U+202A–U+202E,
// the isolates U+2066–U+2069): invisible, they make `dnode-3` display as something else in
// Slack and in logs ("Trojan Source"). Alarm text never needs them.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Everything `stripControls` removes, for checks that nothing slipped through.
export const UNSAFE_CHAR = new RegExp(`${CONTROL.source}|${BIDI.source}|${LONE_SURROGATE.source}`);

/**
 * A character past ASCII that no pattern below touches: not a C1 control, bidi control,
 * surrogate (paired or not: the slow path decides) or anything `\s` matches. Errs on the side
 * of "no": such text just takes the regex path.
 */
function isQuiet(c: number): boolean {
  return !(
    c <= 0xa0 ||
    c === 0x061c ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202f) ||
    c === 0x205f ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x3000 ||
    c === 0xfeff ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

/**
 * Whether no control, bidi control or surrogate is in the text (tabs and newlines allowed):
 * then the hygiene functions below return it as it is. Nearly all alarm text is like that, and
 * one loop is far cheaper than three regex replacements per field.
 */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a : c > 0x7e && !isQuiet(c)) return false;
  }
  return true;
}

/** Plain text with single inner spaces and no other whitespace: what `oneLine` hands back as is. */
function isOnePlainLine(text: string): boolean {
  if (text.length === 0) return true;
  if (text.charCodeAt(0) === 0x20 || text.charCodeAt(text.length - 1) === 0x20) return false;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c === 0x20 && space) || (c > 0x7e && !isQuiet(c))) return false;
    space = c === 0x20;
  }
  return true;
}

/** Cuts at `max` code units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * Removes control characters, bidi controls and broken surrogates; keeps newlines and tabs.
 * Free text: a control becomes a space, so `a\u0000b` stays two words.
 */
export function cleanText(text: string): string {
  if (text.length <= MAX_INPUT_CHARS && isPlain(text)) return text;
  return clip(text, MAX_INPUT_CHARS).replace(LONE_SURROGATE, '').replace(BIDI, '').replace(CONTROL, ' ');
}

/** Removes every character `UNSAFE_CHAR` matches (for identifiers and labels: nothing is inserted). */
export function stripControls(text: string): string {
  if (isPlain(text)) return text;
  return text.replace(LONE_SURROGATE, '').replace(BIDI, '').replace(CONTROL, '');
}

/** One readable line of at most `max` characters (an ellipsis marks a cut). */
export function oneLine(text: string, max: number = MAX_SUMMARY_CHARS): string {
  if (text.length <= max && text.length <= MAX_INPUT_CHARS && isOnePlainLine(text)) return text;
  const flat = cleanText(text)
    .replace(/[\s\u00a0\u2028\u2029]+/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  return `${clip(flat, max - 1).trimEnd()}…`;
}

/**
 * Slack mrkdwn to plain text: links become their label, entities are decoded, bold and
 * code marks go. Underscores stay: alarm names are UPPER_SNAKE and italics are rare.
 */
export function plainFromSlack(text: string): string {
  return text
    .replace(/<([^<>|\n]{1,2000})\|([^<>\n]{0,2000})>/g, (_m, target: string, label: string) =>
      label.trim() ? label : target,
    )
    .replace(/<([@#!]?)([^<>\n]{1,2000})>/g, (_m, sigil: string, body: string) => `${sigil}${body}`)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[*`~]+/g, '')
    .replace(/\u00a0/g, ' ');
}

/** Returns the value when it is a non-empty string after trimming. */
export function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Own-property read that never reaches the prototype (`__proto__`, `constructor`). */
export function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
