// Jira Server/Data Center, REST v2 (wiki text for rich text). jira.js v6 has no v2 surface — its endpoint
// functions are generated from the Cloud v3 spec, and the ones that accept strings read the result back
// through v3, which Data Center does not have — so these calls use jira.js's own transport
// (`client.sendRequest`: same auth headers, same typed errors) with the documented v2 paths.
import type { Client } from 'jira.js/core';
import type { AdfDocument } from './adf.js';
import { adfToText } from './adf.js';
import {
  type JiraRest,
  MAX_PAGES,
  type NewIssue,
  parseCreated,
  parseOffsetPage,
  type RemoteLink,
  remoteLinkObject,
  type SearchedIssue,
} from './rest.js';

const V2 = '/rest/api/2';

const issuePath = (issueKey: string) => `${V2}/issue/${encodeURIComponent(issueKey)}`;

export function dataCenterRest(client: Client): JiraRest {
  return {
    apiVersion: 2,

    // POST /rest/api/2/search {jql, fields, startAt, maxResults} → {startAt, maxResults, total, issues}.
    async search(jql: string, fields: string[], pageSize: number): Promise<SearchedIssue[]> {
      const found: SearchedIssue[] = [];
      let startAt = 0;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const data = await client.sendRequest<unknown>({
          url: `${V2}/search`,
          method: 'POST',
          body: { jql, fields, startAt, maxResults: pageSize },
        });
        const parsed = parseOffsetPage(data);
        found.push(...parsed.issues);
        startAt = parsed.startAt + parsed.issues.length;
        if (parsed.issues.length === 0 || parsed.total === undefined || startAt >= parsed.total) return found;
      }
      return found;
    },

    // POST /rest/api/2/issue → 201 {id, key, self}; the description is wiki markup text.
    async createIssue(issue: NewIssue): Promise<{ id: string; key: string }> {
      const data = await client.sendRequest<unknown>({
        url: `${V2}/issue`,
        method: 'POST',
        body: {
          fields: {
            project: { key: issue.projectKey },
            issuetype: { name: issue.issueType },
            priority: { name: issue.priority },
            summary: issue.summary,
            description: adfToText(issue.description),
            labels: issue.labels,
          },
        },
      });
      return parseCreated(data);
    },

    // PUT /rest/api/2/issue/{key}/properties/{propertyKey}.
    async setIssueProperty(
      issueKey: string,
      propertyKey: string,
      value: Record<string, unknown>,
    ): Promise<void> {
      await client.sendRequest<unknown>({
        url: `${issuePath(issueKey)}/properties/${encodeURIComponent(propertyKey)}`,
        method: 'PUT',
        body: value,
      });
    },

    // POST /rest/api/2/issue/{key}/remotelink — create-or-update by globalId.
    async upsertRemoteLink(issueKey: string, link: RemoteLink): Promise<void> {
      await client.sendRequest<unknown>({
        url: `${issuePath(issueKey)}/remotelink`,
        method: 'POST',
        body: { globalId: link.globalId, object: remoteLinkObject(link) },
      });
    },

    // POST /rest/api/2/issue/{key}/comment {body: "wiki text"}.
    async addComment(issueKey: string, body: AdfDocument): Promise<void> {
      await client.sendRequest<unknown>({
        url: `${issuePath(issueKey)}/comment`,
        method: 'POST',
        body: { body: adfToText(body) },
      });
    },
  };
}
