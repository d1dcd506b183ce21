// Salesforce cases for incidents: opened on request or by tenant rule, kept in step with the
// timeline (comments, status on resolve), and pulled back (status/owner/priority people change).
// Every call is a durable job in the `salesforce` lane: in order, retried, never duplicated
// (the upsert by external id makes a repeat of the same job harmless).
import { z } from 'zod';
import {
  emoji,
  isMessage,
  link,
  type Message,
  mention,
  mentionedUsers,
  msg,
  plainText,
  withNames,
} from '../../domain/message.js';
import type { CaseChange, CaseTracker } from '../../integrations/ports.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import { RetryableError } from '../../jobs/errors.js';
import { type RecurringJob, recurringJob } from '../../jobs/recurring.js';
import type { TimelineEntry, TimelineKind } from '../../store/incident-store.js';
import type { ActionResult } from '../ports.js';
import type { IntegrationDeps } from './deps.js';
import { caseDescription, caseSubject, gatherFacts, incidentPermalink } from './incident-summary.js';

export const CASE_JOB = 'salesforce.case';
export const CASE_COMMENT_JOB = 'salesforce.comment';
export const CASE_STATUS_JOB = 'salesforce.status';
export const CASE_POLL_JOB = 'salesforce.poll';
const LANE = 'salesforce';
const TARGET = 'salesforce';
const WATERMARK = 'salesforce.poll.watermark';

const CasePayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  requestedBy: z.string().nullable(),
});
// `text` is what jobs queued by earlier versions carry; newer ones carry the structured message.
const CommentPayload = z.object({
  incidentId: z.number(),
  tenantId: z.string(),
  text: z.string().optional(),
  message: z.unknown().optional(),
});
const StatusPayload = z.object({ incidentId: z.number(), tenantId: z.string(), status: z.string() });

/** Timeline kinds worth a CaseComment (what the customer's case should show). */
const COMMENTED = new Set<TimelineKind>(['ack', 'severity', 'escalation', 'resolve', 'sla-breach']);

export interface CaseServiceDeps extends IntegrationDeps {
  tracker: CaseTracker | undefined;
}

export class CaseService {
  readonly polling: RecurringJob;

  constructor(private readonly deps: CaseServiceDeps) {
    this.polling = recurringJob(deps.scheduler, {
      kind: CASE_POLL_JOB,
      failure: { what: 'read back changes made in Salesforce' },
      // Only when Salesforce is configured; one stream for every account.
      scopes: () => (deps.tracker ? [{ scope: 'all', recurrence: { every: deps.pollEveryMs } }] : []),
      run: (occurrence) => this.poll(occurrence.at),
    });
  }

  jobs(): JobDefinition<never>[] {
    return [
      defineJob({
        kind: CASE_JOB,
        payload: CasePayload,
        failure: { what: 'open the Salesforce case' },
        run: (p, ctx) => this.openCase(p, ctx.now),
      }),
      defineJob({
        kind: CASE_COMMENT_JOB,
        payload: CommentPayload,
        failure: { what: 'add a comment to the Salesforce case' },
        run: (p) => this.comment(p),
      }),
      defineJob({
        kind: CASE_STATUS_JOB,
        payload: StatusPayload,
        failure: { what: 'update the Salesforce case status' },
        run: (p) => this.setStatus(p),
      }),
      this.polling.definition,
    ] as JobDefinition<never>[];
  }

  /** Why cases cannot be opened for this tenant, or undefined when they can. */
  unavailable(tenantId: string): string | undefined {
    if (!this.deps.tracker) return 'Salesforce is not configured for opsbot (SALESFORCE_* settings)';
    if (!this.deps.tenants.tenant(tenantId)?.salesforce)
      return `no Salesforce account is set for this tenant (tenants.${tenantId}.salesforce)`;
    return undefined;
  }

  /** Queues opening the case; a second request for the same incident is the same job. */
  request(incidentId: number, requestedBy: string | null): ActionResult {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return { ok: false, message: msg(`There is no incident ${incidentId}.`) };
    const why = this.unavailable(incident.tenantId);
    if (why) return { ok: false, message: msg(`Cannot open a Salesforce case for ${incident.ref}: ${why}.`) };
    const existing = this.deps.links.get(incidentId, 'salesforce');
    if (existing)
      return {
        ok: true,
        message: msg(`${incident.ref} already has Salesforce case `, link(existing.url, existing.ref)),
      };
    const { created } = this.deps.scheduler.enqueue({
      kind: CASE_JOB,
      payload: { incidentId, tenantId: incident.tenantId, requestedBy },
      key: `sf-case:${incidentId}`,
      lane: LANE,
    });
    if (created) {
      this.deps.timeline.record({
        incidentId,
        at: this.deps.clock.now(),
        kind: 'case',
        actor: requestedBy,
        message: msg('Salesforce case requested by ', requestedBy ? mention(requestedBy) : 'the tenant rule'),
      });
    }
    return {
      ok: true,
      message: msg(`Opening a Salesforce case for ${incident.ref}; the card will link it.`),
    };
  }

  /** A case exists or is on its way for this incident. */
  hasCase(incidentId: number): boolean {
    return Boolean(
      this.deps.links.get(incidentId, 'salesforce') || this.deps.jobs.getByKey(`sf-case:${incidentId}`),
    );
  }

  /** Mirrors significant timeline entries as CaseComments (and the status on resolve). */
  onTimeline(entry: TimelineEntry): void {
    if (!COMMENTED.has(entry.kind)) return;
    const incident = this.deps.incidents.get(entry.incidentId);
    if (!incident || this.unavailable(incident.tenantId) || !this.hasCase(incident.id)) return;
    this.deps.scheduler.enqueue({
      kind: CASE_COMMENT_JOB,
      payload: {
        incidentId: incident.id,
        tenantId: incident.tenantId,
        message: msg(`[opsbot] ${incident.ref}: `, entry.message),
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
      await incidentPermalink(this.deps.permalinks, incident),
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
    const verb = ref.created ? 'opened' : 'linked';
    this.deps.timeline.record({
      incidentId: incident.id,
      at,
      kind: 'case',
      actor: null,
      message: msg(`Salesforce case ${ref.caseNumber} ${verb}`),
      data: { caseId: ref.id },
    });
    incidents.touch(incident.id);
    this.deps.events.emit('card.changed', { incidentId: incident.id, reason: ref.caseNumber });
    if (incident.cardTs) {
      this.deps.chat.post(
        { channel: incident.channel, threadTs: incident.cardTs },
        msg(
          emoji('file_folder'),
          ' Salesforce case ',
          link(ref.url, ref.caseNumber),
          ` ${verb} for ${incident.ref}.`,
        ),
        `sf-case-note:${incident.id}`,
      );
    }
    this.deps.events.emit('case.opened', { incidentId: incident.id });
    return { caseNumber: ref.caseNumber, created: ref.created };
  }

  private async comment(p: z.infer<typeof CommentPayload>): Promise<unknown> {
    const link = this.deps.links.get(p.incidentId, 'salesforce');
    if (!link) {
      // The case job runs first in the same lane; without a link it failed for good or never ran.
      return { skipped: 'no case for this incident' };
    }
    const body = isMessage(p.message) ? await this.plainWithNames(p.message) : (p.text ?? '');
    await this.call(this.deps.clock.now(), p.tenantId, (t) => t.addComment(link.externalId, body));
    return { caseNumber: link.ref };
  }

  /** Salesforce shows plain text: mentions become `@Display Name`, links `label (url)`. */
  private async plainWithNames(message: Message): Promise<string> {
    const names = await this.deps.people.displayNames(mentionedUsers(message));
    return plainText(withNames(message, names));
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

  /**
   * A case we did not open (no external id, another Origin than ours): somebody else — usually
   * the customer — opened it. Announced once per poll that sees it; listeners deduplicate by id.
   */
  private announceForeignCase(change: CaseChange): void {
    if (change.externalId || !change.accountId) return;
    const tenant = tenantOfAccount(this.deps.tenants, change.accountId);
    if (!tenant?.salesforce || change.origin === tenant.salesforce.origin) return;
    this.deps.events.emit('case.seen', {
      tenantId: tenant.id,
      caseId: change.id,
      caseNumber: change.caseNumber,
      origin: change.origin ?? null,
      subject: change.subject ?? '',
      createdAt: change.created ?? change.lastModified,
    });
  }

  /** Pulls back what people changed in Salesforce (status, owner, priority) since the last poll. */
  private async poll(until: number): Promise<unknown> {
    const { links, incidents, tenants, clock, watermarks } = this.deps;
    try {
      const accounts = tenants
        .all()
        .map((t) => t.salesforce?.accountId)
        .filter((id): id is string => Boolean(id));
      const since = watermarks.get(WATERMARK) ?? until - this.deps.pollEveryMs;
      if (accounts.length === 0) return { skipped: 'no accounts' };
      const changes = await this.call(clock.now(), undefined, (t) => t.changedSince(accounts, since, until));
      for (const change of changes) {
        const link = links.byExternalId('salesforce', change.id);
        if (!link) {
          this.announceForeignCase(change);
          continue;
        }
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
        const text = msg(`Salesforce case ${change.caseNumber}: ${diffs.join(', ')}`);
        this.deps.timeline.record({
          incidentId: incident.id,
          at: clock.now(),
          kind: 'case-update',
          actor: null,
          message: text,
        });
        if (incident.cardTs) {
          this.deps.chat.post(
            { channel: incident.channel, threadTs: incident.cardTs },
            msg(emoji('file_folder'), ' ', text),
            `sf-change:${change.id}:${change.lastModified}`,
          );
        }
      }
      watermarks.set(WATERMARK, until, clock.now());
      return { changes: changes.length };
    } catch (error) {
      // A poll is periodic: a failed one is skipped (the watermark keeps the window), not retried.
      this.deps.logger.warn({ err: error }, 'Salesforce poll failed; the next poll covers the window');
      return { failed: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** The tenant whose Salesforce account holds `accountId` (15- or 18-character ids compare on 15). */
function tenantOfAccount(tenants: IntegrationDeps['tenants'], accountId: string) {
  return tenants
    .all()
    .find((t) => t.salesforce && t.salesforce.accountId.slice(0, 15) === accountId.slice(0, 15));
}

/** The value stored in the case's external-id field. */
export function incidentExternalId(incidentId: number): string {
  return `opsbot-${incidentId}`;
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
