// Reads the webhook bodies Jira posts when people act on an escalation: `jira:issue_updated` (a status
// change shows up as a changelog item with field "status", fromString → toString) and `comment_created`
// (older sites send comments as `jira:issue_updated` with issue_event_type_name "issue_commented").
// Parsed loosely with zod: Jira adds fields freely, and only the few read here must have the right shape.
import { z } from 'zod';
import { incidentIdFromLabels } from './jql.js';

export interface JiraWebhookEvent {
  issueKey: string;
  /** From the `opsbot-incident-<id>` label; null for issues the bot did not create. */
  incidentId: number | null;
  /** The new status for a status change, else the issue's current status when the body has it. */
  status: string | null;
  /** Display name of the person (Cloud) or user name (Data Center) who made the change. */
  changedBy: string | null;
  kind: 'status' | 'comment' | 'other';
}

export type JiraWebhookParse = { ok: true; event: JiraWebhookEvent } | { ok: false; reason: string };

const UserSchema = z
  .object({
    displayName: z.string().optional(),
    name: z.string().optional(),
    accountId: z.string().optional(),
  })
  .loose();

const WebhookSchema = z
  .object({
    webhookEvent: z.string(),
    issue_event_type_name: z.string().optional(),
    user: UserSchema.nullish(),
    issue: z
      .object({
        key: z.string().regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'expected an issue key like ORION-12'),
        fields: z
          .object({
            labels: z.array(z.string()).nullish(),
            status: z.object({ name: z.string() }).loose().nullish(),
          })
          .loose()
          .nullish(),
      })
      .loose(),
    changelog: z
      .object({
        // Records, not objects with a `toString` key: a schema key named toString would read the inherited
        // Object.prototype.toString whenever Jira leaves the field out.
        items: z.array(z.record(z.string(), z.unknown())).default([]),
      })
      .loose()
      .nullish(),
    comment: z.object({ author: UserSchema.nullish(), updateAuthor: UserSchema.nullish() }).loose().nullish(),
  })
  .loose();

function ownString(record: Record<string, unknown>, key: string): string | null {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? value : null;
}

function personName(user: z.infer<typeof UserSchema> | null | undefined): string | null {
  return user?.displayName ?? user?.name ?? user?.accountId ?? null;
}

export function parseJiraWebhook(body: unknown): JiraWebhookParse {
  const parsed = WebhookSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'body';
    return { ok: false, reason: `not a Jira issue webhook: ${where}: ${first?.message ?? 'invalid'}` };
  }
  const hook = parsed.data;
  const issueKey = hook.issue.key;
  const incidentId = incidentIdFromLabels(hook.issue.fields?.labels ?? []);
  const currentStatus = hook.issue.fields?.status?.name ?? null;

  const isComment =
    hook.webhookEvent === 'comment_created' ||
    (hook.webhookEvent === 'jira:issue_updated' && hook.issue_event_type_name === 'issue_commented');
  if (isComment) {
    return {
      ok: true,
      event: {
        issueKey,
        incidentId,
        status: currentStatus,
        changedBy: personName(hook.comment?.author) ?? personName(hook.user),
        kind: 'comment',
      },
    };
  }

  if (hook.webhookEvent !== 'jira:issue_updated') {
    return {
      ok: true,
      event: { issueKey, incidentId, status: currentStatus, changedBy: personName(hook.user), kind: 'other' },
    };
  }

  const statusChange = (hook.changelog?.items ?? []).find(
    (item) => ownString(item, 'field') === 'status' || ownString(item, 'fieldId') === 'status',
  );
  return {
    ok: true,
    event: {
      issueKey,
      incidentId,
      status: (statusChange && ownString(statusChange, 'toString')) ?? currentStatus,
      changedBy: personName(hook.user),
      kind: statusChange ? 'status' : 'other',
    },
  };
}
