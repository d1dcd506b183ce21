// The EscalationTracker port on Jira (Cloud REST v3 or Server/Data Center REST v2). Every write is
// idempotent so the scheduler may repeat any call after any failure:
//   findOrCreateIssue — looks the issue up by the label `opsbot-incident-<id>` first (labels are set in the
//     create request itself, so they exist the moment the issue does; the entity property may lag the
//     search index), creates only when nothing is found, then sets the `opsbot` property and the remote
//     link. Both are keyed (PUT by property key, remote link by globalId), and are re-applied when the
//     issue is found, which repairs an earlier attempt that died between the create and those calls.
//   addComment — not idempotent on Jira's side; the job's idempotency key guards it.
import type { Client } from 'jira.js/core';
import type { Doc } from '../../domain/message.js';
import { PermanentError } from '../../jobs/errors.js';
import type { EscalationTracker, IssueChange, IssueFields, IssueRef } from '../ports.js';
import { docToAdf } from './adf.js';
import { type JiraErrorContext, toJiraError } from './errors.js';
import {
  assertProjectKey,
  changedSinceJql,
  incidentIdFromLabels,
  incidentLabel,
  incidentLookupJql,
  OPSBOT_LABEL,
} from './jql.js';
import type { JiraRest, SearchedIssue } from './rest.js';
import { cloudRest } from './rest-cloud.js';
import { dataCenterRest } from './rest-datacenter.js';
import { credentialVariables, type JiraSettings } from './settings.js';
import { createJiraClient } from './transport.js';

export type { JiraSettings } from './settings.js';

/** Entity property holding `{ incidentId }` (queryable as `issue.property[opsbot].incidentId = 42`). */
export const OPSBOT_PROPERTY = 'opsbot';

/**
 * Who the calls are for. `tenantId` only shapes hints: a rejected priority says
 * "check tenants.acme.jira.priorities" instead of "tenants.<tenant>.jira.priorities". Pass it to the
 * constructor, or derive a per-tenant tracker that shares the connection with `forTenant(tenantId)`.
 */
export interface JiraCallContext {
  tenantId?: string;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

export class JiraEscalationTracker implements EscalationTracker {
  private readonly client: Client;
  private readonly rest: JiraRest;

  constructor(
    private readonly settings: JiraSettings,
    private readonly context: JiraCallContext = {},
    client?: Client,
  ) {
    let jira: Client;
    try {
      jira = client ?? createJiraClient(settings);
    } catch (error) {
      // jira.js validates host/auth with zod at construction; a bad value is a config problem.
      throw new PermanentError(
        `Jira settings rejected: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: `check the ${settings.envPrefix ?? 'JIRA'}_* environment variables`,
          cause: error,
        },
      );
    }
    this.client = jira;
    this.rest = settings.apiVersion === 3 ? cloudRest(jira) : dataCenterRest(jira);
  }

  /** The same site and connection, with hints naming this tenant's config. */
  forTenant(tenantId: string): JiraEscalationTracker {
    return new JiraEscalationTracker(this.settings, { ...this.context, tenantId }, this.client);
  }

  /** Browse URL for people: `<baseUrl>/browse/ORION-1`. */
  browseUrl(issueKey: string): string {
    return `${this.settings.baseUrl}/browse/${issueKey}`;
  }

  async findOrCreateIssue(
    incidentId: number,
    fields: IssueFields,
    remoteLink: { url: string; title: string },
  ): Promise<IssueRef> {
    const tenantId = this.context.tenantId;
    const projectKey = assertProjectKey(fields.projectKey, tenantId);
    const label = incidentLabel(incidentId);

    const existing = await this.call(
      {
        operation: `search ${projectKey} for the issue of incident ${incidentId}`,
        projectKey,
        permission: 'Browse Projects',
      },
      () => this.rest.search(incidentLookupJql(projectKey, incidentId, tenantId), ['labels'], 10),
    );
    // Re-checked client-side: a search that ignored the JQL (a proxy, a stub) must not adopt another issue.
    const found = oldest(existing.filter((issue) => issue.labels.includes(label)));

    let issue: { id: string; key: string };
    let created: boolean;
    if (found) {
      issue = found;
      created = false;
    } else {
      issue = await this.call(
        {
          operation: `create issues in ${projectKey}`,
          projectKey,
          issueType: fields.issueType,
          priority: fields.priority,
          permission: 'Create Issues',
        },
        () =>
          this.rest.createIssue({
            projectKey,
            issueType: fields.issueType,
            priority: fields.priority,
            summary: fields.summary,
            description: docToAdf(fields.description),
            // The lookup label goes in with the create itself: there is no moment the issue exists without it.
            labels: [...new Set([...fields.labels, OPSBOT_LABEL, label])],
          }),
      );
      created = true;
    }

    await this.call(
      {
        operation: `set the ${OPSBOT_PROPERTY} property on ${issue.key}`,
        projectKey,
        issueKey: issue.key,
        permission: 'Edit Issues',
      },
      () => this.rest.setIssueProperty(issue.key, OPSBOT_PROPERTY, { incidentId }),
    );
    await this.call(
      {
        operation: `link ${issue.key} to the incident`,
        projectKey,
        issueKey: issue.key,
        permission: 'Link Issues',
      },
      () =>
        this.rest.upsertRemoteLink(issue.key, {
          globalId: label,
          url: remoteLink.url,
          title: remoteLink.title,
        }),
    );

    return { key: issue.key, id: issue.id, url: this.browseUrl(issue.key), created };
  }

  async addComment(issueKey: string, body: Doc): Promise<void> {
    assertIssueKey(issueKey, this.context.tenantId);
    await this.call(
      {
        operation: `comment on ${issueKey}`,
        projectKey: issueKey.slice(0, issueKey.lastIndexOf('-')),
        issueKey,
        permission: 'Add Comments',
      },
      () => this.rest.addComment(issueKey, docToAdf(body)),
    );
  }

  async changedSince(projectKey: string, since: number): Promise<IssueChange[]> {
    const tenantId = this.context.tenantId;
    assertProjectKey(projectKey, tenantId);
    const jql = changedSinceJql(projectKey, since, this.settings.timeZone ?? 'UTC', tenantId);
    const issues = await this.call(
      {
        operation: `search ${projectKey} for updated opsbot issues`,
        projectKey,
        permission: 'Browse Projects',
      },
      () => this.rest.search(jql, ['labels', 'status', 'updated'], 100),
    );
    // JQL has minute resolution: drop what changed in the minute before `since`.
    return issues
      .filter((issue) => issue.updated === null || issue.updated >= since)
      .map((issue) => ({
        key: issue.key,
        incidentId: incidentIdFromLabels(issue.labels),
        status: issue.status ?? 'Unknown',
        updated: issue.updated ?? this.settings.now(),
      }));
  }

  private async call<T>(
    ctx: Omit<JiraErrorContext, 'apiVersion' | 'credentialVariables' | 'envPrefix' | 'tenantId'>,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toJiraError(error, {
        ...ctx,
        tenantId: this.context.tenantId,
        apiVersion: this.settings.apiVersion,
        credentialVariables: credentialVariables(this.settings),
        envPrefix: this.settings.envPrefix ?? 'JIRA',
      });
    }
  }
}

function assertIssueKey(issueKey: string, tenantId?: string): void {
  if (!ISSUE_KEY.test(issueKey)) {
    throw new PermanentError(`"${issueKey}" is not a Jira issue key`, {
      hint: `expected a key like ORION-123 (tenant ${tenantId ?? '<tenant>'})`,
    });
  }
}

/** Should duplicates exist (made before this adapter, or by hand), the first one created wins, every time. */
function oldest(issues: SearchedIssue[]): SearchedIssue | undefined {
  return [...issues].sort((a, b) => Number(a.id) - Number(b.id))[0];
}

export { jiraSettingsFromEnv } from './settings.js';
