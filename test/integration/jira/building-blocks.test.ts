// The pure pieces of the Jira integration: JQL quoting (and the injection it prevents), ADF builders and
// their wiki-markup rendering for Data Center, settings from the environment, and 400s in plain words.
import { describe, expect, it } from 'vitest';
import { parseJql } from '../../../sandbox/jira-standin/jql.js';
import {
  adfBulletList,
  adfCodeBlock,
  adfDoc,
  adfHeading,
  adfParagraph,
  adfToText,
} from '../../../src/integrations/jira/adf.js';
import { explainBadRequest, type JiraErrorContext } from '../../../src/integrations/jira/errors.js';
import {
  changedSinceJql,
  incidentIdFromLabels,
  incidentLookupJql,
  jqlDate,
  jqlString,
} from '../../../src/integrations/jira/jql.js';
import { jiraSettingsFromEnv } from '../../../src/integrations/jira/settings.js';
import { PermanentError } from '../../../src/jobs/errors.js';

describe('jqlString', () => {
  it('quotes and escapes backslashes and double quotes', () => {
    expect(jqlString('ORION')).toBe('"ORION"');
    expect(jqlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(jqlString('C:\\path')).toBe('"C:\\\\path"');
  });

  it('refuses control characters', () => {
    expect(() => jqlString('a\nb')).toThrow(PermanentError);
    expect(() => jqlString('a\u0000b')).toThrow(PermanentError);
    expect(() => jqlString('a\u007fb')).toThrow(PermanentError);
  });

  it('keeps an injection attempt inside one string literal (read back by a JQL parser)', () => {
    const attempt = 'ORION" OR project != "X';
    const quoted = jqlString(attempt);
    expect(quoted).toBe('"ORION\\" OR project != \\"X"');
    const query = parseJql(`project = ${quoted}`);
    expect(query.where).toEqual({
      type: 'clause',
      field: 'project',
      op: '=',
      values: [{ kind: 'string', value: attempt }],
    });
  });

  it('rejects a project key carrying an injection before any JQL is built', () => {
    const attempt = 'ORION" OR project != "X';
    expect(() => incidentLookupJql(attempt, 1)).toThrow(PermanentError);
    expect(() => changedSinceJql(attempt, 0)).toThrow(/is not a Jira project key/);
    try {
      changedSinceJql('orion', 0, 'UTC', 'acme');
    } catch (error) {
      expect((error as PermanentError).hint).toContain('tenants.acme.jira.projectKey');
    }
  });
});

describe('JQL the adapter sends', () => {
  it('looks an incident up by project and label', () => {
    expect(incidentLookupJql('ORION', 42)).toBe('project = "ORION" AND labels = "opsbot-incident-42"');
  });

  it('polls with a minute-resolution date in the configured zone', () => {
    const since = Date.UTC(2024, 4, 1, 14, 3, 27);
    expect(changedSinceJql('ORION', since)).toBe(
      'project = "ORION" AND labels = "opsbot" AND updated >= "2024/05/01 14:03"',
    );
    expect(jqlDate(since, 'Europe/Berlin')).toBe('2024/05/01 16:03');
    expect(jqlDate(Date.UTC(2024, 0, 1, 0, 0), 'America/New_York')).toBe('2023/12/31 19:00');
  });

  it('reads incident ids back from labels', () => {
    expect(incidentIdFromLabels(['opsbot', 'opsbot-incident-42'])).toBe(42);
    expect(incidentIdFromLabels(['opsbot', 'opsbot-incident-x'])).toBeNull();
    expect(incidentIdFromLabels([])).toBeNull();
  });
});

describe('ADF builders and adfToText (wiki markup for REST v2)', () => {
  const doc = adfDoc(
    adfHeading('Incident 42', 2),
    adfParagraph('Sev1 on cluster_03 [prod]'),
    adfParagraph('Slack thread', 'https://acme.slack.com/archives/C1/p1'),
    adfBulletList(['disk 97%', 'since *14:00*']),
    adfCodeBlock('ALERT disk_full{cluster="c3"}'),
    adfParagraph(''),
  );

  it('builds valid ADF (no empty text nodes)', () => {
    expect(doc).toMatchObject({ type: 'doc', version: 1 });
    expect(doc.content[2]).toEqual({
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: 'Slack thread',
          marks: [{ type: 'link', attrs: { href: 'https://acme.slack.com/archives/C1/p1' } }],
        },
      ],
    });
    expect(doc.content[5]).toEqual({ type: 'paragraph', content: [] });
  });

  it('renders wiki markup with escaped text, links, lists and code', () => {
    expect(adfToText(doc)).toBe(
      [
        'h2. Incident 42',
        'Sev1 on cluster\\_03 \\[prod\\]',
        '[Slack thread|https://acme.slack.com/archives/C1/p1]',
        '* disk 97%\n* since \\*14:00\\*',
        '{code}\nALERT disk_full{cluster="c3"}\n{code}',
        '',
      ].join('\n\n'),
    );
  });

  it('renders marks people use and nested lists', () => {
    const rich = adfDoc({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'bold', marks: [{ type: 'strong' }] },
        { type: 'text', text: ' and ' },
        { type: 'text', text: 'x_y', marks: [{ type: 'code' }] },
        { type: 'hardBreak' },
        { type: 'mention', attrs: { id: 'abc', text: '@Dana' } },
      ],
    });
    expect(adfToText(rich)).toBe('*bold* and {{x_y}}\n@Dana');
    const nested = adfDoc({
      type: 'bulletList',
      content: [{ type: 'listItem', content: [adfParagraph('a'), adfBulletList(['b'])] }],
    });
    expect(adfToText(nested)).toBe('* a\n** b');
  });
});

describe('jiraSettingsFromEnv', () => {
  const now = () => 0;

  it('is undefined (not an error) when the base URL is unset', () => {
    expect(jiraSettingsFromEnv({}, 'JIRA', now)).toEqual({ ok: true, settings: undefined });
  });

  it('reads a Cloud site with basic auth and defaults', () => {
    const result = jiraSettingsFromEnv(
      {
        JIRA_BASE_URL: 'https://acme.atlassian.net/',
        JIRA_EMAIL: 'bot@acme.com',
        JIRA_API_TOKEN: 'secret-token',
      },
      'JIRA',
      now,
    );
    expect(result).toEqual({
      ok: true,
      settings: {
        baseUrl: 'https://acme.atlassian.net',
        apiVersion: 3,
        auth: { kind: 'basic', email: 'bot@acme.com', apiToken: 'secret-token' },
        timeoutMs: 15_000,
        now,
        envPrefix: 'JIRA',
        timeZone: 'UTC',
      },
    });
  });

  it('reads a Data Center site with a PAT under another prefix, keeping the context path', () => {
    const result = jiraSettingsFromEnv(
      {
        JIRA_HELIX_BASE_URL: 'https://jira.helix.example/jira',
        JIRA_HELIX_API_VERSION: '2',
        JIRA_HELIX_PAT: 'pat-secret',
        JIRA_HELIX_TIMEOUT_MS: '5000',
        JIRA_HELIX_TIME_ZONE: 'Europe/Berlin',
      },
      'JIRA_HELIX',
    );
    expect(result.ok && result.settings).toMatchObject({
      baseUrl: 'https://jira.helix.example/jira',
      apiVersion: 2,
      auth: { kind: 'bearer', token: 'pat-secret' },
      timeoutMs: 5000,
      envPrefix: 'JIRA_HELIX',
      timeZone: 'Europe/Berlin',
    });
  });

  it('reports every problem at once and never echoes a secret', () => {
    const result = jiraSettingsFromEnv({
      JIRA_BASE_URL: 'acme.atlassian.net/rest/api/3',
      JIRA_API_VERSION: '4',
      JIRA_API_TOKEN: 'super-secret-token',
      JIRA_TIMEOUT_MS: '15s',
      JIRA_TIME_ZONE: 'Mars/Olympus',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'JIRA_BASE_URL is not a URL (expected e.g. https://acme.atlassian.net)',
      'JIRA_API_VERSION must be 3 (Jira Cloud) or 2 (Server/Data Center), got "4"',
      'JIRA_EMAIL is missing (the Atlassian account email the API token belongs to)',
      'JIRA_TIMEOUT_MS must be a whole number of milliseconds (got "15s")',
      'JIRA_TIME_ZONE must be an IANA zone like UTC or Europe/Berlin (got "Mars/Olympus")',
    ]);
    expect(result.problems.join('\n')).not.toContain('super-secret-token');
  });

  it('refuses both kinds of credentials and an API path in the base URL', () => {
    const result = jiraSettingsFromEnv({
      JIRA_BASE_URL: 'https://acme.atlassian.net/rest/api/3',
      JIRA_EMAIL: 'bot@acme.com',
      JIRA_API_TOKEN: 't',
      JIRA_PAT: 'p',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'JIRA_BASE_URL must be the site URL without /rest/api/… (the API path is added per request)',
      'set either JIRA_EMAIL + JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center personal access token), not both',
    ]);
  });
});

describe('explainBadRequest', () => {
  const ctx: JiraErrorContext = {
    operation: 'create issues in ORION',
    tenantId: 'acme',
    projectKey: 'ORION',
    issueType: 'Bug',
    priority: 'Highest',
    apiVersion: 3,
    credentialVariables: 'JIRA_EMAIL/JIRA_API_TOKEN',
    envPrefix: 'JIRA',
  };

  it('turns field errors into what to change', () => {
    expect(
      explainBadRequest(
        { errorMessages: [], errors: { priority: "Priority name 'Highest' is not valid" } },
        ctx,
      ),
    ).toBe('Jira does not know the priority "Highest" — check tenants.acme.jira.priorities in the config');
    expect(explainBadRequest({ errors: { project: 'Specify a valid project ID or key' } }, ctx)).toBe(
      'project ORION does not exist or is not visible to the Jira user — check tenants.acme.jira.projectKey',
    );
    expect(explainBadRequest({ errors: { issuetype: 'The issue type selected is invalid.' } }, ctx)).toBe(
      'Jira does not know the issue type "Bug" in ORION — check tenants.acme.jira.issueType',
    );
    expect(explainBadRequest({ errors: { customfield_10010: 'Team is required.' } }, ctx)).toMatch(
      /the field "customfield_10010" is required on the create screen of ORION/,
    );
  });

  it('reads JQL errorMessages about a missing project', () => {
    expect(
      explainBadRequest(
        { errorMessages: ["The value 'ORION' does not exist for the field 'project'."], errors: {} },
        ctx,
      ),
    ).toBe(
      'project ORION does not exist or is not visible to the Jira user — check tenants.acme.jira.projectKey',
    );
  });

  it('says <tenant> when no tenant is known, and passes unknown messages through', () => {
    expect(
      explainBadRequest(
        { errors: { priority: 'The priority selected is invalid.' } },
        { ...ctx, tenantId: undefined },
      ),
    ).toBe(
      'Jira does not know the priority "Highest" — check tenants.<tenant>.jira.priorities in the config',
    );
    expect(explainBadRequest({ errorMessages: ['Something odd.'] }, ctx)).toBe('Jira said: Something odd.');
    expect(explainBadRequest('<html>Bad Request</html>', ctx)).toBe('Jira said: <html>Bad Request</html>');
  });
});
