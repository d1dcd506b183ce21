// The Jira stand-in's own fidelity: its answers validate against jira.js's Cloud v3 schemas (with
// onSchemaMismatch 'throw'), and it behaves like Jira where the bot could trip — JQL errors, the removed
// /search endpoint, transitions, remote links by globalId, auth, content types, fault injection.
import {
  addComment,
  createIssue,
  createOrUpdateRemoteIssueLink,
  doTransition,
  getComments,
  getIssue,
  getIssueProperty,
  getRemoteIssueLinks,
  getTransitions,
  searchAndReconsileIssuesUsingJql,
  searchAndReconsileIssuesUsingJqlPost,
  setIssueProperty,
} from 'jira.js/cloud';
import { type Client, createClient } from 'jira.js/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JiraStandIn } from '../../../sandbox/jira-standin/index.js';
import { adfDoc, adfParagraph } from '../../../src/integrations/jira/adf.js';
import { jqlString } from '../../../src/integrations/jira/jql.js';

let standin: JiraStandIn;
let client: Client;
let now = Date.UTC(2024, 4, 1, 14, 0);

beforeEach(async () => {
  now = Date.UTC(2024, 4, 1, 14, 0);
  standin = await JiraStandIn.start({
    projects: ['ORION', 'HELIX'],
    priorities: ['P1', 'P2'],
    now: () => now,
  });
  client = createClient({
    host: standin.url,
    auth: { type: 'basic', email: standin.email, apiToken: standin.apiToken },
    onSchemaMismatch: 'throw',
  });
});

afterEach(async () => {
  await standin.stop();
});

async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${standin.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${standin.email}:${standin.apiToken}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const fields = (extra: Record<string, unknown> = {}) => ({
  project: { key: 'ORION' },
  issuetype: { name: 'Bug' },
  priority: { name: 'P1' },
  summary: 'Disk full',
  description: adfDoc(adfParagraph('details')),
  labels: ['opsbot'],
  ...extra,
});

describe('answers match jira.js Cloud v3 schemas', () => {
  it('issue, search, property, comment, remote link, transitions', async () => {
    const created = await createIssue(client, { fields: fields() });
    expect(created).toEqual({
      id: expect.any(String),
      key: 'ORION-1',
      self: `${standin.url}/rest/api/3/issue/${created.id}`,
    });

    const issue = await getIssue(client, {
      issueIdOrKey: 'ORION-1',
      fields: ['status', 'labels', 'updated'],
    });
    expect(issue.fields).toEqual({
      status: expect.objectContaining({ name: 'To Do' }),
      labels: ['opsbot'],
      updated: '2024-05-01T14:00:00.000+0000',
    });

    const page = await searchAndReconsileIssuesUsingJql(client, {
      jql: 'project = ORION',
      fields: ['labels'],
    });
    expect(page.issues?.map((i) => [i.key, i.fields])).toEqual([['ORION-1', { labels: ['opsbot'] }]]);
    const idsOnly = await searchAndReconsileIssuesUsingJqlPost(client, { jql: 'project = ORION' });
    expect(idsOnly.issues?.[0]).not.toHaveProperty('fields');

    await setIssueProperty(client, {
      issueIdOrKey: 'ORION-1',
      propertyKey: 'opsbot',
      body: { incidentId: 42 },
    });
    expect(await getIssueProperty(client, { issueIdOrKey: 'ORION-1', propertyKey: 'opsbot' })).toMatchObject({
      key: 'opsbot',
      value: { incidentId: 42 },
    });
    const byProperty = await searchAndReconsileIssuesUsingJqlPost(client, {
      jql: 'issue.property[opsbot].incidentId = 42',
    });
    expect(byProperty.issues?.map((i) => i.key)).toEqual(['ORION-1']);

    const comment = await addComment(client, {
      issueIdOrKey: 'ORION-1',
      body: adfDoc(adfParagraph('hi')) as never,
    });
    expect(comment.body).toEqual(adfDoc(adfParagraph('hi')));
    expect((await getComments(client, { issueIdOrKey: 'ORION-1' })).comments).toHaveLength(1);

    const linkBody = { globalId: 'opsbot-incident-42', object: { url: 'https://x.example/1', title: 'one' } };
    const first = await createOrUpdateRemoteIssueLink(client, { issueIdOrKey: 'ORION-1', ...linkBody });
    const again = await createOrUpdateRemoteIssueLink(client, {
      issueIdOrKey: 'ORION-1',
      ...linkBody,
      object: { url: 'https://x.example/1', title: 'renamed' },
    });
    expect(again.id).toBe(first.id);
    expect(await getRemoteIssueLinks(client, { issueIdOrKey: 'ORION-1' })).toEqual([
      expect.objectContaining({
        globalId: 'opsbot-incident-42',
        object: { url: 'https://x.example/1', title: 'renamed' },
      }),
    ]);

    const { transitions } = await getTransitions(client, { issueIdOrKey: 'ORION-1' });
    expect(transitions?.map((t) => [t.id, t.to?.name])).toEqual([['11', 'In Progress']]);
    now += 60_000;
    await doTransition(client, { issueIdOrKey: 'ORION-1', transition: { id: '11' } });
    await doTransition(client, { issueIdOrKey: 'ORION-1', transition: { id: '31' } });
    expect(standin.issues()[0]).toMatchObject({ status: 'Done', updated: now });
  });
});

describe('Jira behaviour the bot depends on', () => {
  it('validates creates like Jira, with its error body', async () => {
    expect(await raw('POST', '/rest/api/3/issue', { fields: fields({ project: { key: 'NOPE' } }) })).toEqual({
      status: 400,
      body: { errorMessages: [], errors: { project: 'Specify a valid project ID or key' } },
    });
    expect(
      await raw('POST', '/rest/api/3/issue', {
        fields: fields({
          priority: { name: 'Highest' },
          issuetype: { name: 'Epic' },
          labels: ['has space'],
          summary: '',
        }),
      }),
    ).toEqual({
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          issuetype: 'The issue type selected is invalid.',
          priority: "Priority name 'Highest' is not valid",
          summary: 'You must specify a summary of the issue.',
          labels: "The label 'has space' contains spaces which is invalid.",
        },
      },
    });
    // Rich text must match the API version: ADF on v3, wiki strings on v2.
    expect((await raw('POST', '/rest/api/3/issue', { fields: fields({ description: 'text' }) })).status).toBe(
      400,
    );
    expect((await raw('POST', '/rest/api/2/issue', { fields: fields() })).status).toBe(400);
    expect(
      (await raw('POST', '/rest/api/2/issue', { fields: fields({ description: 'h2. wiki' }) })).status,
    ).toBe(201);
    expect(standin.issues().map((i) => i.key)).toEqual(['ORION-1']);
  });

  it('numbers keys per project', async () => {
    await createIssue(client, { fields: fields() });
    await createIssue(client, { fields: fields({ project: { key: 'HELIX' } }) });
    await createIssue(client, { fields: fields() });
    expect(standin.issues().map((i) => i.key)).toEqual(['ORION-1', 'HELIX-1', 'ORION-2']);
  });

  it('answers JQL like Jira: unknown projects and fields are 400s; escaped strings stay strings', async () => {
    await createIssue(client, { fields: fields({ labels: ['opsbot', 'opsbot-incident-1'] }) });
    const search = (jql: string) => raw('POST', '/rest/api/3/search/jql', { jql, fields: ['labels'] });

    expect(await search('project = "NOPE"')).toEqual({
      status: 400,
      body: { errorMessages: ["The value 'NOPE' does not exist for the field 'project'."], errors: {} },
    });
    expect((await search('bogus = 1')).status).toBe(400);
    expect((await search('project = "ORION')).status).toBe(400);
    expect((await search('updated >= "yesterday"')).status).toBe(400);
    expect((await search('')).status).toBe(400);

    // Unescaped, the attempt would widen the query; escaped, it is one (nonexistent) project name.
    const attempt = 'ORION" OR project != "X';
    expect((await search(`project = "${attempt}"`)).status).toBe(400);
    expect(await search(`project = ${jqlString(attempt)}`)).toEqual({
      status: 400,
      body: { errorMessages: [`The value '${attempt}' does not exist for the field 'project'.`], errors: {} },
    });

    const ok = await search(
      'project = ORION AND labels = "opsbot-incident-1" AND updated >= "2024/05/01 14:00"',
    );
    expect(ok.status).toBe(200);
    expect((ok.body as { issues: unknown[] }).issues).toHaveLength(1);
    expect(
      ((await search('updated >= "2024/05/01 14:01"')).body as { issues: unknown[] }).issues,
    ).toHaveLength(0);
    expect(
      ((await search('labels in (x, opsbot) OR project = HELIX')).body as { issues: unknown[] }).issues,
    ).toHaveLength(1);
  });

  it('pages v3 search with nextPageToken and v2 search with startAt/total', async () => {
    for (let i = 0; i < 5; i += 1) await createIssue(client, { fields: fields() });
    const p1 = (await raw('POST', '/rest/api/3/search/jql', { jql: 'project = ORION', maxResults: 2 }))
      .body as {
      issues: { key: string }[];
      nextPageToken?: string;
      isLast: boolean;
    };
    expect(p1.issues.map((i) => i.key)).toEqual(['ORION-5', 'ORION-4']);
    expect(p1.isLast).toBe(false);
    const p3 = (
      await raw(
        'GET',
        `/rest/api/3/search/jql?jql=project%3DORION&maxResults=2&nextPageToken=${Buffer.from('4').toString('base64url')}`,
      )
    ).body as { issues: unknown[]; isLast: boolean; nextPageToken?: string };
    expect(p3).toMatchObject({ isLast: true });
    expect(p3.nextPageToken).toBeUndefined();

    const v2 = (await raw('GET', '/rest/api/2/search?jql=project%20%3D%20ORION&startAt=4&maxResults=2')).body;
    expect(v2).toMatchObject({ startAt: 4, maxResults: 2, total: 5, issues: [{ key: 'ORION-1' }] });
  });

  it('has removed the old Cloud /rest/api/3/search', async () => {
    expect((await raw('GET', '/rest/api/3/search?jql=project%3DORION')).status).toBe(410);
  });

  it('requires valid basic or bearer credentials and JSON bodies', async () => {
    expect(
      (await raw('GET', '/rest/api/3/myself', undefined, { authorization: 'Basic bm9wZTpub3Bl' })).status,
    ).toBe(401);
    expect(
      (await raw('GET', '/rest/api/2/myself', undefined, { authorization: `Bearer ${standin.pat}` })).status,
    ).toBe(200);
    expect((await raw('GET', '/rest/api/2/myself', undefined, { authorization: 'Bearer nope' })).status).toBe(
      401,
    );
    expect(
      (
        await raw('POST', '/rest/api/3/issue', 'fields=x', {
          'content-type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(415);
    expect((await raw('POST', '/rest/api/3/issue', '{not json')).status).toBe(400);
  });

  it('injects faults by method and path, in order, and records every call', async () => {
    standin.failNext({ method: 'POST', path: /\/issue$/ }, { status: 500, times: 2 });
    standin.failNext({ path: /myself/ }, { status: 429, retryAfterSec: 3, body: { message: 'slow down' } });
    expect((await raw('GET', '/rest/api/3/myself')).status).toBe(429);
    expect((await raw('GET', '/rest/api/3/myself')).status).toBe(200);
    expect((await raw('POST', '/rest/api/3/issue', { fields: fields() })).status).toBe(500);
    expect((await raw('POST', '/rest/api/3/issue', { fields: fields() })).status).toBe(500);
    expect((await raw('POST', '/rest/api/3/issue', { fields: fields() })).status).toBe(201);
    expect(standin.calls.map((c) => `${c.method} ${c.path} ${c.status} ${c.auth}`)).toEqual([
      'GET /rest/api/3/myself 429 basic',
      'GET /rest/api/3/myself 200 basic',
      'POST /rest/api/3/issue 500 basic',
      'POST /rest/api/3/issue 500 basic',
      'POST /rest/api/3/issue 201 basic',
    ]);
    expect(() => standin.failNext({}, { status: 302 })).toThrow(/status must be/);
  });

  it('humanTransition follows the workflow and updates `updated`', async () => {
    await createIssue(client, { fields: fields() });
    now += 5 * 60_000;
    standin.humanTransition('ORION-1', 'In Progress');
    expect(standin.issues()[0]).toMatchObject({ status: 'In Progress', updated: now });
    expect(() => standin.humanTransition('ORION-1', 'Blocked')).toThrow(/can move to To Do or Done/);
    expect(() => standin.humanTransition('ORION-9', 'Done')).toThrow(/no issue ORION-9/);
  });
});
