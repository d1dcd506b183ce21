import { z } from 'zod';
import type { CaseTracker } from '../../integrations/ports.js';
import { RetryableError } from '../../jobs/errors.js';
import type { TimelineEntry } from '../../store/incident-store.js';
import type { JobStore } from '../../store/job-store.js';
import type { IntegrationDeps } from './deps.js';
import { caseDescription, caseSubject, gatherFacts } from './incident-summary.js';
import { incidentPermalink } from './permalink.js';

export const CASE_JOB = 'salesforce.case';
export const CASE_COMMENT_JOB = 'salesforce.comment';
export const CASE_STATUS_JOB = 'salesforce.status';
export const CASE_POLL_JOB = 'salesforce.poll';
const LANE = 'salesforce';
const TARGET = 'salesforce';

const CasePayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  requestedBy: z.string().nullable(),
});
const CommentPayload = z.object({ incidentId: z.number(), tenantId: z.string(), text: z.string() });
const StatusPayload = z.object({ incidentId: z.number(), tenantId: z.string(), status: z.string() });
const PollPayload = z.object({ at: z.number() });

/** Timeline kinds worth a CaseComment (what the customer's case should show). */
const COMMENTED = new Set(['ack', 'severity', 'escalation', 'resolve']);

export interface CaseServiceDeps extends IntegrationDeps {
  tracker: CaseTracker | undefined;
  jobs: JobStore;
  /** Called once a case exists (auto-escalation waits for it). */
  onCaseOpened?: (incidentId: number) => void;
}

export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {
    const { scheduler } = deps;
    scheduler.register(CASE_JOB, (p, ctx) => this.openCase(p, ctx.now), CasePayload);
    scheduler.register(CASE_COMMENT_JOB, (p) => this.comment(p), CommentPayload);
    scheduler.register(CASE_STATUS_JOB, (p) => this.setStatus(p), StatusPayload);
    scheduler.register(CASE_POLL_JOB, (p) => this.poll(p), PollPayload);
    deps.incidents.onTimeline((entry) => this.onTimeline(entry));
  }

  /** Why cases cannot be opened for this tenant, or undefined when they can. */
  unavailable(tenantId: string): string | undefined {
    if (!this.deps.tracker) return 'Salesforce is not configured for opsbot (SALESFORCE_* settings)';
    if (!this.deps.tenants.tenant(tenantId)?.salesforce)
      return `no Salesforce account is set for this tenant (tenants.${tenantId}.salesforce)`;
    return undefined;
  }

  /** Queues opening the case; a second request for the same incident is the same job. */
  request(incidentId: number, requestedBy: string | null): { ok: boolean; message: string } {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: `There is no incident ${incidentId}.` };
    const why = this.unavailable(incident.tenantId);
    if (why) return { ok: false, message: `Cannot open a Salesforce case for ${incident.ref}: ${why}.` };
    const existing = this.deps.links.get(incidentId, 'salesforce');
    if (existing)
      return {
        ok: true,
        message: `${incident.ref} already has Salesforce case ${existing.ref}: ${existing.url}`,
      };
    const { created } = this.deps.scheduler.enqueue({
      kind: CASE_JOB,
      payload: { incidentId, tenantId: incident.tenantId, requestedBy },
      key: `sf-case:${incidentId}`,
      lane: LANE,
    });
    if (created) {
      const who = requestedBy ? `<@${requestedBy}>` : 'the tenant rule';
      this.deps.incidents.addTimeline(
        incidentId,
        this.deps.clock.now(),
        'case',
        requestedBy,
        `Salesforce case requested by ${who}`,
      );
    }
    return { ok: true, message: `Opening a Salesforce case for ${incident.ref}; the card will link it.` };
  }

  /** Keeps the poll of changes people make in Salesforce going (idempotent per occurrence). */
  ensurePolling(): void {
    if (!this.deps.tracker) return;
    const at = this.deps.clock.now() + this.deps.pollEveryMs;
    const slot = Math.floor(at / this.deps.pollEveryMs);
    this.deps.scheduler.enqueue({ kind: CASE_POLL_JOB, payload: { at }, key: `sf-poll:${slot}`, runAt: at });
  }

  private call<T>(
    now: number,
    tenantId: string | undefined,
    fn: (tracker: CaseTracker) => Promise<T>,
  ): Promise<T> {
    const base = this.deps.tracker;
    if (!base) throw new RetryableError('Salesforce is not configured');
    const tracker = tenantId && base.forTenant ? base.forTenant(tenantId) : base;
    return this.deps.breaker.run(TARGET, now, () => fn(tracker));
  }

  private async openCase(p: z.infer<typeof CasePayload>, now: number): Promise<unknown> {
    const { incidents, links, tenants } = this.deps;
    const incident = incidents.get(p.incidentId);
    const tenant = tenants.tenant(p.tenantId);
    if (!incident || !tenant?.salesforce) return { skipped: 'incident or Salesforce account gone' };
    const existing = links.get(p.incidentId, 'salesforce');
    if (existing) return { caseNumber: existing.ref };
    const sf = tenant.salesforce;
    const facts = gatherFacts(
      incidents,
      incident,
      tenant,
      await incidentPermalink(this.deps.slackCall, incident),
    );
    const sev = `sev${incident.severity}` as const;
    // The external id is the incident's identity: a retry after a crash finds the same case.
    const ref = await this.call(now, tenant.id, (t) =>
      t.upsertCase(incidentExternalId(incident.id), {
        subject: caseSubject(facts),
        description: caseDescription(facts),
        priority: sf.priorities[sev],
        status: sf.newStatus,
        origin: sf.origin,
        accountId: sf.accountId,
        contactId: sf.contactId,
        extra: sf.extraFields,
      }),
    );
    const at = this.deps.clock.now();
    links.save(
      {
        incidentId: incident.id,
        system: 'salesforce',
        externalId: ref.id,
        ref: ref.caseNumber,
        url: ref.url,
        status: sf.newStatus,
      },
      at,
    );
    incidents.addTimeline(
      incident.id,
      at,
      'case',
      null,
      `Salesforce case ${ref.caseNumber} ${ref.created ? 'opened' : 'linked'}`,
      {
        caseId: ref.id,
      },
    );
    incidents.touch(incident.id);
    this.deps.refreshCard(incident.id, `${ref.caseNumber}`);
    if (incident.cardTs) {
      this.deps.chat.post(
        {
          channel: incident.channel,
          thread_ts: incident.cardTs,
          text: `:file_folder: Salesforce case <${ref.url}|${ref.caseNumber}> ${ref.created ? 'opened' : 'linked'} for ${incident.ref}.`,
        },
        `sf-case-note:${incident.id}`,
      );
    }
    this.deps.onCaseOpened?.(incident.id);
    return { caseNumber: ref.caseNumber, created: ref.created };
  }

  private async comment(p: z.infer<typeof CommentPayload>): Promise<unknown> {
    const link = this.deps.links.get(p.incidentId, 'salesforce');
    if (!link) {
      // The case job runs first in the same lane; without a link it failed for good or never ran.
      return { skipped: 'no case for this incident' };
    }
    await this.call(this.deps.clock.now(), p.tenantId, (t) => t.addComment(link.externalId, p.text));
    return { caseNumber: link.ref };
  }

  private async setStatus(p: z.infer<typeof StatusPayload>): Promise<unknown> {
    const link = this.deps.links.get(p.incidentId, 'salesforce');
    if (!link) return { skipped: 'no case for this incident' };
    await this.call(this.deps.clock.now(), p.tenantId, (t) => t.setStatus(link.externalId, p.status));
    this.deps.links.observe(
      p.incidentId,
      'salesforce',
      { status: p.status, owner: link.owner, priority: link.priority },
      this.deps.clock.now(),
    );
    return { status: p.status };
  }

  /** Pulls back what people changed in Salesforce (status, owner, priority) since the last poll. */
  private async poll(p: z.infer<typeof PollPayload>): Promise<unknown> {
    const { links, incidents, tenants, clock } = this.deps;
    try {
      const accounts = tenants
        .all()
        .map((t) => t.salesforce?.accountId)
        .filter((id): id is string => Boolean(id));
      const since = Number(links.getValue('salesforce.poll.watermark') ?? p.at - this.deps.pollEveryMs);
      if (accounts.length === 0) return { skipped: 'no accounts' };
      const changes = await this.call(clock.now(), undefined, (t) => t.changedSince(accounts, since, p.at));
      for (const change of changes) {
        const link = links.byExternalId('salesforce', change.id);
        if (!link) continue;
        const before = links.observe(
          link.incidentId,
          'salesforce',
          { status: change.status, owner: change.ownerName, priority: change.priority },
          clock.now(),
        );
        const diffs = describeDiff(before, change);
        if (diffs.length === 0) continue;
        const incident = incidents.get(link.incidentId);
        if (!incident) continue;
        const text = `Salesforce case ${change.caseNumber}: ${diffs.join(', ')}`;
        incidents.addTimeline(incident.id, clock.now(), 'case-update', null, text);
        if (incident.cardTs) {
          this.deps.chat.post(
            { channel: incident.channel, thread_ts: incident.cardTs, text: `:file_folder: ${text}` },
            `sf-change:${change.id}:${change.lastModified}`,
          );
        }
      }
      links.setValue('salesforce.poll.watermark', String(p.at), clock.now());
      return { changes: changes.length };
    } catch (error) {
      // A poll is periodic: a failed one is skipped (the watermark keeps the window), not retried.
      this.deps.logger.warn({ err: error }, 'Salesforce poll failed; the next poll covers the window');
      return { failed: error instanceof Error ? error.message : String(error) };
    } finally {
      this.ensurePolling();
    }
  }

  private onTimeline(entry: TimelineEntry): void {
    if (!COMMENTED.has(entry.kind)) return;
    const incident = this.deps.incidents.get(entry.incidentId);
    if (!incident || this.unavailable(incident.tenantId)) return;
    const hasCase =
      this.deps.links.get(incident.id, 'salesforce') || this.deps.jobs.getByKey(`sf-case:${incident.id}`);
    if (!hasCase) return;
    this.deps.scheduler.enqueue({
      kind: CASE_COMMENT_JOB,
      payload: {
        incidentId: incident.id,
        tenantId: incident.tenantId,
        text: `[opsbot] ${incident.ref}: ${plain(entry.text)}`,
      },
      key: `sf-comment:${entry.id}`,
      lane: LANE,
    });
    const resolvedStatus = this.deps.tenants.tenant(incident.tenantId)?.salesforce?.resolvedStatus;
    if (entry.kind === 'resolve' && resolvedStatus) {
      this.deps.scheduler.enqueue({
        kind: CASE_STATUS_JOB,
        payload: { incidentId: incident.id, tenantId: incident.tenantId, status: resolvedStatus },
        key: `sf-status:${incident.id}:${entry.id}`,
        lane: LANE,
      });
    }
  }
}

/** The value stored in the case's external-id field. */
export function incidentExternalId(incidentId: number): string {
  return `opsbot-${incidentId}`;
}

/** Slack mrkdwn (<@U…>, <url|label>) into plain text for Salesforce. */
function plain(text: string): string {
  return text.replace(/<@([A-Z0-9]+)>/g, '@$1').replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)');
}

function describeDiff(
  before: { status: string | null; owner: string | null; priority: string | null } | undefined,
  after: { status: string; ownerName: string | null; priority: string },
): string[] {
  const out: string[] = [];
  if (before?.status !== after.status) out.push(`status ${before?.status ?? '?'} → ${after.status}`);
  // The first owner we see is the case's creator (the integration user): only later changes matter.
  if (before?.owner && before.owner !== after.ownerName && after.ownerName)
    out.push(`owner → ${after.ownerName}`);
  if (before?.priority !== after.priority && before?.priority)
    out.push(`priority ${before.priority} → ${after.priority}`);
  return out;
}
