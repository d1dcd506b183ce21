// Values that still read like the examples in .env.example. An unedited copy of the example used
// to pass validation (xoxb-your-bot-token has the right prefix) and the bot then retried Slack
// forever with a token Slack could never accept; refusing these at start turns that into one line.
//
// The patterns are deliberately narrow (anchored, whole-value or prefix forms) so a real secret
// can never match by accident: Slack tokens continue with digits after `xoxb-`, generated secrets
// are hex or base64 and never start with "your-". test/unit/config/placeholders.test.ts reads
// .env.example and fails when one of its example values is not recognised here, so the two cannot
// drift apart.

const PLACEHOLDERS: readonly RegExp[] = [
  // xoxb-your-bot-token, xapp-your-app-token, your-signing-secret, your_api_token, your-email@…
  /^(?:xox[a-z]-|xapp-)?your[-_.]/i,
  // https://your-org.my.salesforce.com, https://your-site.atlassian.net
  /^https?:\/\/your[-_.]/i,
  // change-me, changeme, change_me (whole value only: a real password may contain the words)
  /^change[-_]?me$/i,
  // <your token>, <bot-token>
  /^<[^<>]+>$/,
  // the usual fill-me-in markers, as the whole value
  /^(?:todo|fixme|tbd|replace[-_]?me|fill[-_]?me[-_]?in|x{3,}|\.{3}|…)$/i,
];

/** True when `value` (trimmed) is an example value that was never replaced by a real one. */
export function isPlaceholder(value: string | undefined): boolean {
  const text = value?.trim();
  if (!text) return false;
  return PLACEHOLDERS.some((pattern) => pattern.test(text));
}

/** The problem line for a variable still holding a placeholder; never echoes the value. */
export function placeholderProblem(name: string, what?: string): string {
  return `${name}: ${placeholderMessage(what)}`;
}

/** The same, without the variable name (for callers whose formatter adds it). */
export function placeholderMessage(what?: string): string {
  return `still holds the example value from .env.example; replace it with the real value${
    what ? ` — ${what}` : ', or leave it empty if that feature is not used'
  }`;
}

/**
 * One problem per variable in `names` whose value is a placeholder, in the order given.
 * Used for the integration variables (SALESFORCE_*, JIRA_*, <site>_*), which have no zod schema.
 */
export function placeholderProblems(
  env: Record<string, string | undefined>,
  names: Iterable<string>,
): string[] {
  const problems: string[] = [];
  for (const name of names) if (isPlaceholder(env[name])) problems.push(placeholderProblem(name));
  return problems;
}
