// The adapter's requests pinned to Jira's documented REST shapes with nock: method, path, body and auth of
// every call, and how Jira's error answers become typed errors. The host is fake; the setup file blocks
// every other non-loopback connection.
import { isDeepStrictEqual } from 'node:util';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { doc, msg } from '../../../src/domain/message.js';
import { JiraEscalationTracker } from '../../../src/integrations/jira/adapter.js';
import { adfDoc, adfParagraph } from '../../../src/integrations/jira/adf.js';
import type { JiraSettings } from '../../../src/integrations/jira/settings.js';
import type { IssueFields } from '../../../src/integrations/ports.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';

const HOST = 'https://acme.example-jira.test';
const BASIC = `Basic ${Buffer.from('opsbot@acme.test:api-token-1').toString('base64')}`;

const cloud: JiraSettings = {
  baseUrl: HOST,
  apiVersion: 3,
  auth: { kind: 'basic', email: 'opsbot@acme.test', apiToken: 'api-token-1' },
  timeoutMs: 2000,
  now: () => Date.UTC(2024, 4, 1, 15, 0),
};
const dataCenter: JiraSettings = {
  ...cloud,
  baseUrl: `${HOST}/jira`,
  apiVersion: 2,
  auth: { kind: 'bearer', token: 'pat-1' },
  envPrefix: 'JIRA_HELIX',
};

// The port takes a neutral document; the adapter sends it as ADF (v3) or wiki text (v2).
const description = adfDoc(adfParagraph('Sev1: disk full on cluster-03'));
const fields: IssueFields = {
  projectKey: 'ORION',
  issueType: 'Bug',
  priority: 'Highest',
  summary: '[acme] Sev1 disk full on cluster-03',
  description: doc({ paragraph: msg('Sev1: disk full on cluster-03') }),
  labels: ['customer-acme'],
};
const link = {
  url: 'https://acme.slack.com/archives/C0ALARMS01/p1714572000000100',
  title: 'Incident #42 (Slack)',
};
const remoteLinkBody = {
  globalId: 'opsbot-incident-42',
  object: {
    url: link.url,
    title: link.title,
    icon: { url16x16: 'https://acme.slack.com/favicon.ico', title: 'opsbot' },
  },
};

function jira(settings = cloud, context = {}) {
  return new JiraEscalationTracker(settings, context);
}

/** Records the JSON body nock saw, so assertions show a readable diff instead of "no match". */
function capture(bodies: unknown[]) {
  return (body: unknown) => {
    bodies.push(body);
    return true;
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

afterEach(() => {
  nock.cleanAll();
});

describe('findOrCreateIssue on Cloud (REST v3)', () => {
  it('searches by label, creates with ADF and labels, sets the property and the remote link', async () => {
    const bodies: unknown[] = [];
    const scope = nock(HOST, { reqheaders: { authorization: BASIC } })
      .post('/rest/api/3/search/jql', capture(bodies))
      .reply(200, { issues: [], isLast: true })
      .post('/rest/api/3/issue', capture(bodies))
      .reply(201, { id: '10001', key: 'ORION-1', self: `${HOST}/rest/api/3/issue/10001` })
      .put('/rest/api/3/issue/ORION-1/properties/opsbot', capture(bodies))
      .reply(201)
      .post('/rest/api/3/issue/ORION-1/remotelink', capture(bodies))
      .reply(201, { id: 10000, self: `${HOST}/rest/api/3/issue/ORION-1/remotelink/10000` });

    const ref = await jira().findOrCreateIssue(42, fields, link);

    expect(ref).toEqual({ key: 'ORION-1', id: '10001', url: `${HOST}/browse/ORION-1`, created: true });
    expect(bodies).toEqual([
      { jql: 'project = "ORION" AND labels = "opsbot-incident-42"', fields: ['labels'], maxResults: 10 },
      {
        fields: {
          project: { key: 'ORION' },
          issuetype: { name: 'Bug' },
          priority: { name: 'Highest' },
          summary: '[acme] Sev1 disk full on cluster-03',
          description,
          labels: ['customer-acme', 'opsbot', 'opsbot-incident-42'],
        },
      },
      { incidentId: 42 },
      remoteLinkBody,
    ]);
    scope.done();
  });

  it('finds the existing issue (created:false), creates nothing and re-applies property and link', async () => {
    const scope = nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(200, {
        issues: [
          { id: '10007', key: 'ORION-7', fields: { labels: ['opsbot', 'opsbot-incident-42'] } },
          { id: '10003', key: 'ORION-3', fields: { labels: ['opsbot', 'opsbot-incident-42'] } },
        ],
        isLast: true,
      })
      .put('/rest/api/3/issue/ORION-3/properties/opsbot', { incidentId: 42 })
      .reply(200)
      .post('/rest/api/3/issue/ORION-3/remotelink', remoteLinkBody)
      .reply(200, { id: 10000, self: `${HOST}/rest/api/3/issue/ORION-3/remotelink/10000` });

    const ref = await jira().findOrCreateIssue(42, fields, link);

    // The oldest of accidental duplicates wins, so every caller converges on the same issue.
    expect(ref).toEqual({ key: 'ORION-3', id: '10003', url: `${HOST}/browse/ORION-3`, created: false });
    scope.done();
  });
});

describe('findOrCreateIssue on Data Center (REST v2)', () => {
  it('uses v2 paths, wiki-text description and the bearer PAT under the context path', async () => {
    const bodies: unknown[] = [];
    const scope = nock(HOST, { reqheaders: { authorization: 'Bearer pat-1' } })
      .post('/jira/rest/api/2/search', capture(bodies))
      .reply(200, { startAt: 0, maxResults: 10, total: 0, issues: [] })
      .post('/jira/rest/api/2/issue', capture(bodies))
      .reply(201, { id: '20001', key: 'ORION-11', self: `${HOST}/jira/rest/api/2/issue/20001` })
      .put('/jira/rest/api/2/issue/ORION-11/properties/opsbot', capture(bodies))
      .reply(201)
      .post('/jira/rest/api/2/issue/ORION-11/remotelink', capture(bodies))
      .reply(201, { id: 1, self: `${HOST}/jira/rest/api/2/issue/ORION-11/remotelink/1` });

    const ref = await jira(dataCenter).findOrCreateIssue(42, fields, link);

    expect(ref).toEqual({ key: 'ORION-11', id: '20001', url: `${HOST}/jira/browse/ORION-11`, created: true });
    expect(bodies[0]).toEqual({
      jql: 'project = "ORION" AND labels = "opsbot-incident-42"',
      fields: ['labels'],
      startAt: 0,
      maxResults: 10,
    });
    expect(bodies[1]).toMatchObject({
      fields: {
        description: 'Sev1: disk full on cluster\\-03',
        labels: ['customer-acme', 'opsbot', 'opsbot-incident-42'],
      },
    });
    expect(bodies.slice(2)).toEqual([{ incidentId: 42 }, remoteLinkBody]);
    scope.done();
  });
});

describe('addComment', () => {
  const body = adfDoc(adfParagraph('Customer confirmed the workaround.'));
  const said = doc({ paragraph: msg('Customer confirmed the workaround.') });

  it('posts an ADF body on v3', async () => {
    const scope = nock(HOST)
      .post('/rest/api/3/issue/ORION-1/comment', (sent) => isDeepStrictEqual(sent, { body }))
      .reply(201, { id: '10100', self: `${HOST}/rest/api/3/issue/10001/comment/10100`, body });
    await jira().addComment('ORION-1', said);
    scope.done();
  });

  it('posts a wiki string on v2', async () => {
    const scope = nock(HOST)
      .post('/jira/rest/api/2/issue/ORION-1/comment', { body: 'Customer confirmed the workaround.' })
      .reply(201, { id: '10100', body: 'Customer confirmed the workaround.' });
    await jira(dataCenter).addComment('ORION-1', said);
    scope.done();
  });

  it('refuses something that is not an issue key without calling Jira', async () => {
    const error = await rejection(jira().addComment('ORION-1/../../myself', said));
    expect(error).toBeInstanceOf(PermanentError);
  });

  it('maps 404 on the issue to a PermanentError naming the issue', async () => {
    nock(HOST)
      .post('/rest/api/3/issue/ORION-404/comment')
      .reply(404, {
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    const error = await rejection(jira().addComment('ORION-404', said));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toMatch(
      /issue ORION-404 does not exist or the Jira user cannot see it/,
    );
  });
});

describe('changedSince', () => {
  const since = Date.UTC(2024, 4, 1, 14, 3, 27);

  it('queries by project, label and minute, pages with nextPageToken and drops the minute before `since`', async () => {
    const bodies: unknown[] = [];
    const scope = nock(HOST)
      .post('/rest/api/3/search/jql', capture(bodies))
      .reply(200, {
        issues: [
          {
            id: '10001',
            key: 'ORION-1',
            fields: {
              labels: ['opsbot', 'opsbot-incident-42'],
              status: { name: 'In Progress' },
              updated: '2024-05-01T14:10:00.000+0000',
            },
          },
          {
            id: '10002',
            key: 'ORION-2',
            fields: {
              labels: ['opsbot', 'opsbot-incident-43'],
              status: { name: 'To Do' },
              updated: '2024-05-01T14:03:05.000+0000',
            },
          },
        ],
        nextPageToken: 'page-2',
        isLast: false,
      })
      .post('/rest/api/3/search/jql', capture(bodies))
      .reply(200, {
        issues: [
          {
            id: '10003',
            key: 'ORION-3',
            fields: { labels: ['opsbot'], status: { name: 'Done' }, updated: '2024-05-01T16:20:00.000+0200' },
          },
        ],
        isLast: true,
      });

    const changes = await jira().changedSince('ORION', since);

    const jql = 'project = "ORION" AND labels = "opsbot" AND updated >= "2024/05/01 14:03"';
    expect(bodies).toEqual([
      { jql, fields: ['labels', 'status', 'updated'], maxResults: 100 },
      { jql, fields: ['labels', 'status', 'updated'], maxResults: 100, nextPageToken: 'page-2' },
    ]);
    expect(changes).toEqual([
      { key: 'ORION-1', incidentId: 42, status: 'In Progress', updated: Date.UTC(2024, 4, 1, 14, 10) },
      { key: 'ORION-3', incidentId: null, status: 'Done', updated: Date.UTC(2024, 4, 1, 14, 20) },
    ]);
    scope.done();
  });

  it('pages with startAt on v2 and writes the date in the API user time zone', async () => {
    const bodies: unknown[] = [];
    const issue = (n: number) => ({
      id: String(20000 + n),
      key: `ORION-${n}`,
      fields: {
        labels: ['opsbot', `opsbot-incident-${n}`],
        status: { name: 'To Do' },
        updated: '2024-05-01T14:30:00.000+0000',
      },
    });
    const scope = nock(HOST)
      .post('/jira/rest/api/2/search', capture(bodies))
      .reply(200, { startAt: 0, maxResults: 1, total: 2, issues: [issue(1)] })
      .post('/jira/rest/api/2/search', capture(bodies))
      .reply(200, { startAt: 1, maxResults: 1, total: 2, issues: [issue(2)] });

    const changes = await jira({ ...dataCenter, timeZone: 'Europe/Berlin' }).changedSince('ORION', since);

    expect(bodies).toEqual([
      {
        jql: 'project = "ORION" AND labels = "opsbot" AND updated >= "2024/05/01 16:03"',
        fields: ['labels', 'status', 'updated'],
        startAt: 0,
        maxResults: 100,
      },
      expect.objectContaining({ startAt: 1 }),
    ]);
    expect(changes.map((c) => c.incidentId)).toEqual([1, 2]);
    scope.done();
  });

  it('refuses an injection attempt in the project key without calling Jira', async () => {
    const error = await rejection(
      jira(cloud, { tenantId: 'acme' }).changedSince('ORION" OR project != "X', 0),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toContain('tenants.acme.jira.projectKey');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('error mapping', () => {
  it('400 with field errors → PermanentError whose hint says what to fix', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [], isLast: true })
      .post('/rest/api/3/issue')
      .reply(400, { errorMessages: [], errors: { priority: "Priority name 'Highest' is not valid" } });

    const error = await rejection(jira(cloud, { tenantId: 'acme' }).findOrCreateIssue(42, fields, link));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('Jira: could not create issues in ORION: HTTP 400');
    expect((error as PermanentError).hint).toBe(
      'Jira does not know the priority "Highest" — check tenants.acme.jira.priorities in the config',
    );
  });

  it('400 on the search for an unknown project → PermanentError pointing at projectKey', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(400, {
        errorMessages: ["The value 'ORION' does not exist for the field 'project'."],
        errors: {},
      });
    const error = await rejection(jira(cloud, { tenantId: 'acme' }).findOrCreateIssue(42, fields, link));
    expect((error as PermanentError).hint).toBe(
      'project ORION does not exist or is not visible to the Jira user — check tenants.acme.jira.projectKey',
    );
  });

  it('429 → RetryableError with retryAfterMs from Retry-After, flagged as rate limiting', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': '30' });
    const error = await rejection(jira().changedSince('ORION', 0));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(30_000);
    expect((error as RetryableError).rateLimited).toBe(true);
  });

  it('503 → RetryableError (not rate limiting)', async () => {
    nock(HOST).post('/rest/api/3/search/jql').reply(503, 'Service Unavailable');
    const error = await rejection(jira().changedSince('ORION', 0));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).rateLimited).toBe(false);
    expect(error.message).toMatch(/HTTP 503/);
  });

  // A dropped connection is exercised against the stand-in (a real socket reset): nock's
  // replyWithError leaves a native fetch pending instead of rejecting it.

  it('no answer within timeoutMs → RetryableError', async () => {
    nock(HOST).post('/rest/api/3/search/jql').delay(1000).reply(200, { issues: [], isLast: true });
    const error = await rejection(jira({ ...cloud, timeoutMs: 100 }).changedSince('ORION', 0));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(/no answer within 100 ms/);
  });

  it('401 is repeated once; a second 401 → PermanentError naming the credential variables', async () => {
    const scope = nock(HOST)
      .post('/rest/api/3/search/jql')
      .times(2)
      .reply(401, { errorMessages: ['You are not authenticated.'], errors: {} });
    const error = await rejection(jira().changedSince('ORION', 0));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      'Jira rejected the credentials — check JIRA_EMAIL/JIRA_API_TOKEN',
    );
    scope.done();
  });

  it('names the PAT variable of the site prefix for bearer auth', async () => {
    nock(HOST).post('/jira/rest/api/2/search').times(2).reply(401, '');
    const error = await rejection(jira(dataCenter).changedSince('ORION', 0));
    expect((error as PermanentError).hint).toBe('Jira rejected the credentials — check JIRA_HELIX_PAT');
  });

  it('a single 401 followed by success is not an error', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(401, '')
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [], isLast: true });
    await expect(jira().changedSince('ORION', 0)).resolves.toEqual([]);
  });

  it('403 on create → PermanentError naming the permission to grant', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [], isLast: true })
      .post('/rest/api/3/issue')
      .reply(403, {
        errorMessages: ['You do not have permission to create issues in this project.'],
        errors: {},
      });
    const error = await rejection(jira().findOrCreateIssue(42, fields, link));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      'the Jira user cannot create issues in ORION — grant Create Issues',
    );
  });

  it('404 on the v3 search (a Data Center configured as Cloud) → hint to set API_VERSION=2', async () => {
    nock(HOST).post('/rest/api/3/search/jql').reply(404, '<html>Not Found</html>');
    const error = await rejection(jira().changedSince('ORION', 0));
    expect((error as PermanentError).hint).toMatch(/set JIRA_API_VERSION=2/);
  });

  it('a 200 that is not Jira (an SSO login page) → PermanentError about the base URL', async () => {
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .reply(200, '<html>Log in</html>', { 'content-type': 'text/html' });
    const error = await rejection(jira().changedSince('ORION', 0));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toMatch(/JIRA_BASE_URL is the Jira site itself/);
  });
});
