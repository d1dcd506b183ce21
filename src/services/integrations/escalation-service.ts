import { z } from 'zod';
import {
  bold,
  type Doc,
  doc,
  docMentions,
  docWithNames,
  emoji,
  fromMrkdwn,
  isMessage,
  link,
  type Message,
  mention,
  msg,
} from '../../domain/message.js';
import type { EscalationTracker } from '../../integrations/ports.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import { PermanentError, RetryableError } from '../../jobs/errors.js';
import { type RecurringJob, recurringJob } from '../../jobs/recurring.js';
import type { ActionResult } from '../ports.js';
import type { IntegrationDeps } from './deps.js';
import { gatherFacts, incidentPermalink, issueDescription, issueSummary } from './incident-summary.js';

export const ESCALATE_JOB = 'jira.escalate';
export const JIRA_COMMENT_JOB = 'jira.comment';
export const JIRA_POLL_JOB = 'jira.poll';

const EscalatePayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  requestedBy: z.string().nullable(),
  note: z.string().optional(),
});
// `author`/`text` hold Slack mrkdwn in jobs queued by earlier versions; newer ones carry the
// author's user id and the message as runs.
const CommentPayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  author: z.string(),
  text: z.string().optional(),
  message: z.unknown().optional(),
});

export interface EscalationServiceDeps extends IntegrationDeps {
  /** Jira sites by env prefix (JIRA, JIRA_HELIX…). */
  trackers: Map<string, EscalationTracker>;
}

export class EscalationService {
  readonly polling: RecurringJob;

  constructor(private readonly deps: EscalationServiceDeps) {
    this.polling = recurringJob(deps.scheduler, {
      kind: JIRA_POLL_JOB,
      failure: { what: 'read back status changes made in Jira' },
      // One stream per configured Jira site.
      scopes: () =>
        [...deps.trackers.keys()].map((site) => ({ scope: site, recurrence: { every: deps.pollEveryMs } })),
      run: (occurrence) => this.poll(occurrence.scope, occurrence.at),
    });
  }

  jobs(): JobDefinition<never>[] {
    return [
      defineJob({
        kind: ESCALATE_JOB,
        payload: EscalatePayload,
        failure: { what: 'create the Jira/Orion escalation' },
        run: (p, ctx) => this.escalate(p, ctx.now),
      }),
      defineJob({
        kind: JIRA_COMMENT_JOB,
        payload: CommentPayload,
        failure: { what: 'add a comment to the Jira issue' },
        run: (p, ctx) => this.comment(p, ctx.now),
      }),
      this.polling.definition,
    ] as JobDefinition<never>[];
  }

  unavailable(tenantId: string): string | undefined {
    const tenant = this.deps.tenants.tenant(tenantId);
    if (!tenant) return 'unknown tenant';
    if (!this.deps.trackers.has(tenant.jira.site))
      return `Jira is not configured for opsbot (${tenant.jira.site}_* settings)`;
    return undefined;
  }

  request(incidentId: number, requestedBy: string | null, note?: string): ActionResult {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: msg(`There is no incident ${incidentId}.`) };
    const why = this.unavailable(incident.tenantId);
    if (why) return { ok: false, message: msg(`Cannot escalate ${incident.ref} to engineering: ${why}.`) };
    const existing = this.deps.links.get(incidentId, 'jira');
    if (existing)
      return {
        ok: true,
        message: msg(`${incident.ref} is already escalated: `, link(existing.url, existing.ref)),
      };
    const tenant = this.deps.tenants.tenant(incident.tenantId);
    const { created } = this.deps.scheduler.enqueue({
      kind: ESCALATE_JOB,
      payload: { incidentId, tenantId: incident.tenantId, requestedBy, ...(note ? { note } : {}) },
      key: `jira-escalate:${incidentId}`,
      lane: `jira:${tenant?.jira.site}`,
    });
    if (created) {
      this.deps.timeline.record({
        incidentId,
        at: this.deps.clock.now(),
        kind: 'escalation',
        actor: requestedBy,
        message: msg(
          'Escalation to engineering requested by ',
          requestedBy ? mention(requestedBy) : 'the tenant rule',
          note ? `: ${note}` : undefined,
        ),
      });
    }
    return {
      ok: true,
      message: msg(`Escalating ${incident.ref} to ${tenant?.jira.projectKey}; the card will link the issue.`),
    };
  }

  /** Auto rule: escalate incidents at the tenant's auto-escalate severities. */
  maybeAutoEscalate(incidentId: number): void {
    const incident = this.deps.incidents.get(incidentId);
    const tenant = incident && this.deps.tenants.tenant(incident.tenantId);
    if (!incident || !tenant || incident.status === 'resolved') return;
    if (!tenant.jira.autoEscalateSeverities.includes(incident.severity)) return;
    if (this.unavailable(tenant.id) || this.deps.links.get(incidentId, 'jira')) return;
    this.request(incidentId, null);
  }

  /**
   * "Send to Jira": mirror a message of the incident's thread as a comment. `message` is what
   * the person wrote, as runs (the Slack edge parses its mrkdwn); `author` a user id or null.
   */
  mirror(incidentId: number, author: string | null, message: Message, messageKey: string): ActionResult {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: msg('That message is not in an incident thread.') };
    const issue = this.deps.links.get(incidentId, 'jira');
    if (!issue && !this.escalationRequested(incidentId)) {
      return {
        ok: false,
        message: msg(
          `${incident.ref} is not escalated yet: click `,
          bold('Escalate to engineering'),
          ' on the card first.',
        ),
      };
    }
    const tenant = this.deps.tenants.tenant(incident.tenantId);
    this.deps.scheduler.enqueue({
      kind: JIRA_COMMENT_JOB,
      payload: { incidentId, tenantId: incident.tenantId, author: author ?? '', message },
      key: `jira-comment:${messageKey}`,
      lane: `jira:${tenant?.jira.site}`,
    });
    return { ok: true, message: msg(`Sending that message to ${issue?.ref ?? 'the Jira issue'}.`) };
  }

  /**
   * A status reported by Jira: tell the thread once per new status. `transition` is true when Jira
   * reported a change (webhook changelog); a poll's first sighting of an issue only records it.
   */
  statusChanged(issueKey: string, status: string, changedBy: string | null, transition = false): boolean {
    const { links, incidents, clock } = this.deps;
    const link = links.byRef('jira', issueKey);
    if (!link) return false;
    const before = links.observe(
      link.incidentId,
      'jira',
      { status, owner: link.owner, priority: link.priority },
      clock.now(),
    );
    // The first status we see is where the issue started, not a change worth a message.
    if (before?.status === status || (before?.status == null && !transition)) return true;
    const incident = incidents.get(link.incidentId);
    if (!incident) return true;
    const text = msg(`${issueKey} is now `, bold(status), changedBy ? ` (by ${changedBy})` : undefined);
    this.deps.timeline.record({
      incidentId: incident.id,
      at: clock.now(),
      kind: 'jira-update',
      actor: null,
      message: text,
    });
    if (incident.cardTs) {
      this.deps.chat.post(
        { channel: incident.channel, threadTs: incident.cardTs },
        msg(emoji('jira'), ' ', text),
        `jira-status:${issueKey}:${status}:${clock.now()}`,
      );
    }
    return true;
  }

  /** The escalation job is queued (its comment jobs wait behind it in the same lane). */
  private escalationRequested(incidentId: number): boolean {
    return this.deps.incidents.timeline(incidentId).some((t) => t.kind === 'escalation');
  }

  private tracker(tenantId: string): EscalationTracker {
    const site = this.deps.tenants.tenant(tenantId)?.jira.site ?? 'JIRA';
    const tracker = this.deps.trackers.get(site);
    if (!tracker)
      throw new PermanentError(`Jira site ${site} is not configured`, {
        hint: `set ${site}_BASE_URL and credentials`,
      });
    return tracker.forTenant ? tracker.forTenant(tenantId) : tracker;
  }

  private async escalate(p: z.infer<typeof EscalatePayload>, now: number): Promise<unknown> {
    const { incidents, links, tenants } = this.deps;
    const incident = incidents.get(p.incidentId);
    const tenant = tenants.tenant(p.tenantId);
    if (!incident || !tenant) return { skipped: 'incident gone' };
    const existing = links.get(incident.id, 'jira');
    if (existing) return { key: existing.ref };
    const permalink = await incidentPermalink(this.deps.permalinks, incident);
    const facts = gatherFacts(incidents, incident, tenant, permalink);
    const sfCase = links.get(incident.id, 'salesforce');
    if (sfCase) Object.assign(facts, { caseNumber: sfCase.ref, caseUrl: sfCase.url });
    const sev = `sev${incident.severity}` as const;
    const tracker = this.tracker(tenant.id);
    const description = await this.withNames(issueDescription(facts, p.note));
    const ref = await this.deps.breaker.run(`jira:${tenant.jira.site}`, now, () =>
      tracker.findOrCreateIssue(
        incident.id,
        {
          projectKey: tenant.jira.projectKey,
          issueType: tenant.jira.issueType,
          priority: tenant.jira.priorities[sev],
          summary: issueSummary(facts),
          description,
          labels: [`tenant-${tenant.id}`, `cluster-${incident.cluster}`, `category-${incident.category}`],
        },
        { url: permalink, title: `Slack: ${incident.ref} (${tenant.name})` },
      ),
    );
    const at = this.deps.clock.now();
    links.save(
      {
        incidentId: incident.id,
        system: 'jira',
        externalId: ref.id,
        ref: ref.key,
        url: ref.url,
        status: null,
      },
      at,
    );
    this.deps.timeline.record({
      incidentId: incident.id,
      at,
      kind: 'escalation-opened',
      actor: null,
      message: msg(`Escalated to engineering: ${ref.key}`),
      data: { key: ref.key },
    });
    incidents.touch(incident.id);
    this.deps.events.emit('card.changed', { incidentId: incident.id, reason: ref.key });
    if (incident.cardTs) {
      this.deps.chat.post(
        { channel: incident.channel, threadTs: incident.cardTs },
        msg(
          emoji('rocket'),
          ' Escalated to engineering: ',
          link(ref.url, ref.key),
          ref.created ? '.' : ' (existing issue).',
        ),
        `jira-note:${incident.id}`,
      );
    }
    return { key: ref.key, created: ref.created };
  }

  private async comment(p: z.infer<typeof CommentPayload>, now: number): Promise<unknown> {
    const link = this.deps.links.get(p.incidentId, 'jira');
    if (!link) throw new RetryableError('waiting for the escalation issue to exist');
    const tenant = this.deps.tenants.tenant(p.tenantId);
    const tracker = this.tracker(p.tenantId);
    // Jobs from earlier versions carry mrkdwn text and a `<@U…>` author: read them as runs.
    const said = isMessage(p.message) ? p.message : fromMrkdwn(p.text ?? '');
    const author = /^<@([A-Z0-9]+)>$/.exec(p.author)?.[1] ?? p.author;
    const body = doc({ paragraph: msg('From Slack, ', author ? mention(author) : 'someone', ': ', said) });
    await this.deps.breaker.run(`jira:${tenant?.jira.site}`, now, async () =>
      tracker.addComment(link.ref, await this.withNames(body)),
    );
    return { key: link.ref };
  }

  /** Jira cannot render Slack mentions: they read `@Display Name`. */
  private async withNames(d: Doc): Promise<Doc> {
    return docWithNames(d, await this.deps.people.displayNames(docMentions(d)));
  }

  private async poll(site: string, until: number): Promise<unknown> {
    const tracker = this.deps.trackers.get(site);
    try {
      if (!tracker) return { skipped: 'site gone' };
      const key = `jira.poll.watermark.${site}`;
      const since = this.deps.watermarks.get(key) ?? until - this.deps.pollEveryMs;
      const projects = new Set(
        this.deps.tenants
          .all()
          .filter((t) => t.jira.site === site)
          .map((t) => t.jira.projectKey),
      );
      let changes = 0;
      for (const project of projects) {
        const updates = await this.deps.breaker.run(`jira:${site}`, this.deps.clock.now(), () =>
          tracker.changedSince(project, since),
        );
        for (const u of updates) if (this.statusChanged(u.key, u.status, null)) changes++;
      }
      this.deps.watermarks.set(key, until, this.deps.clock.now());
      return { changes };
    } catch (error) {
      // A poll is periodic: a failed one is skipped (the watermark keeps the window), not retried.
      this.deps.logger.warn({ err: error, site }, 'Jira poll failed; the next poll covers the window');
      return { failed: error instanceof Error ? error.message : String(error) };
    }
  }
}
