// Environment: secrets and endpoints. Parsed from an injected object (never process.env at
// import time) so tests and the sandbox can pass their own, and every bad variable is
// reported at once. Secret values are never echoed in problems.
import { z } from 'zod';
import { formatZodIssues, type IssuePath } from './format.js';
import { isPlaceholder, placeholderMessage } from './placeholders.js';
import { TENANT_ID } from './schema.js';

export const DEFAULT_CONFIG_FILE = './config/opsbot.yaml';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SECRETS: ReadonlySet<string> = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'WEBHOOK_TOKENS',
  'JIRA_WEBHOOK_SECRET',
]);

// Messages name the expected prefix and say nothing about the value itself.
const token = (prefix: string, what: string) =>
  z.string().superRefine((value, ctx) => {
    const expected = `expected ${what} starting with ${prefix}`;
    if (!value.startsWith(prefix)) {
      ctx.addIssue({
        code: 'custom',
        message: `${expected}, found a value that does not start with ${prefix}`,
      });
    } else if (value.length === prefix.length) {
      ctx.addIssue({ code: 'custom', message: `${expected}, found only the prefix` });
    }
  });

const port = z
  .string()
  .regex(/^\d{1,5}$/, 'expected a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.int().max(65535, 'expected a whole number from 0 to 65535'));

/** `tenantId=token,tenantId2=token2` → { tokens, one reason per bad entry }; reasons never quote entries (they hold tokens). */
export function splitWebhookTokens(raw: string | undefined): {
  tokens: Record<string, string>;
  bad: Array<{ entry: number; why: string }>;
} {
  const tokens: Record<string, string> = {};
  const bad: Array<{ entry: number; why: string }> = [];
  (raw ?? '').split(',').forEach((entry, index) => {
    if (entry.trim() === '') return; // unset, or a trailing comma
    const eq = entry.indexOf('=');
    const tenant = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const token = eq < 0 ? undefined : entry.slice(eq + 1).trim(); // a token may contain '='
    const why = webhookEntryProblem(tenant, token, tokens);
    if (why === undefined && token !== undefined) tokens[tenant] = token;
    else bad.push({ entry: index + 1, why: why ?? "has no '='" });
  });
  return { tokens, bad };
}

const webhookTokens = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const { tokens, bad } = splitWebhookTokens(raw);
    for (const { entry, why } of bad) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `expected tenantId=token pairs separated by commas; entry ${entry} ${why}`,
        params: { omitFound: true },
      });
    }
    return tokens;
  });

function webhookEntryProblem(tenant: string, token: string | undefined, seen: Record<string, string>) {
  if (token === undefined) return "has no '='";
  if (!TENANT_ID.test(tenant)) return 'has a tenant id that is not a slug like nimbus';
  if (token === '') return 'has an empty token';
  if (isPlaceholder(token)) return 'has the example token from .env.example: set a long random secret';
  if (Object.hasOwn(seen, tenant)) return 'repeats a tenant id given earlier';
  return undefined;
}

const EnvSchema = z.object({
  SLACK_MODE: z
    .enum(['socket', 'http'])
    .prefault('socket')
    .describe(
      'How Slack reaches the bot: socket (Socket Mode, no public URL needed) or http (Events API over HTTPS).',
    ),
  SLACK_BOT_TOKEN: token('xoxb-', 'a bot token').describe(
    "Bot User OAuth token (xoxb-…) from the Slack app's OAuth & Permissions page.",
  ),
  SLACK_APP_TOKEN: token('xapp-', 'an app-level token')
    .optional()
    .describe('App-level token (xapp-…) with connections:write; needed for Socket Mode.'),
  SLACK_SIGNING_SECRET: z
    .string()
    .optional()
    .describe("Signing secret from the Slack app's Basic Information page; verifies HTTP requests."),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL like https://slack.com/api/' })
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .prefault('https://slack.com/api/')
    .describe('Base URL of the Slack Web API; point it at the sandbox stand-in in tests.'),
  PORT: port
    .prefault('3000')
    .describe('TCP port of the HTTP server (Slack events in http mode, webhooks, health).'),
  HOST: z.string().prefault('0.0.0.0').describe('Interface the HTTP server binds to.'),
  DATABASE_PATH: z.string().prefault('./data/opsbot.db').describe('Path of the SQLite database file.'),
  CONFIG_FILE: z
    .string()
    .prefault(DEFAULT_CONFIG_FILE)
    .describe('YAML file with staff, job tuning and tenants; see config/opsbot.example.yaml.'),
  LOG_LEVEL: z.enum(LOG_LEVELS).prefault('info').describe('Minimum log level.'),
  LOG_PRETTY: z
    .stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] })
    .prefault('false')
    .describe('Human-readable logs instead of JSON lines: true/false/1/0.'),
  JIRA_WEBHOOK_SECRET: z
    .string()
    .min(16, 'expected a secret of at least 16 characters')
    .optional()
    .describe('Shared secret of the Jira webhook (POST /webhooks/jira); unset disables that webhook.'),
  WEBHOOK_TOKENS: webhookTokens.describe(
    'Per-tenant bearer tokens for inbound webhooks, as tenantId=token,tenantId2=token2.',
  ),
});

type EnvBase = z.output<typeof EnvSchema>;
type SlackModeFields =
  | { SLACK_MODE: 'socket'; SLACK_APP_TOKEN: string; SLACK_SIGNING_SECRET?: string }
  | { SLACK_MODE: 'http'; SLACK_SIGNING_SECRET: string; SLACK_APP_TOKEN?: string };
/** Parsed environment; the Slack mode decides which of the two Slack secrets is guaranteed. */
export type Env = Omit<EnvBase, keyof SlackModeFields> & SlackModeFields;
export type EnvName = keyof EnvBase;

export type ParseEnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

// Which variable each mode needs; kept outside zod so it is checked even when other fields fail.
const NEEDED_BY_MODE = {
  socket: { name: 'SLACK_APP_TOKEN', what: 'an app-level token starting with xapp-' },
  http: { name: 'SLACK_SIGNING_SECRET', what: "the Slack app's signing secret" },
} as const;

const REQUIRED: Record<EnvName, string> = {
  SLACK_MODE: 'no',
  SLACK_BOT_TOKEN: 'yes',
  SLACK_APP_TOKEN: 'when SLACK_MODE=socket',
  SLACK_SIGNING_SECRET: 'when SLACK_MODE=http',
  SLACK_API_URL: 'no',
  PORT: 'no',
  HOST: 'no',
  DATABASE_PATH: 'no',
  CONFIG_FILE: 'no',
  LOG_LEVEL: 'no',
  LOG_PRETTY: 'no',
  WEBHOOK_TOKENS: 'no',
  JIRA_WEBHOOK_SECRET: 'no',
};

export function parseEnv(env: Record<string, string | undefined>): ParseEnvResult {
  // Only our variables, trimmed; an empty value (`PORT=` in .env) counts as unset.
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(EnvSchema.shape)) {
    const value = env[name]?.trim();
    input[name] = value === '' ? undefined : value;
  }
  const parsed = EnvSchema.safeParse(input);
  // A variable still holding the example value gets one line saying so, instead of (or besides
  // no) format complaints: "xoxb-your-bot-token" has the right prefix and would otherwise pass.
  const placeholders = new Set(Object.keys(input).filter((name) => isPlaceholder(input[name])));
  const issues: z.core.$ZodIssue[] = (parsed.success ? [] : parsed.error.issues).filter(
    (issue) => !placeholders.has(String(issue.path[0])),
  );
  for (const name of placeholders) {
    issues.push({
      code: 'custom',
      path: [name],
      message: placeholderMessage(firstSentence(EnvSchema.shape[name as EnvName].description)),
      input: undefined,
      params: { omitFound: true },
    });
  }

  const mode = input.SLACK_MODE ?? 'socket';
  const needed = mode === 'socket' || mode === 'http' ? NEEDED_BY_MODE[mode] : undefined;
  if (needed && input[needed.name] === undefined) {
    issues.push({
      code: 'custom',
      path: [needed.name],
      message: `required when SLACK_MODE=${mode}${mode === 'socket' ? ' (the default)' : ''}: set ${needed.what}`,
      input: undefined,
    });
  }

  if (!parsed.success || issues.length > 0) {
    const isSecret = (path: IssuePath) => SECRETS.has(String(path[0]));
    return { ok: false, problems: formatZodIssues(issues, { input, schema: EnvSchema, isSecret }) };
  }
  return { ok: true, env: withSlackMode(parsed.data) };
}

/** "Bot User OAuth token (xoxb-…) from the page; more." → "Bot User OAuth token (xoxb-…) from the page". */
function firstSentence(description: string | undefined): string | undefined {
  return (
    description
      ?.split(/(?<=\.)\s|;/)[0]
      ?.replace(/\.$/, '')
      .trim() || undefined
  );
}

function withSlackMode(base: EnvBase): Env {
  const { SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, ...rest } = base;
  if (base.SLACK_MODE === 'socket' && SLACK_APP_TOKEN !== undefined) {
    return { ...rest, SLACK_MODE: 'socket', SLACK_APP_TOKEN, SLACK_SIGNING_SECRET };
  }
  if (base.SLACK_MODE === 'http' && SLACK_SIGNING_SECRET !== undefined) {
    return { ...rest, SLACK_MODE: 'http', SLACK_SIGNING_SECRET, SLACK_APP_TOKEN };
  }
  // parseEnv checks the mode's variable before calling us; reaching here is a bug.
  throw new Error(`withSlackMode: ${base.SLACK_MODE} mode without its token`);
}

export interface EnvDescription {
  name: EnvName;
  description: string;
  default?: string;
  /** "yes", "no" or a condition such as "when SLACK_MODE=socket". */
  required: string;
  secret: boolean;
}

/** One row per variable, for the README and .env.example (and a test that keeps them in sync). */
export function envDescriptions(): EnvDescription[] {
  return (Object.keys(EnvSchema.shape) as EnvName[]).map((name) => {
    const field = EnvSchema.shape[name];
    const fallback = defaultOf(field);
    return {
      name,
      description: field.description ?? '',
      ...(fallback === undefined ? {} : { default: fallback }),
      required: REQUIRED[name],
      secret: SECRETS.has(name),
    };
  });
}

// The defaults live in the schema (.prefault) so there is one source; read them back for the docs.
function defaultOf(field: z.ZodType): string | undefined {
  const def = field._zod.def as { type: string; defaultValue?: unknown };
  return def.type === 'prefault' ? String(def.defaultValue) : undefined;
}
