// .env.example is copied to .env and "filled in"; whatever is left unedited must stop the bot at
// start with a line naming the variable, not reach Slack. The list of placeholders is .env.example
// itself: every example value there is either refused or a working default, checked here.
import { readFileSync } from 'node:fs';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envDescriptions, parseEnv } from '../../../src/config/env.js';
import { isPlaceholder } from '../../../src/config/placeholders.js';
import { integrationSettingsFromEnv } from '../../../src/integrations/from-env.js';
import { readStartup } from '../../../src/startup.js';

const example = parseDotenv(readFileSync('.env.example', 'utf8'));
const filled = Object.entries(example).flatMap(
  ([name, value]): Array<[string, string]> => (value?.trim() ? [[name, value]] : []),
);
const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef',
  SLACK_APP_TOKEN: 'xapp-1-A111-222-abc',
  CONFIG_FILE: 'config/opsbot.example.yaml',
};
const envNames = new Set<string>(envDescriptions().map((d) => d.name));
const secrets = new Set<string>(envDescriptions().flatMap((d) => (d.secret ? [d.name] : [])));
/** Variables whose example can only be a placeholder: nobody's real secret belongs in the example. */
const secretLike = (name: string) =>
  secrets.has(name) || /(TOKEN|SECRET|PASSWORD|_PAT|CLIENT_ID)$/.test(name);

describe('placeholders of .env.example', () => {
  it('has placeholders to check (the Slack tokens at least)', () => {
    expect(filled.filter(([, value]) => isPlaceholder(value)).map(([name]) => name)).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']),
    );
  });

  it.each(filled.filter(([, value]) => isPlaceholder(value)))(
    'refuses the example %s at start with a line naming it',
    async (name, value) => {
      const startup = await readStartup({ ...valid, [name]: value });
      expect(startup.ok).toBe(false);
      if (startup.ok) return;
      const lines = startup.problems.filter((p) => p.startsWith(`${name}: `));
      expect(lines).toEqual([expect.stringContaining('still holds the example value from .env.example')]);
      expect(startup.problems.join('\n')).not.toContain(value);
    },
  );

  it.each(filled.filter(([, value]) => !isPlaceholder(value)))(
    'accepts the example %s=%s as a working default',
    (name, value) => {
      // A secret's example must be a placeholder: a new one this code does not recognise fails here.
      expect(secretLike(name), `${name} holds a secret, so its example must be a placeholder`).toBe(false);
      if (envNames.has(name)) {
        const parsed = parseEnv({ ...valid, [name]: value });
        expect(parsed.ok ? [] : parsed.problems).toEqual([]);
      } else {
        const checked = integrationSettingsFromEnv({ [name]: value }, ['JIRA', 'JIRA_HELIX'], Date.now);
        expect(checked.ok ? [] : checked.problems).toEqual([]);
      }
    },
  );

  it('refuses the whole unedited .env.example, naming both Slack tokens', async () => {
    const startup = await readStartup({ ...example, CONFIG_FILE: 'config/opsbot.example.yaml' });
    expect(startup.ok).toBe(false);
    if (startup.ok) return;
    expect(startup.problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: still holds the example value from \.env\.example; .*xoxb-/),
      expect.stringMatching(/^SLACK_APP_TOKEN: still holds the example value from \.env\.example; .*xapp-/),
    ]);
  });
});

describe('isPlaceholder', () => {
  it.each([
    'xoxb-your-bot-token',
    'xapp-your-app-token',
    'your-signing-secret',
    'YOUR_API_TOKEN',
    'https://your-org.my.salesforce.com',
    'change-me',
    'changeme',
    '<bot token>',
    'TODO',
    'xxxx',
  ])('recognises %s', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each([
    'xoxb-1111-2222-abcdef',
    'xapp-1-A111-222-abc',
    '8f14e45fceea167a5a36dedd4bea2543',
    'ChangeMe2024!', // a (bad) real password is still a real password
    'https://acme.atlassian.net',
    'tokens-for-your-team', // "your" inside a value is not the example's form
    '',
  ])('leaves %s alone', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});
