// Jira Cloud, REST v3, through jira.js's own endpoint functions (ADF for rich text). Each call names the
// jira.js function it uses; nothing here builds a URL by hand.

import {
  addComment,
  createIssue,
  createOrUpdateRemoteIssueLink,
  type Document,
  searchAndReconsileIssuesUsingJqlPost,
  setIssueProperty,
} from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import type { AdfDocument } from './adf.js';
import {
  type JiraRest,
  MAX_PAGES,
  type NewIssue,
  parseCreated,
  parseTokenPage,
  type RemoteLink,
  remoteLinkObject,
  type SearchedIssue,
} from './rest.js';

export function cloudRest(client: Client): JiraRest {
  return {
    apiVersion: 3,

    // POST /rest/api/3/search/jql (the enhanced search; the old /search is removed on Cloud). POST keeps
    // the JQL out of the URL, so nothing about its quoting depends on URL encoding.
    async search(jql: string, fields: string[], pageSize: number): Promise<SearchedIssue[]> {
      const found: SearchedIssue[] = [];
      let nextPageToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const data: unknown = await searchAndReconsileIssuesUsingJqlPost(client, {
          jql,
          fields,
          maxResults: pageSize,
          ...(nextPageToken ? { nextPageToken } : {}),
        });
        const parsed = parseTokenPage(data);
        found.push(...parsed.issues);
        if (!parsed.nextPageToken || parsed.nextPageToken === nextPageToken) return found;
        nextPageToken = parsed.nextPageToken;
      }
      return found;
    },

    // POST /rest/api/3/issue → 201 {id, key, self}. The description is an ADF object, which is what makes
    // jira.js pick the v3 path (a string description would be routed to /rest/api/2/issue).
    async createIssue(issue: NewIssue): Promise<{ id: string; key: string }> {
      const data: unknown = await createIssue(client, {
        fields: {
          project: { key: issue.projectKey },
          issuetype: { name: issue.issueType },
          priority: { name: issue.priority },
          summary: issue.summary,
          description: issue.description,
          labels: issue.labels,
        },
      });
      return parseCreated(data);
    },

    // PUT /rest/api/3/issue/{key}/properties/{propertyKey} with the JSON value as the body.
    async setIssueProperty(
      issueKey: string,
      propertyKey: string,
      value: Record<string, unknown>,
    ): Promise<void> {
      await setIssueProperty(client, { issueIdOrKey: issueKey, propertyKey, body: value });
    },

    // POST /rest/api/3/issue/{key}/remotelink — create-or-update by globalId.
    async upsertRemoteLink(issueKey: string, link: RemoteLink): Promise<void> {
      await createOrUpdateRemoteIssueLink(client, {
        issueIdOrKey: issueKey,
        globalId: link.globalId,
        object: remoteLinkObject(link),
      });
    },

    // POST /rest/api/3/issue/{key}/comment with an ADF body.
    async addComment(issueKey: string, body: AdfDocument): Promise<void> {
      // The port's AdfDocument types `content` as unknown[]; jira.js wants records. Same JSON.
      await addComment(client, { issueIdOrKey: issueKey, body: body as Document });
    },
  };
}
