// Jira's webhook bodies → the events the bot reacts to: a realistic Cloud `jira:issue_updated` with a
// status changelog, `comment_created`, the older "issue_commented" form, and what the stand-in emits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JiraStandIn } from '../../../sandbox/jira-standin/index.js';
import { doc, msg } from '../../../src/domain/message.js';
import { JiraEscalationTracker } from '../../../src/integrations/jira/adapter.js';
import { parseJiraWebhook } from '../../../src/integrations/jira/webhook.js';

/** Shaped after a body Jira Cloud posts for a status change (trimmed of avatar/self noise, fields kept). */
const issueUpdated = {
  timestamp: 1714572602914,
  webhookEvent: 'jira:issue_updated',
  issue_event_type_name: 'issue_generic',
  user: {
    self: 'https://acme.atlassian.net/rest/api/2/user?accountId=5b10ac8d82e05b22cc7d4ef5',
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    avatarUrls: { '48x48': 'https://avatar-management.example/48.png' },
    displayName: 'Dana Engineer',
    active: true,
    timeZone: 'Europe/Berlin',
    accountType: 'atlassian',
  },
  issue: {
    id: '10001',
    self: 'https://acme.atlassian.net/rest/api/2/10001',
    key: 'ORION-1',
    fields: {
      statuscategorychangedate: '2024-05-01T16:10:02.870+0200',
      issuetype: { id: '10004', name: 'Bug', subtask: false },
      project: { id: '10000', key: 'ORION', name: 'Orion Engineering', projectTypeKey: 'software' },
      priority: { id: '1', name: 'Highest' },
      labels: ['customer-acme', 'opsbot', 'opsbot-incident-42'],
      status: {
        id: '3',
        name: 'In Progress',
        statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
      },
      summary: '[acme] Sev1 disk full on cluster-03',
      description: null,
      updated: '2024-05-01T16:10:02.866+0200',
      created: '2024-05-01T16:00:00.000+0200',
    },
  },
  changelog: {
    id: '10180',
    items: [
      {
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: '10000',
        fromString: 'To Do',
        to: '3',
        toString: 'In Progress',
      },
    ],
  },
};

describe('parseJiraWebhook', () => {
  it('reads a status change with who made it and the incident from the label', () => {
    expect(parseJiraWebhook(issueUpdated)).toEqual({
      ok: true,
      event: {
        issueKey: 'ORION-1',
        incidentId: 42,
        status: 'In Progress',
        changedBy: 'Dana Engineer',
        kind: 'status',
      },
    });
  });

  it('calls an update without a status item "other" and keeps the current status', () => {
    const body = {
      ...issueUpdated,
      changelog: {
        id: '10181',
        items: [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, to: 'x' }],
      },
    };
    expect(parseJiraWebhook(body)).toMatchObject({
      ok: true,
      event: { kind: 'other', status: 'In Progress' },
    });
  });

  it('reads comment_created (author of the comment) and the older issue_commented form', () => {
    const commentCreated = {
      timestamp: 1714572700000,
      webhookEvent: 'comment_created',
      comment: {
        id: '10200',
        author: { accountId: '5b10', displayName: 'Sam Support' },
        body: 'Customer confirms the workaround',
        created: '2024-05-01T16:11:40.000+0200',
      },
      issue: {
        id: '10001',
        key: 'ORION-1',
        fields: { summary: 'x', labels: ['opsbot-incident-42'], status: { name: 'To Do' } },
      },
    };
    expect(parseJiraWebhook(commentCreated)).toEqual({
      ok: true,
      event: {
        issueKey: 'ORION-1',
        incidentId: 42,
        status: 'To Do',
        changedBy: 'Sam Support',
        kind: 'comment',
      },
    });
    const older = {
      ...issueUpdated,
      issue_event_type_name: 'issue_commented',
      changelog: undefined,
      comment: commentCreated.comment,
    };
    expect(parseJiraWebhook(older)).toMatchObject({
      ok: true,
      event: { kind: 'comment', changedBy: 'Sam Support' },
    });
  });

  it('reads Data Center bodies (user name, no accountId) and issues without the bot label', () => {
    const dc = {
      ...issueUpdated,
      user: { name: 'dana', key: 'JIRAUSER10100', displayName: 'Dana (DC)' },
      issue: { ...issueUpdated.issue, fields: { ...issueUpdated.issue.fields, labels: [] } },
    };
    expect(parseJiraWebhook(dc)).toMatchObject({
      ok: true,
      event: { incidentId: null, changedBy: 'Dana (DC)' },
    });
  });

  it('does not mistake a missing toString for Object.prototype.toString', () => {
    const body = {
      ...issueUpdated,
      changelog: { id: '1', items: [{ field: 'status', fromString: 'To Do' }] },
    };
    expect(parseJiraWebhook(body)).toMatchObject({
      ok: true,
      event: { kind: 'status', status: 'In Progress' },
    });
  });

  it('says why a body is not a Jira issue webhook', () => {
    expect(parseJiraWebhook(null)).toMatchObject({ ok: false });
    expect(parseJiraWebhook({ webhookEvent: 'jira:issue_updated' })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not a Jira issue webhook: issue/),
    });
    expect(parseJiraWebhook({ ...issueUpdated, issue: { key: 'not a key' } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('issue.key'),
    });
  });
});

describe('webhook bodies from the stand-in', () => {
  let standin: JiraStandIn;
  beforeEach(async () => {
    standin = await JiraStandIn.start({ projects: ['ORION'] });
  });
  afterEach(async () => {
    await standin.stop();
  });

  it('parse into the same events as the real ones', async () => {
    const jira = new JiraEscalationTracker({
      baseUrl: standin.url,
      apiVersion: 3,
      auth: { kind: 'basic', email: standin.email, apiToken: standin.apiToken },
      timeoutMs: 2000,
      now: Date.now,
    });
    const { key } = await jira.findOrCreateIssue(
      7,
      {
        projectKey: 'ORION',
        issueType: 'Bug',
        priority: 'High',
        summary: 's',
        description: doc({ paragraph: msg('d') }),
        labels: [],
      },
      { url: 'https://acme.slack.com/archives/C1/p1', title: 't' },
    );
    expect(parseJiraWebhook(standin.humanTransition(key, 'In Progress', 'Dana Engineer'))).toEqual({
      ok: true,
      event: {
        issueKey: key,
        incidentId: 7,
        status: 'In Progress',
        changedBy: 'Dana Engineer',
        kind: 'status',
      },
    });
    expect(parseJiraWebhook(standin.humanComment(key, 'on it', 'Sam Support'))).toEqual({
      ok: true,
      event: {
        issueKey: key,
        incidentId: 7,
        status: 'In Progress',
        changedBy: 'Sam Support',
        kind: 'comment',
      },
    });
    expect(() => standin.humanTransition(key, 'To Do')).not.toThrow();
    expect(() => standin.humanTransition(key, 'Done')).toThrow(/can move to In Progress, not "Done"/);
  });
});
