import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envDescriptions, parseEnv } from '../../../src/config/env.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef', SLACK_APP_TOKEN: 'xapp-1-A111-222-abc' };

function problemsOf(env: Record<string, string | undefined>): string[] {
  const result = parseEnv(env);
  if (result.ok) throw new Error('expected problems, got a valid env');
  return result.problems;
}

describe('parseEnv', () => {
  it('applies the defaults in socket mode', () => {
    const result = parseEnv(minimal);
    expect(result).toEqual({
      ok: true,
      env: {
        SLACK_MODE: 'socket',
        SLACK_BOT_TOKEN: minimal.SLACK_BOT_TOKEN,
        SLACK_APP_TOKEN: minimal.SLACK_APP_TOKEN,
        SLACK_SIGNING_SECRET: undefined,
        SLACK_API_URL: 'https://slack.com/api/',
        PORT: 3000,
        HOST: '0.0.0.0',
        DATABASE_PATH: './data/opsbot.db',
        CONFIG_FILE: './config/opsbot.yaml',
        LOG_LEVEL: 'info',
        LOG_PRETTY: false,
        WEBHOOK_TOKENS: {},
      },
    });
  });

  it('treats empty and blank values as unset and ignores unrelated variables', () => {
    const result = parseEnv({ ...minimal, PORT: '', LOG_LEVEL: '  ', PATH: '/usr/bin' });
    expect(result.ok && result.env.PORT).toBe(3000);
    expect(result.ok && result.env.LOG_LEVEL).toBe('info');
    expect(result.ok && 'PATH' in result.env).toBe(false);
  });

  it('parses explicit values', () => {
    const result = parseEnv({
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-abc',
      SLACK_SIGNING_SECRET: 'shhh',
      SLACK_API_URL: 'http://127.0.0.1:4010/api',
      PORT: '0',
      LOG_LEVEL: 'debug',
      LOG_PRETTY: '1',
      WEBHOOK_TOKENS: 'nimbus=tok-one, helix-ai=tok-two,',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.SLACK_MODE).toBe('http');
    if (result.env.SLACK_MODE === 'http') expect(result.env.SLACK_SIGNING_SECRET).toBe('shhh');
    expect(result.env.SLACK_API_URL).toBe('http://127.0.0.1:4010/api/');
    expect(result.env.PORT).toBe(0);
    expect(result.env.LOG_PRETTY).toBe(true);
    expect(result.env.WEBHOOK_TOKENS).toEqual({ nimbus: 'tok-one', 'helix-ai': 'tok-two' });
  });

  it('parses WEBHOOK_TOKENS strictly: tokens may contain =, tenant ids are slugs and unique', () => {
    const ok = parseEnv({ ...minimal, WEBHOOK_TOKENS: 'constructor=a=b,nimbus=c' });
    expect(ok.ok && ok.env.WEBHOOK_TOKENS).toEqual({ constructor: 'a=b', nimbus: 'c' });
    expect(problemsOf({ ...minimal, WEBHOOK_TOKENS: 'nimbus=one,Nimbus=two,nimbus=three' })).toEqual([
      'WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 2 has a tenant id that is not a slug like nimbus',
      'WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 3 repeats a tenant id given earlier',
    ]);
  });

  it.each(['true', 'TRUE', '1'])('LOG_PRETTY=%s is true', (value) => {
    const result = parseEnv({ ...minimal, LOG_PRETTY: value });
    expect(result.ok && result.env.LOG_PRETTY).toBe(true);
  });

  it.each(['abc', '3000x', '70000', '-1', '3.5', '1e3'])('rejects PORT=%s without a silent NaN', (port) => {
    const problems = problemsOf({ ...minimal, PORT: port });
    expect(problems).toEqual([`PORT: expected a whole number from 0 to 65535, found "${port}"`]);
  });

  it.each(['0', '65535', '8080'])('accepts PORT=%s', (port) => {
    const result = parseEnv({ ...minimal, PORT: port });
    expect(result.ok && result.env.PORT).toBe(Number(port));
  });

  it('reports every bad variable at once, one line each, naming the variable', () => {
    const problems = problemsOf({
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-bot',
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      LOG_PRETTY: 'yes',
      SLACK_API_URL: 'ftp://slack.example',
    });
    expect(problems).toHaveLength(6);
    for (const name of [
      'SLACK_BOT_TOKEN',
      'PORT',
      'LOG_LEVEL',
      'LOG_PRETTY',
      'SLACK_API_URL',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name}: `))).toBe(true);
    }
    expect(problems).toContain(
      'LOG_LEVEL: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", found "loud"',
    );
    expect(problems).toContain(
      "SLACK_SIGNING_SECRET: required when SLACK_MODE=http: set the Slack app's signing secret",
    );
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('requires the token of the chosen mode, even when other fields fail too', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'x' })).toEqual([
      'PORT: expected a whole number from 0 to 65535, found "x"',
      'SLACK_APP_TOKEN: required when SLACK_MODE=socket (the default): set an app-level token starting with xapp-',
    ]);
    expect(problemsOf({})[0]).toMatch(/^SLACK_BOT_TOKEN: required but missing \(Bot User OAuth token/);
  });

  it('never echoes a secret value', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-very-secret-user-token',
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      WEBHOOK_TOKENS: 'nimbus=super-secret-hook,no-equals-secret,helix-ai=',
    };
    const problems = problemsOf({ ...secrets, SLACK_MODE: 'socket' });
    expect(problems).toEqual([
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-, found a value that does not start with xoxb-',
      'SLACK_APP_TOKEN: expected an app-level token starting with xapp-, found a value that does not start with xapp-',
      "WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 2 has no '='",
      'WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 3 has an empty token',
    ]);
    const text = problems.join('\n');
    for (const part of ['very-secret', 'not-an-app', 'super-secret-hook', 'no-equals-secret']) {
      expect(text).not.toContain(part);
    }
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-, found only the prefix',
    ]);
  });

  it('refuses example values from .env.example with one line per variable, instead of format complaints', () => {
    expect(
      problemsOf({
        SLACK_BOT_TOKEN: 'xoxb-your-bot-token', // right prefix: passed before, then Slack said invalid_auth forever
        SLACK_MODE: 'http',
        SLACK_SIGNING_SECRET: 'your-signing-secret',
        JIRA_WEBHOOK_SECRET: 'change-me', // also too short: still one line
        WEBHOOK_TOKENS: 'nimbus=change-me,helix-ai=a-real-long-token',
      }),
    ).toEqual([
      'WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 1 has the example token from .env.example: set a long random secret',
      "SLACK_BOT_TOKEN: still holds the example value from .env.example; replace it with the real value — Bot User OAuth token (xoxb-…) from the Slack app's OAuth & Permissions page",
      "SLACK_SIGNING_SECRET: still holds the example value from .env.example; replace it with the real value — Signing secret from the Slack app's Basic Information page",
      'JIRA_WEBHOOK_SECRET: still holds the example value from .env.example; replace it with the real value — Shared secret of the Jira webhook (POST /webhooks/jira)',
    ]);
  });

  it('never echoes any malformed token (property)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9=,-]{12,40}$/).filter((t) => !t.startsWith('xoxb-'));
    fc.assert(
      fc.property(token, token, (bot, hooks) => {
        const result = parseEnv({ SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: 'xapp-1', WEBHOOK_TOKENS: hooks });
        if (result.ok) return;
        const text = result.problems.join('\n');
        expect(text).not.toContain(bot);
        for (const piece of hooks.split(/[=,]/).filter((p) => p.length >= 8))
          expect(text).not.toContain(piece);
      }),
    );
  });
});

describe('envDescriptions', () => {
  it('describes every variable, and its defaults are the ones parseEnv applies', () => {
    const rows = envDescriptions();
    expect(rows.map((r) => r.name)).toEqual([
      'SLACK_MODE',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'PORT',
      'HOST',
      'DATABASE_PATH',
      'CONFIG_FILE',
      'LOG_LEVEL',
      'LOG_PRETTY',
      'JIRA_WEBHOOK_SECRET',
      'WEBHOOK_TOKENS',
    ]);
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    const parsed = parseEnv(minimal);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    for (const row of rows.filter((r) => r.default !== undefined)) {
      expect(String(parsed.env[row.name as keyof typeof parsed.env])).toBe(row.default);
    }
    expect(rows.find((r) => r.name === 'SLACK_BOT_TOKEN')).toMatchObject({ required: 'yes', secret: true });
    expect(rows.find((r) => r.name === 'SLACK_APP_TOKEN')?.required).toBe('when SLACK_MODE=socket');
  });
});
