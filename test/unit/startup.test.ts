// readStartup is what main.ts prints before exit code 2: every problem of the environment, the
// config file and the integration variables in one list, so a deployment is fixed in one pass.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStartup, type Startup } from '../../src/startup.js';
import { tempDir } from '../helpers/temp-db.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef', SLACK_APP_TOKEN: 'xapp-1-A111-222-abc' };
const example = readFileSync('config/opsbot.example.yaml', 'utf8');

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

/** A config file holding `text`; returns its path. */
function configFile(text: string): string {
  const t = tempDir();
  temps.push(t);
  const path = join(t.dir, 'opsbot.yaml');
  writeFileSync(path, text);
  return path;
}

function problemsOf(startup: Startup): string[] {
  if (startup.ok) throw new Error('expected problems, got a valid start-up');
  return startup.problems;
}

describe('readStartup', () => {
  it('lists env, config, Salesforce, Jira and webhook problems together in one pass', async () => {
    // The example config with one schema error; its tenants and Jira sites are still readable.
    const config = configFile(example.replace('timezone: Europe/London', 'timezone: Mars/Olympus'));
    const problems = problemsOf(
      await readStartup({
        ...slack,
        CONFIG_FILE: config,
        PORT: 'eighty',
        WEBHOOK_TOKENS: 'nimbus=one-long-token,nobody=another-token',
        SALESFORCE_CLIENT_ID: 'client',
        SALESFORCE_AUTH_FLOW: 'oauth',
        JIRA_BASE_URL: 'not a url',
        JIRA_EMAIL: 'bot@acme.example',
        JIRA_API_TOKEN: 'token',
        JIRA_HELIX_BASE_URL: 'https://jira.helix.example',
      }),
    );
    expect(problems).toEqual([
      'PORT: expected a whole number from 0 to 65535, found "eighty"',
      expect.stringMatching(/opsbot\.yaml:163: tenants\[1\]\.timezone: /),
      "SALESFORCE_AUTH_FLOW: expected one of client_credentials, jwt, password, found 'oauth'",
      'JIRA_BASE_URL is not a URL (expected e.g. https://acme.atlassian.net)',
      'JIRA_HELIX_BASE_URL is set but no credentials: set JIRA_HELIX_EMAIL + JIRA_HELIX_API_TOKEN (Cloud) or JIRA_HELIX_PAT (Data Center)',
      'WEBHOOK_TOKENS: names tenant "nobody", which is not in the config',
    ]);
  });

  it('still checks the integration variables when the config file cannot be read at all', async () => {
    const problems = problemsOf(
      await readStartup({
        ...slack,
        CONFIG_FILE: '/nowhere/opsbot.yaml',
        SALESFORCE_CLIENT_ID: 'client',
        SALESFORCE_AUTH_FLOW: 'jwt',
        JIRA_BASE_URL: 'https://acme.atlassian.net',
        WEBHOOK_TOKENS: 'nobody=token',
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining('config file /nowhere/opsbot.yaml not found'),
      'SALESFORCE_USERNAME: required for SALESFORCE_AUTH_FLOW=jwt',
      'SALESFORCE_PRIVATE_KEY_FILE: required for SALESFORCE_AUTH_FLOW=jwt',
      expect.stringMatching(/^JIRA_BASE_URL is set but no credentials/),
      // Which tenants exist is unknown, so WEBHOOK_TOKENS cannot be judged and is not guessed at.
    ]);
  });

  it('reports a webhook token for an unknown tenant even when another variable is wrong', async () => {
    const problems = problemsOf(
      await readStartup({
        ...slack,
        CONFIG_FILE: 'config/sandbox.yaml',
        LOG_LEVEL: 'loud',
        WEBHOOK_TOKENS: 'nimbus=token-one,Bad Id=x,ghost=token-two',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^LOG_LEVEL: /),
      'WEBHOOK_TOKENS: expected tenantId=token pairs separated by commas; entry 2 has a tenant id that is not a slug like nimbus',
      'WEBHOOK_TOKENS: names tenant "ghost", which is not in the config',
    ]);
  });

  it('refuses placeholders in the integration variables with one line each, naming the variable', async () => {
    const problems = problemsOf(
      await readStartup({
        ...slack,
        CONFIG_FILE: 'config/opsbot.example.yaml',
        SALESFORCE_CLIENT_ID: 'your-consumer-key',
        SALESFORCE_CLIENT_SECRET: 'change-me',
        SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
        JIRA_HELIX_BASE_URL: 'https://your-site.atlassian.net',
        JIRA_HELIX_PAT: '<personal access token>',
        JIRA_WEBHOOK_SECRET: 'change-me',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^JIRA_WEBHOOK_SECRET: still holds the example value from \.env\.example; /),
      expect.stringMatching(/^JIRA_HELIX_BASE_URL: still holds the example value from \.env\.example/),
      expect.stringMatching(/^JIRA_HELIX_PAT: still holds the example value/),
      expect.stringMatching(/^SALESFORCE_CLIENT_ID: still holds the example value/),
      expect.stringMatching(/^SALESFORCE_CLIENT_SECRET: still holds the example value/),
    ]);
    expect(problems.join('\n')).not.toContain('your-consumer-key');
  });

  it('starts with the trackers of the configured systems and warns about a named Jira site without settings', async () => {
    const startup = await readStartup({ ...slack, CONFIG_FILE: 'config/opsbot.example.yaml' });
    if (!startup.ok) throw new Error(startup.problems.join('\n'));
    expect(startup.caseTracker).toBeUndefined();
    expect([...startup.escalationTrackers.keys()]).toEqual([]);
    expect(startup.warnings).toEqual([
      'tenants[1].jira.site: JIRA_HELIX has no JIRA_HELIX_BASE_URL in the environment, so escalations of helix-ai will say Jira is not configured; set JIRA_HELIX_BASE_URL and its credentials (JIRA_HELIX_EMAIL + JIRA_HELIX_API_TOKEN, or JIRA_HELIX_PAT; see .env.example)',
    ]);

    const helix = await readStartup({
      ...slack,
      CONFIG_FILE: 'config/opsbot.example.yaml',
      JIRA_HELIX_BASE_URL: 'https://jira.helix.example',
      JIRA_HELIX_API_VERSION: '2',
      JIRA_HELIX_PAT: 'pat-value',
    });
    if (!helix.ok) throw new Error(helix.problems.join('\n'));
    expect([...helix.escalationTrackers.keys()]).toEqual(['JIRA_HELIX']);
    expect(helix.warnings).toEqual([]);
  });
});
