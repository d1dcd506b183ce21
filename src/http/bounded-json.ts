// JSON from the outside world, with its nesting bounded before anything recurses over it.
// V8's JSON.parse copes with deep nesting, but everything after it does not: JSON.stringify
// (storing the raw body), zod, structuredClone and our own walkers recurse, and a body nested
// 200,000 levels deep ends in "Maximum call stack size exceeded": a 500 that Alertmanager and
// Slack retry forever. No sender we read needs more than a dozen levels (a Slack view's rich
// text is the deepest), so anything past MAX_JSON_DEPTH is refused at the door with a 400.

/** Deepest nesting of objects/arrays accepted from any door (the root object is depth 1). */
export const MAX_JSON_DEPTH = 64;

export type BoundedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Where `text` first nests deeper than `maxDepth`, or -1. One linear pass counting `[` and `{`
 * outside strings; it does not validate the JSON (JSON.parse does that next), so on broken
 * input it may give up early, never wrongly refuse valid JSON within the bound.
 */
export function jsonTooDeepAt(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  // Nesting deeper than maxDepth needs more than maxDepth opening brackets. Counting them with
  // indexOf (a native scan) is ~20x cheaper than the loop below, and settles most bodies (a
  // single alert, a Slack event) without it.
  let brackets = 0;
  for (let i = text.indexOf('{'); i >= 0 && brackets <= maxDepth; i = text.indexOf('{', i + 1)) brackets++;
  for (let i = text.indexOf('['); i >= 0 && brackets <= maxDepth; i = text.indexOf('[', i + 1)) brackets++;
  if (brackets <= maxDepth) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return -1;
}

/** JSON.parse with the nesting bounded first; the reason is ready for a 400 response. */
export function parseBoundedJson(text: string, maxDepth: number = MAX_JSON_DEPTH): BoundedJson {
  const at = jsonTooDeepAt(text, maxDepth);
  if (at >= 0) {
    return {
      ok: false,
      reason: `body is nested more than ${maxDepth} levels deep (at character ${at}); no alarm or Slack payload needs that`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `body is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Whether an already parsed value (e.g. a Socket Mode envelope, parsed by the Slack client)
 * nests deeper than `maxDepth`. Iterative, so the check itself cannot overflow the stack, and it
 * stops at the first node past the bound.
 */
export function valueTooDeep(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** "an object", "an array", "a string"… for reasons that say what arrived instead. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
