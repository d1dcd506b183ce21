import { type Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/logger';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_KEY = /(token|secret|password|passwd|authorization|api[-_]?key|cookie|client[-_]?assertion)/i;
// Slack tokens (xoxb-, xoxp-, xapp-, ...), bearer credentials and basic-auth in URLs.
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[REDACTED]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[REDACTED]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  [/(\/\/[^:/\s]+:)[^@/\s]+@/g, '$1[REDACTED]@'],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** Deep copy with secret-looking keys blanked and token-looking strings masked. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactText(value.message),
      stack: value.stack && redactText(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && v !== undefined && v !== null ? '[REDACTED]' : redactSecrets(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  destination?: DestinationStream;
}

export function createLogger({ level = 'info', pretty = false, destination }: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'vaas-opsbot' },
    formatters: { log: (obj) => redactSecrets(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}

const TO_SLACK_LEVEL: Record<string, SlackLogLevel> = {
  trace: SlackLogLevel.DEBUG,
  debug: SlackLogLevel.DEBUG,
  info: SlackLogLevel.INFO,
  warn: SlackLogLevel.WARN,
  error: SlackLogLevel.ERROR,
  fatal: SlackLogLevel.ERROR,
  silent: SlackLogLevel.ERROR,
};

/** Bolt, WebClient and SocketModeClient log through this adapter, so their output is JSON and redacted too. */
export function slackLoggerFrom(logger: Logger, name: string): SlackLogger {
  let child = logger.child({ component: name });
  const fmt = (msgs: unknown[]) =>
    msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(redactSecrets(m)))).join(' ');
  return {
    debug: (...msgs) => child.debug(fmt(msgs)),
    info: (...msgs) => child.info(fmt(msgs)),
    warn: (...msgs) => child.warn(fmt(msgs)),
    error: (...msgs) => child.error(fmt(msgs)),
    setLevel: () => {
      // Level is owned by LOG_LEVEL; Bolt calling setLevel must not override it.
    },
    getLevel: () => TO_SLACK_LEVEL[logger.level] ?? SlackLogLevel.INFO,
    setName: (n) => {
      child = logger.child({ component: n });
    },
  };
}
