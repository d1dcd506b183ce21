// Silences: "do not page for alarms matching these labels until T". Alertmanager semantics
// (matchers, expiry), plus a tenant scope so a silence typed in one customer's channel can never
// mute another customer's alarms. Pure: `now` is passed in.
import { formatDuration, parseDuration } from '../clock.js';
import { joinQuotedTokens, type Matcher, matchesAll, matchesValue, parseMatcher } from './matchers.js';

export interface Silence {
  id: string;
  /** Scope: only this tenant's alarms; null = every tenant (staff-wide silence). */
  tenantId: string | null;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  reason: string;
}

export const MIN_SILENCE_MS = 60_000;
export const MAX_SILENCE_MS = 30 * 86_400_000;
export const MAX_SILENCE_REASON = 500;
const MAX_MATCHERS = 20;

export const SILENCE_USAGE = 'silence <matchers…> <duration> [reason…]';
// Examples are the words after `/opsbot` (the command listener prints them as `/opsbot <example>`),
// and a test runs each through the real tokenizer and parser.
export const SILENCE_EXAMPLE = 'silence cluster=sjc-obj-01 alertname=DNODE_DOWN 2h planned D-node swap';
export const SILENCE_QUOTED_EXAMPLE =
  'silence cluster=sjc-obj-01 alertname=~"DNODE_.*|CNODE_.*" 4h rack move';

/**
 * Active from startsAt (inclusive) to endsAt (exclusive). Alertmanager keeps a silence active at
 * endsAt itself; we use a half-open window so a "2h" silence lasts exactly 2h and a job that runs
 * at endsAt (the re-notify check) already sees it expired.
 */
export function isActive(s: Silence, now: number): boolean {
  return s.startsAt <= now && now < s.endsAt;
}

/**
 * The active silence that covers these labels, if any. With several, the one that ends last is
 * returned: it is the one that decides when the alarm will page again.
 */
export function findSilence(
  silences: readonly Silence[],
  labels: Record<string, string>,
  now: number,
): Silence | undefined {
  let found: Silence | undefined;
  for (const s of silences) {
    if (!isActive(s, now)) continue;
    if (s.tenantId !== null && labels.tenant !== s.tenantId) continue;
    // An empty matcher list would match everything; parseSilenceCommand never creates one, and a
    // stored one is treated as broken rather than as "silence the world".
    if (s.matchers.length === 0) continue;
    if (!matchesAll(s.matchers, labels)) continue;
    if (!found || s.endsAt > found.endsAt) found = s;
  }
  return found;
}

export type ParseSilenceResult =
  | { ok: true; matchers: Matcher[]; durationMs: number; reason: string; endsAt: number }
  /** `example` is a valid command line after `/opsbot`, e.g. `silence cluster=sjc-obj-01 2h`. */
  | { ok: false; problem: string; example: string };

/**
 * Parses the words after `/opsbot silence`: matchers first, then a duration (1m…30d), then an
 * optional free-text reason. `endsAt` is `now + durationMs`, for the confirmation message.
 */
export function parseSilenceCommand(args: string[], now: number): ParseSilenceResult {
  const fail = (problem: string, example = SILENCE_EXAMPLE): ParseSilenceResult => ({
    ok: false,
    problem,
    example,
  });
  const words = joinQuotedTokens(args).filter((w) => w.trim() !== '');
  if (words.length === 0) return fail('Say what to silence and for how long.');
  if (parseDuration(words[0] as string) !== undefined) {
    return fail('Start with at least one matcher (label=value), then the duration.');
  }

  const matchers: Matcher[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (parseDuration(word) !== undefined) break;
    const parsed = parseMatcher(word);
    if (!parsed.ok) {
      const looksLikeMatcher = /[=~]/.test(word);
      return fail(
        looksLikeMatcher
          ? parsed.problem
          : `\`${word}\` is neither a matcher (label=value) nor a duration like 30m, 2h or 1d.`,
        // A quoting or regex mistake is best answered with an example that has a (quoted) regex.
        word.includes('"') || /^\w+[=!]~/.test(word) ? SILENCE_QUOTED_EXAMPLE : SILENCE_EXAMPLE,
      );
    }
    matchers.push(parsed.matcher);
  }
  if (matchers.length > MAX_MATCHERS) return fail(`Use at most ${MAX_MATCHERS} matchers.`);

  const durationWord = words[i];
  if (durationWord === undefined) return fail('Add how long to silence after the matchers, e.g. 2h.');
  const durationMs = parseDuration(durationWord) as number;
  if (durationMs < MIN_SILENCE_MS || durationMs > MAX_SILENCE_MS) {
    const side = durationMs < MIN_SILENCE_MS ? 'too short' : 'too long';
    return fail(
      `A silence lasts between 1 minute and 30 days; ${durationWord} (${formatDuration(durationMs)}) is ${side}.`,
    );
  }

  if (matchesEverything(matchers)) {
    return fail(
      'These matchers would silence every alarm. Add one that names something specific, ' +
        'like cluster=sjc-obj-01 or alertname=DNODE_DOWN.',
    );
  }

  const reason = words
    .slice(i + 1)
    .join(' ')
    .trim();
  if (reason.length > MAX_SILENCE_REASON) {
    return fail(`Keep the reason under ${MAX_SILENCE_REASON} characters (it is ${reason.length}).`);
  }
  return { ok: true, matchers, durationMs, reason, endsAt: now + durationMs };
}

// Values a label can plausibly hold; a matcher that accepts all of them restricts nothing.
const PROBES = ['x', 'sjc-obj-01', 'DNODE_DOWN', 'sev1', '0', 'two words', 'Z'.repeat(64)];

/**
 * True when no matcher restricts anything. Alertmanager requires at least one matcher that does
 * not match the empty string; we also treat a matcher that accepts every probe value
 * (`alertname=~.+`) as unrestrictive, because every alarm has an alertname.
 */
export function matchesEverything(matchers: readonly Matcher[]): boolean {
  return matchers.every((m) => matchesValue(m, '') || PROBES.every((p) => matchesValue(m, p)));
}
