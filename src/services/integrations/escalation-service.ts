import { z } from 'zod';
import { adfDoc, adfParagraph } from '../../integrations/jira/adf.js';
import type { EscalationTracker } from '../../integrations/ports.js';
import { PermanentError, RetryableError } from '../../jobs/errors.js';
import type { IntegrationDeps } from './deps.js';
import { gatherFacts, issueDescription, issueSummary } from './incident-summary.js';
import { incidentPermalink } from './permalink.js';

export const ESCALATE_JOB = 'jira.escalate';
export const JIRA_COMMENT_JOB = 'jira.comment';
export const JIRA_POLL_JOB = 'jira.poll';

const EscalatePayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  requestedBy: z.string().nullable(),
  note: z.string().optional(),
});
const CommentPayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  author: z.string(),
  text: z.string(),
});
const PollPayload = z.object({ site: z.string(), at: z.number() });

export interface EscalationServiceDeps extends IntegrationDeps {
  /** Jira sites by env prefix (JIRA, JIRA_HELIX…). */
  trackers: Map<string, EscalationTracker>;
}

export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {
    deps.scheduler.register(ESCALATE_JOB, (p, ctx) => this.escalate(p, ctx.now), EscalatePayload);
    deps.scheduler.register(JIRA_COMMENT_JOB, (p, ctx) => this.comment(p, ctx.now), CommentPayload);
    deps.scheduler.register(JIRA_POLL_JOB, (p) => this.poll(p), PollPayload);
  }

  unavailable(tenantId: string): string | undefined {
    const tenant = this.deps.tenants.tenant(tenantId);
    if (!tenant) return 'unknown tenant';
    if (!this.deps.trackers.has(tenant.jira.site))
      return `Jira is not configured for opsbot (${tenant.jira.site}_* settings)`;
    return undefined;
  }

  request(incidentId: number, requestedBy: string | null, note?: string): { ok: boolean; message: string } {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: `There is no incident ${incidentId}.` };
    const why = this.unavailable(incident.tenantId);
    if (why) return { ok: false, message: `Cannot escalate ${incident.ref} to engineering: ${why}.` };
    const existing = this.deps.links.get(incidentId, 'jira');
    if (existing)
      return { ok: true, message: `${incident.ref} is already escalated: ${existing.ref} ${existing.url}` };
    const tenant = this.deps.tenants.tenant(incident.tenantId);
    const { created } = this.deps.scheduler.enqueue({
      kind: ESCALATE_JOB,
      payload: { incidentId, tenantId: incident.tenantId, requestedBy, ...(note ? { note } : {}) },
      key: `jira-escalate:${incidentId}`,
      lane: `jira:${tenant?.jira.site}`,
    });
    if (created) {
      const who = requestedBy ? `<@${requestedBy}>` : 'the tenant rule';
      this.deps.incidents.addTimeline(
        incidentId,
        this.deps.clock.now(),
        'escalation',
        requestedBy,
        `Escalation to engineering requested by ${who}${note ? `: ${note}` : ''}`,
      );
    }
    return {
      ok: true,
      message: `Escalating ${incident.ref} to ${tenant?.jira.projectKey}; the card will link the issue.`,
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

  /** "Send to Jira": mirror a Slack message of the incident's thread as a comment. */
  mirror(
    incidentId: number,
    author: string,
    text: string,
    messageKey: string,
  ): { ok: boolean; message: string } {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: 'That message is not in an incident thread.' };
    const link = this.deps.links.get(incidentId, 'jira');
    if (!link && !this.escalationRequested(incidentId)) {
      return {
        ok: false,
        message: `${incident.ref} is not escalated yet: click *Escalate to engineering* on the card first.`,
      };
    }
    const tenant = this.deps.tenants.tenant(incident.tenantId);
    this.deps.scheduler.enqueue({
      kind: JIRA_COMMENT_JOB,
      payload: { incidentId, tenantId: incident.tenantId, author, text },
      key: `jira-comment:${messageKey}`,
      lane: `jira:${tenant?.jira.site}`,
    });
    return { ok: true, message: `Sending that message to ${link?.ref ?? 'the Jira issue'}.` };
  }

  ensurePolling(): void {
    for (const site of this.deps.trackers.keys())
      this.schedulePoll(site, this.deps.clock.now() + this.deps.pollEveryMs);
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
    const text = `${issueKey} is now *${status}*${changedBy ? ` (by ${changedBy})` : ''}`;
    incidents.addTimeline(incident.id, clock.now(), 'jira-update', null, text);
    if (incident.cardTs) {
      this.deps.chat.post(
        { channel: incident.channel, thread_ts: incident.cardTs, text: `:jira: ${text}` },
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
    const permalink = await incidentPermalink(this.deps.slackCall, incident);
    const facts = gatherFacts(incidents, incident, tenant, permalink);
    const sfCase = links.get(incident.id, 'salesforce');
    if (sfCase) Object.assign(facts, { caseNumber: sfCase.ref, caseUrl: sfCase.url });
    const sev = `sev${incident.severity}` as const;
    const tracker = this.tracker(tenant.id);
    const ref = await this.deps.breaker.run(`jira:${tenant.jira.site}`, now, () =>
      tracker.findOrCreateIssue(
        incident.id,
        {
          projectKey: tenant.jira.projectKey,
          issueType: tenant.jira.issueType,
          priority: tenant.jira.priorities[sev],
          summary: issueSummary(facts),
          description: issueDescription(facts, p.note),
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
    incidents.addTimeline(
      incident.id,
      at,
      'escalation-opened',
      null,
      `Escalated to engineering: ${ref.key}`,
      { key: ref.key },
    );
    incidents.touch(incident.id);
    this.deps.refreshCard(incident.id, `${ref.key}`);
    if (incident.cardTs) {
      this.deps.chat.post(
        {
          channel: incident.channel,
          thread_ts: incident.cardTs,
          text: `:rocket: Escalated to engineering: <${ref.url}|${ref.key}>${ref.created ? '' : ' (existing issue)'}.`,
        },
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
    await this.deps.breaker.run(`jira:${tenant?.jira.site}`, now, () =>
      tracker.addComment(link.ref, adfDoc(adfParagraph(`From Slack, ${p.author}: ${p.text}`))),
    );
    return { key: link.ref };
  }

  private async poll(p: z.infer<typeof PollPayload>): Promise<unknown> {
    const tracker = this.deps.trackers.get(p.site);
    try {
      if (!tracker) return { skipped: 'site gone' };
      const key = `jira.poll.watermark.${p.site}`;
      const since = Number(this.deps.links.getValue(key) ?? p.at - this.deps.pollEveryMs);
      const projects = new Set(
        this.deps.tenants
          .all()
          .filter((t) => t.jira.site === p.site)
          .map((t) => t.jira.projectKey),
      );
      let changes = 0;
      for (const project of projects) {
        const updates = await this.deps.breaker.run(`jira:${p.site}`, this.deps.clock.now(), () =>
          tracker.changedSince(project, since),
        );
        for (const u of updates) if (this.statusChanged(u.key, u.status, null)) changes++;
      }
      this.deps.links.setValue(key, String(p.at), this.deps.clock.now());
      return { changes };
    } catch (error) {
      // A poll is periodic: a failed one is skipped (the watermark keeps the window), not retried.
      this.deps.logger.warn(
        { err: error, site: p.site },
        'Jira poll failed; the next poll covers the window',
      );
      return { failed: error instanceof Error ? error.message : String(error) };
    } finally {
      this.schedulePoll(p.site, p.at + this.deps.pollEveryMs);
    }
  }

  private schedulePoll(site: string, at: number): void {
    const slot = Math.floor(at / this.deps.pollEveryMs);
    this.deps.scheduler.enqueue({
      kind: JIRA_POLL_JOB,
      payload: { site, at },
      key: `jira-poll:${site}:${slot}`,
      runAt: at,
    });
  }
}
