// The bodies Jira Cloud posts to a registered webhook when a person changes an issue, so the sandbox can
// feed the bot's Jira webhook receiver the same thing the real site would.
import type { ChangelogEntry } from './state.js';
import { statusByName } from './state.js';
import type { JiraWebhookBody, StoredComment, StoredIssue } from './types.js';
import { jiraTime, richText } from './wire.js';

function person(base: string, name: string): Record<string, unknown> {
  const accountId = `human-${name.toLowerCase().replace(/\W+/g, '-')}`;
  return {
    self: `${base}/rest/api/2/user?accountId=${accountId}`,
    accountId,
    displayName: name,
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  };
}

function issueBody(base: string, issue: StoredIssue): Record<string, unknown> {
  const status = statusByName(issue.status);
  return {
    id: issue.id,
    self: `${base}/rest/api/2/issue/${issue.id}`,
    key: issue.key,
    fields: {
      summary: issue.summary,
      labels: issue.labels,
      status: {
        self: `${base}/rest/api/2/status/${status.id}`,
        id: status.id,
        name: status.name,
        statusCategory: { id: status.category.id, key: status.category.key, name: status.category.name },
      },
      priority: { name: issue.priority },
      issuetype: { name: issue.issueType },
      project: { key: issue.projectKey },
      created: jiraTime(issue.created),
      updated: jiraTime(issue.updated),
    },
  };
}

export function humanTransitionBody(
  base: string,
  issue: StoredIssue,
  entry: ChangelogEntry,
): JiraWebhookBody {
  return {
    timestamp: entry.at,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: person(base, entry.author),
    issue: issueBody(base, issue),
    changelog: {
      id: String(30_000 + (entry.at % 10_000)),
      items: entry.items.map((item) => ({ ...item, fieldtype: 'jira', fieldId: item.field })),
    },
  };
}

export function humanCommentBody(base: string, issue: StoredIssue, comment: StoredComment): JiraWebhookBody {
  return {
    timestamp: comment.created,
    webhookEvent: 'comment_created',
    comment: {
      self: `${base}/rest/api/2/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author: person(base, comment.author),
      body: richText(comment.body, 2),
      updateAuthor: person(base, comment.author),
      created: jiraTime(comment.created),
      updated: jiraTime(comment.created),
      jsdPublic: true,
    },
    issue: issueBody(base, issue),
  };
}
