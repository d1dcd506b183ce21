// The real adapter (jira.js over HTTP) against the Jira stand-in, on Cloud REST v3 and Data Center REST
// v2: idempotent creation across retries, crashes and outages, comments, and changes people make.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JiraStandIn } from '../../../sandbox/jira-standin/index.js';
import { doc, msg } from '../../../src/domain/message.js';
import { JiraEscalationTracker } from '../../../src/integrations/jira/adapter.js';
import { adfDoc, adfParagraph, adfToText } from '../../../src/integrations/jira/adf.js';
import type { JiraSettings } from '../../../src/integrations/jira/settings.js';
import type { IssueFields } from '../../../src/integrations/ports.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';

const START = Date.UTC(2024, 4, 1, 14, 0);
// The port takes a neutral document; the adapter sends it as ADF (v3) or wiki text (v2).
const neutral = doc({ paragraph: msg('Sev1: disk full on cluster_03') });
const description = adfDoc(adfParagraph('Sev1: disk full on cluster_03'));
const fields: IssueFields = {
  projectKey: 'ORION',
  issueType: 'Bug',
  priority: 'Highest',
  summary: '[acme] Sev1 disk full on cluster-03',
  description: neutral,
  labels: ['customer-acme'],
};
const link = {
  url: 'https://acme.slack.com/archives/C0ALARMS01/p1714572000000100',
  title: 'Incident #42 (Slack)',
};

let now = START;
let standin: JiraStandIn;

beforeEach(async () => {
  now = START;
  standin = await JiraStandIn.start({ projects: ['ORION'], now: () => now });
});

afterEach(async () => {
  await standin.stop();
});

/** Each attempt a scheduler would make: call until it stops failing with a RetryableError. */
async function untilSuccess<T>(
  attempt: () => Promise<T>,
  max = 50,
): Promise<{ result: T; failures: number }> {
  for (let failures = 0; failures < max; failures += 1) {
    try {
      return { result: await attempt(), failures };
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
    }
  }
  throw new Error(`still failing after ${max} attempts`);
}

describe.each([
  { name: 'Cloud (REST v3, basic auth)', apiVersion: 3 as const },
  { name: 'Data Center (REST v2, bearer PAT)', apiVersion: 2 as const },
])('JiraEscalationTracker against the stand-in — $name', ({ apiVersion }) => {
  const settings = (overrides: Partial<JiraSettings> = {}): JiraSettings => ({
    baseUrl: standin.url,
    apiVersion,
    auth:
      apiVersion === 3
        ? { kind: 'basic', email: standin.email, apiToken: standin.apiToken }
        : { kind: 'bearer', token: standin.pat },
    timeoutMs: 2000,
    now: () => now,
    ...overrides,
  });
  const tracker = (overrides: Partial<JiraSettings> = {}) =>
    new JiraEscalationTracker(settings(overrides), { tenantId: 'acme' });
  const api = `/rest/api/${apiVersion}`;

  it('creates on the first call and finds the same issue on the second (no duplicate)', async () => {
    const jira = tracker();
    const first = await jira.findOrCreateIssue(42, fields, link);
    const second = await jira.findOrCreateIssue(42, fields, link);

    expect(first).toEqual({
      key: 'ORION-1',
      id: first.id,
      url: `${standin.url}/browse/ORION-1`,
      created: true,
    });
    expect(second).toEqual({ ...first, created: false });
    const issues = standin.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      key: 'ORION-1',
      priority: 'Highest',
      issueType: 'Bug',
      labels: ['customer-acme', 'opsbot', 'opsbot-incident-42'],
      properties: { opsbot: { incidentId: 42 } },
      description:
        apiVersion === 3
          ? { format: 'adf', doc: description }
          : { format: 'wiki', text: adfToText(description) },
    });
    expect(standin.remoteLinks('ORION-1')).toEqual([
      {
        id: expect.any(Number),
        globalId: 'opsbot-incident-42',
        object: {
          url: link.url,
          title: link.title,
          icon: { url16x16: 'https://acme.slack.com/favicon.ico', title: 'opsbot' },
        },
      },
    ]);
    expect(standin.callsTo('POST', new RegExp(`^${api}/issue$`))).toHaveLength(1);
    // Another incident gets its own issue.
    expect(await jira.findOrCreateIssue(43, fields, link)).toMatchObject({ key: 'ORION-2', created: true });
  });

  it('after a crash between the create and the caller recording the key, the next call finds the issue', async () => {
    const jira = tracker();
    // The create succeeds on Jira's side, then the process "dies" before the property/link calls finish.
    standin.failNext({ method: 'PUT', path: /\/properties\/opsbot$/ }, { status: 503 });
    await expect(jira.findOrCreateIssue(42, fields, link)).rejects.toBeInstanceOf(RetryableError);
    expect(standin.issues()).toHaveLength(1);
    expect(standin.issues()[0]?.properties).toEqual({});

    const retried = await jira.findOrCreateIssue(42, fields, link);
    expect(retried).toMatchObject({ key: 'ORION-1', created: false });
    expect(standin.issues()).toHaveLength(1);
    // The retry repaired what the crashed attempt never wrote.
    expect(standin.issues()[0]?.properties).toEqual({ opsbot: { incidentId: 42 } });
    expect(standin.remoteLinks('ORION-1')).toHaveLength(1);
  });

  it('a create whose answer never arrives (timeout) is found, not repeated, on the retry', async () => {
    const jira = tracker({ timeoutMs: 150 });
    standin.failNext({ method: 'POST', path: /\/issue$/ }, { status: 201, delayMs: 400 });
    const error = await jira.findOrCreateIssue(42, fields, link).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    // Jira finishes the create after the client gave up.
    await expect.poll(() => standin.issues().length, { timeout: 2000 }).toBe(1);

    expect(await jira.findOrCreateIssue(42, fields, link)).toMatchObject({ key: 'ORION-1', created: false });
    expect(standin.issues()).toHaveLength(1);
  });

  it('30 consecutive 503s, then recovery → exactly one issue', async () => {
    const jira = tracker();
    standin.failNext({}, { status: 503, times: 30 });
    const { result, failures } = await untilSuccess(() => jira.findOrCreateIssue(42, fields, link));
    expect(failures).toBe(30);
    expect(result).toMatchObject({ key: 'ORION-1', created: true });
    expect(standin.issues()).toHaveLength(1);
    expect(standin.calls.filter((c) => c.status === 503)).toHaveLength(30);
  });

  it('failing creates between successful searches still end with exactly one issue', async () => {
    const jira = tracker();
    standin.failNext({ method: 'POST', path: /\/issue$/ }, { status: 503, times: 5 });
    standin.failNext({ method: 'POST', path: /\/remotelink$/ }, { status: 429, retryAfterSec: 2, times: 3 });
    const { failures } = await untilSuccess(() => jira.findOrCreateIssue(42, fields, link));
    expect(failures).toBe(8);
    expect(standin.issues()).toHaveLength(1);
    expect(standin.remoteLinks('ORION-1')).toHaveLength(1);
  });

  it('maps an outage, a dropped connection and a rate limit to RetryableError', async () => {
    const jira = tracker();
    standin.setDown(true);
    await expect(jira.changedSince('ORION', START)).rejects.toBeInstanceOf(RetryableError);
    standin.setDown(false);

    standin.failNext({}, { status: 0 });
    const dropped = await jira.changedSince('ORION', START).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(RetryableError);
    expect((dropped as Error).message).not.toMatch(/no answer within/);

    standin.failNext({}, { status: 429, retryAfterSec: 7 });
    const limited = await jira.changedSince('ORION', START).catch((e: unknown) => e);
    expect(limited).toMatchObject({ retryAfterMs: 7000, rateLimited: true });

    await expect(jira.changedSince('ORION', START)).resolves.toEqual([]);
  });

  it('turns a priority Jira does not know into a PermanentError with a config hint', async () => {
    const error = await tracker()
      .findOrCreateIssue(42, { ...fields, priority: 'Blocker' }, link)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      'Jira does not know the priority "Blocker" — check tenants.acme.jira.priorities in the config',
    );
    expect(standin.issues()).toEqual([]);
  });

  it('turns an unknown project into a PermanentError pointing at projectKey', async () => {
    const error = await tracker()
      .findOrCreateIssue(42, { ...fields, projectKey: 'NOPE' }, link)
      .catch((e: unknown) => e);
    expect((error as PermanentError).hint).toBe(
      'project NOPE does not exist or is not visible to the Jira user — check tenants.acme.jira.projectKey',
    );
  });

  it('repeats a 401 once, then gives up with a PermanentError', async () => {
    const jira = tracker({
      auth:
        apiVersion === 3
          ? { kind: 'basic', email: standin.email, apiToken: 'wrong' }
          : { kind: 'bearer', token: 'wrong' },
    });
    const error = await jira.changedSince('ORION', START).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toMatch(
      /^Jira rejected the credentials — check JIRA_(EMAIL\/JIRA_API_TOKEN|PAT)$/,
    );
    expect(standin.calls.map((c) => c.status)).toEqual([401, 401]);
  });

  it('adds comments as ADF (v3) or wiki text (v2)', async () => {
    const jira = tracker();
    const { key } = await jira.findOrCreateIssue(42, fields, link);
    const body = adfDoc(adfParagraph('Customer confirmed the workaround on cluster_03.'));
    const said = doc({ paragraph: msg('Customer confirmed the workaround on cluster_03.') });
    await jira.addComment(key, said);
    expect(standin.comments(key)).toEqual([
      {
        id: expect.any(String),
        author: 'opsbot',
        created: START,
        body: apiVersion === 3 ? { format: 'adf', doc: body } : { format: 'wiki', text: adfToText(body) },
      },
    ]);
    await expect(jira.addComment('ORION-99', said)).rejects.toBeInstanceOf(PermanentError);
  });

  it('reports transitions people make through changedSince', async () => {
    const jira = tracker();
    await jira.findOrCreateIssue(42, fields, link);
    await jira.findOrCreateIssue(43, fields, link);
    const pollFrom = START + 10 * 60_000 + 30_000; // 14:10:30

    now = START + 20 * 60_000; // 14:20
    standin.humanTransition('ORION-1', 'In Progress');
    expect(await jira.changedSince('ORION', pollFrom)).toEqual([
      { key: 'ORION-1', incidentId: 42, status: 'In Progress', updated: now },
    ]);

    now = START + 45 * 60_000;
    standin.humanTransition('ORION-1', 'Done');
    standin.humanComment('ORION-2', 'Looking into it');
    const later = await jira.changedSince('ORION', START + 30 * 60_000);
    expect(later.map((c) => [c.key, c.status])).toEqual([
      ['ORION-2', 'To Do'],
      ['ORION-1', 'Done'],
    ]);
    // Nothing changed after the last poll.
    expect(await jira.changedSince('ORION', now + 60_000)).toEqual([]);
  });

  it('refuses an injected project key before anything reaches Jira', async () => {
    await expect(tracker().changedSince('ORION" OR project != "X', START)).rejects.toBeInstanceOf(
      PermanentError,
    );
    expect(standin.calls).toEqual([]);
  });
});
