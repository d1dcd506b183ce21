// Outreach drafts from detection to the customer's channel: a detector's finding (or a promised
// update falling due, or a resolution) becomes a draft in the tenant's ops channel, mentioning the
// on-call; a person sends, edits, snoozes or discards it; a sent message can be corrected or
// retracted. Every step is stored and audited first, and every outside effect is a durable job
// whose key is its identity, so a retried click or a restart between approval and post never
// posts twice. The customer channel is taken from the config at send time and checked to belong
// to the draft's tenant: outreach for one tenant can never reach another tenant's channel.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TenantConfig } from '../../config/schema.js';
import type { Category } from '../../domain/alarms/types.js';
import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import { type Message, mention, msg } from '../../domain/message.js';
import {
  type Finding,
  mayPostAt,
  messageText,
  type OutreachSettings,
  PLACEHOLDER_NAMES,
  renderOutreach,
  runDetectors,
  type TemplateValues,
  valuesFromFinding,
} from '../../domain/outreach/index.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import { type RecurringJob, recurringJob } from '../../jobs/recurring.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { Incident, IncidentStore, TimelineEntry } from '../../store/incident-store.js';
import { incidentRef } from '../../store/incident-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { Draft, DraftKind, OutreachStore } from '../../store/outreach-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { ActionResult, ChatPort } from '../ports.js';
import type { Responders } from '../responders.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';
import { DeliveryRefused, type OutreachChat } from './ports.js';
import { loadStream } from './stream.js';

export const DETECT_JOB = 'outreach.detect';
export const CARD_JOB = 'outreach.card';
export const REMIND_JOB = 'outreach.remind';
export const EXPIRE_JOB = 'outreach.expire';
export const SEND_JOB = 'outreach.send';
export const AMEND_JOB = 'outreach.amend';
export const UPDATE_DUE_JOB = 'outreach.update-due';
export const SCAN_JOB = 'outreach.scan';

/**
 * Trends need no new alarm to become true (a capacity line reaches its threshold within the
 * horizon as days pass; checkpoint latency is compared with earlier days), so every tenant with
 * outreach is also scanned on this cadence, besides the batch after alarm activity.
 */
const SCAN_EVERY_MS = 15 * 60_000;

/** Alarm activity is batched: one detection run per tenant per this much time. */
const DETECT_BATCH_MS = 60_000;
const SNOOZE_MS = 60 * 60_000;
const MAX_TEXT = 3000;

/** Timeline kinds that may change what a detector finds. */
const DETECT_ON = new Set(['opened', 'alarm', 'severity', 'flapping']);

export interface OutreachDeps {
  tx: UnitOfWork;
  store: OutreachStore;
  incidents: IncidentStore;
  links: LinkStore;
  timeline: Timeline;
  tenants: TenantDirectory;
  responders: Responders;
  scheduler: Scheduler;
  chat: ChatPort;
  outreachChat: OutreachChat;
  clock: Clock;
  logger: Logger;
}

const DraftPayload = z.object({ draftId: z.number() });
const GenerationPayload = z.object({ draftId: z.number(), generation: z.number() });
const SendPayload = z.object({ draftId: z.number(), attempt: z.number() });
const AmendPayload = z.object({
  draftId: z.number(),
  n: z.number(),
  op: z.enum(['correct', 'retract']),
  by: z.string(),
});

/** The outreach settings of a tenant that has outreach on, else undefined. */
export function outreachOf(tenant: TenantConfig | undefined): OutreachSettings | undefined {
  const settings = tenant?.outreach;
  return settings?.enabled ? settings : undefined;
}

/** Placeholders the text still carries as `{name}` (the approver fills them in with Edit). */
export function unfilled(text: string): string[] {
  return PLACEHOLDER_NAMES.filter((name) => text.includes(`{${name}}`));
}

export class OutreachService {
  readonly scanning: RecurringJob;

  constructor(private readonly deps: OutreachDeps) {
    this.scanning = recurringJob(deps.scheduler, {
      kind: SCAN_JOB,
      failure: { what: 'look for capacity and latency trends worth telling the customer about' },
      scopes: () =>
        deps.tenants
          .all()
          .filter((t) => outreachOf(t))
          .map((t) => ({ scope: t.id, recurrence: { every: SCAN_EVERY_MS } })),
      run: async (occurrence, { now }) => this.deps.tx(() => this.detect(occurrence.scope, now)),
    });
  }

  jobs(): JobDefinition<never>[] {
    return [
      this.scanning.definition,
      defineJob({
        kind: DETECT_JOB,
        payload: z.object({ tenantId: z.string() }),
        failure: { what: 'look for trouble worth telling the customer about' },
        run: async ({ tenantId }, { now }) => this.deps.tx(() => this.detect(tenantId, now)),
      }),
      defineJob({
        kind: CARD_JOB,
        payload: DraftPayload,
        failure: { what: 'post or update an outreach draft in the ops channel' },
        run: ({ draftId }, { job }) => this.publishCard(draftId, job.attempts > 1),
      }),
      defineJob({
        kind: REMIND_JOB,
        payload: GenerationPayload,
        failure: { what: 'remind the on-call about an outreach draft' },
        run: async (p, { now }) => this.deps.tx(() => this.remind(p.draftId, p.generation, now)),
      }),
      defineJob({
        kind: EXPIRE_JOB,
        payload: GenerationPayload,
        failure: { what: 'expire an outreach draft nobody acted on' },
        run: async (p, { now }) => this.deps.tx(() => this.expire(p.draftId, p.generation, now)),
      }),
      defineJob({
        kind: SEND_JOB,
        payload: SendPayload,
        failure: { what: 'post an approved outreach message in the customer channel' },
        run: (p, { now, job }) => this.send(p.draftId, p.attempt, now, job.attempts > 1),
      }),
      defineJob({
        kind: AMEND_JOB,
        payload: AmendPayload,
        failure: { what: 'correct or retract an outreach message in the customer channel' },
        run: (p) => this.amend(p),
      }),
      defineJob({
        kind: UPDATE_DUE_JOB,
        payload: DraftPayload,
        failure: { what: 'draft the promised update for the customer' },
        run: async ({ draftId }, { now }) => this.deps.tx(() => this.updateDue(draftId, now)),
      }),
    ] as JobDefinition<never>[];
  }

  /** Event hub listener (inside the writer's transaction): record and enqueue only. */
  onTimeline(entry: TimelineEntry): void {
    const incident = this.deps.incidents.get(entry.incidentId);
    if (!incident || !outreachOf(this.deps.tenants.tenant(incident.tenantId))) return;
    if (DETECT_ON.has(entry.kind)) {
      const bucket = Math.floor(entry.at / DETECT_BATCH_MS);
      this.deps.scheduler.enqueue({
        kind: DETECT_JOB,
        payload: { tenantId: incident.tenantId },
        key: `outreach-detect:${incident.tenantId}:${bucket}`,
        // At the end of the batch, so every alarm of the batch is in the stream it reads.
        runAt: (bucket + 1) * DETECT_BATCH_MS,
      });
    }
    if (entry.kind === 'resolve') this.offerClosing(incident, entry.at);
  }

  // ---------------------------------------------------------------- detection → drafts

  /** Runs the tenant's detectors once and drafts each finding not drafted before. */
  detect(tenantId: string, now: number): unknown {
    const tenant = this.deps.tenants.tenant(tenantId);
    const settings = outreachOf(tenant);
    if (!tenant || !settings) return { skipped: 'outreach is off for this tenant' };
    const stream = loadStream(this.deps, tenantId, settings.detectors, now);
    const drafted: string[] = [];
    for (const finding of runDetectors(settings.detectors, stream, now)) {
      if (this.deps.store.byKey(finding.key)) continue;
      const draft = this.draftFinding(tenant, settings, finding, now);
      if (draft) drafted.push(finding.key);
    }
    return { drafted };
  }

  private draftFinding(
    tenant: TenantConfig,
    settings: OutreachSettings,
    finding: Finding,
    now: number,
  ): Draft | undefined {
    const incident = this.incidentFor(tenant.id, finding);
    const values: TemplateValues = {
      customer: tenant.name,
      ...valuesFromFinding(finding),
      startedAt: incident?.openedAt ?? now,
      nextUpdateAt: now + settings.updateIntervalMinutes * 60_000,
      caseNumber: incident ? this.caseNumber(incident.id) : undefined,
    };
    return this.createDraft(tenant, settings, {
      incidentId: incident?.id ?? null,
      findingKey: finding.key,
      kind: 'initial',
      detector: finding.detector,
      category: finding.category,
      cluster: finding.cluster,
      observation: finding.observation,
      values,
      now,
    });
  }

  /** The incident a finding is about: its own, else an open one on the same component or cluster. */
  private incidentFor(tenantId: string, finding: Finding): Incident | undefined {
    const { incidents } = this.deps;
    if (finding.incidentId !== undefined) return incidents.get(finding.incidentId);
    const facts = finding.facts;
    const components = [
      ...(typeof facts.componentId === 'string' ? [facts.componentId] : []),
      ...(Array.isArray(facts.components) ? (facts.components as string[]) : []),
    ];
    const open = incidents.listOpen(tenantId).filter((i) => i.cluster === finding.cluster);
    return (
      open.find((i) => incidents.members(i.id).some((m) => components.includes(m.componentId))) ??
      open.find((i) => i.category === finding.category)
    );
  }

  private caseNumber(incidentId: number): string | undefined {
    return this.deps.links.get(incidentId, 'salesforce')?.ref;
  }

  private createDraft(
    tenant: TenantConfig,
    settings: OutreachSettings,
    d: {
      incidentId: number | null;
      findingKey: string;
      kind: DraftKind;
      detector: string | null;
      category: Category;
      cluster: string;
      observation: string;
      values: TemplateValues;
      now: number;
      nextUpdateAt?: number;
    },
  ): Draft | undefined {
    const rendered = renderOutreach({
      kind: d.kind,
      category: d.category,
      values: d.values,
      timezone: tenant.timezone,
      overrides: settings.templates,
    });
    const draft = this.deps.store.create({
      tenantId: tenant.id,
      incidentId: d.incidentId,
      findingKey: d.findingKey,
      kind: d.kind,
      detector: d.detector,
      category: d.category,
      cluster: d.cluster,
      observation: d.observation,
      text: messageText(rendered),
      opsChannel: tenant.channels.ops,
      at: d.now,
    });
    if (!draft) return undefined;
    this.deps.store.update(draft.id, { nextUpdateAt: d.values.nextUpdateAt ?? null }, d.now);
    this.audit(draft.id, d.now, null, 'created', { detector: d.detector, key: d.findingKey });
    this.refreshCard(draft.id);
    this.scheduleWaiting(draft.id, 0, settings, d.now);
    return this.deps.store.get(draft.id);
  }

  /** The reminder (once) and the expiry of a draft waiting for a person. */
  private scheduleWaiting(
    draftId: number,
    generation: number,
    settings: OutreachSettings,
    from: number,
  ): void {
    const { scheduler } = this.deps;
    scheduler.enqueue({
      kind: REMIND_JOB,
      payload: { draftId, generation },
      key: `outreach-remind:${draftId}:${generation}`,
      runAt: from + settings.draftReminderMinutes * 60_000,
    });
    scheduler.enqueue({
      kind: EXPIRE_JOB,
      payload: { draftId, generation },
      key: `outreach-expire:${draftId}:${generation}`,
      runAt: from + settings.draftExpiryMinutes * 60_000,
    });
  }

  /** Re-renders the card after a change; every change is audited first, so the count keys it. */
  private refreshCard(draftId: number): void {
    const revision = this.deps.store.auditOf(draftId).length;
    this.deps.scheduler.enqueue({
      kind: CARD_JOB,
      payload: { draftId },
      key: `outreach-card:${draftId}:${revision}`,
      lane: `outreach-card:${draftId}`,
    });
  }

  private async publishCard(draftId: number, retry: boolean): Promise<unknown> {
    const draft = this.deps.store.get(draftId);
    if (!draft) return { skipped: 'no such draft' };
    const tenant = this.deps.tenants.tenant(draft.tenantId);
    const now = this.deps.clock.now();
    const ts = await this.deps.outreachChat.publishDraft(
      {
        draft,
        tenantName: tenant?.name ?? draft.tenantId,
        approver: this.approverFor(draft, now),
        incidentRef: draft.incidentId === null ? undefined : incidentRef(draft.incidentId),
        missing: unfilled(draft.text),
      },
      retry && !draft.opsTs,
    );
    if (!draft.opsTs) this.deps.store.update(draftId, { opsTs: ts }, now);
    return { ts };
  }

  /**
   * Who is asked: for an update or closing message, whoever approved the last message about the
   * incident (they made the promise); otherwise the tenant's primary on-call now.
   */
  private approverFor(draft: Draft, now: number): string | undefined {
    if (draft.kind !== 'initial' && draft.incidentId !== null) {
      const last = this.deps.store
        .forIncident(draft.incidentId)
        .filter((d) => d.status === 'sent' && d.approvedBy)
        .at(-1);
      if (last?.approvedBy) return last.approvedBy;
    }
    return this.deps.responders.responderFor(draft.tenantId, 'primary', now);
  }

  private remind(draftId: number, generation: number, now: number): unknown {
    const draft = this.deps.store.get(draftId);
    if (draft?.status !== 'pending' || draft.generation !== generation) return { skipped: 'not waiting' };
    if (!draft.opsTs) return { skipped: 'the draft is not posted yet' };
    const settings = outreachOf(this.deps.tenants.tenant(draft.tenantId));
    const oncall = this.approverFor(draft, now);
    const left = settings ? (settings.draftExpiryMinutes - settings.draftReminderMinutes) * 60_000 : 0;
    this.deps.chat.post(
      { channel: draft.opsChannel, threadTs: draft.opsTs },
      msg(
        oncall ? [mention(oncall), ' '] : undefined,
        `This outreach draft is still waiting for a decision: Send, Edit, Snooze or Discard. It expires in ${formatDuration(left)}.`,
      ),
      `outreach-remind:${draftId}:${generation}`,
    );
    this.audit(draftId, now, null, 'reminded', { generation });
    return { reminded: true };
  }

  private expire(draftId: number, generation: number, now: number): unknown {
    const draft = this.deps.store.get(draftId);
    if (draft?.status !== 'pending' || draft.generation !== generation) return { skipped: 'not waiting' };
    this.deps.store.update(draftId, { status: 'expired' }, now);
    this.audit(draftId, now, null, 'expired');
    this.refreshCard(draftId);
    return { expired: true };
  }

  // ---------------------------------------------------------------- people act on a draft

  /** Why this draft cannot be acted on now (sent, expired …), or undefined. */
  private closedReason(draft: Draft): string | undefined {
    switch (draft.status) {
      case 'sent':
        return 'This message was already sent; use Correct or Retract on its card instead.';
      case 'approved':
        return 'This draft is already approved and on its way to the customer.';
      case 'expired':
        return 'This draft expired because nobody acted on it in time; nothing was sent.';
      case 'discarded':
        return 'This draft was discarded; nothing was sent.';
      case 'retracted':
        return 'This message was sent and then retracted.';
      default:
        return undefined;
    }
  }

  /** Send: approve the draft and queue the post (held by quiet hours or the rate limit if need be). */
  approve(draftId: number, user: string): ActionResult {
    return this.deps.tx(() => {
      const now = this.deps.clock.now();
      const draft = this.deps.store.get(draftId);
      if (!draft) return refuse('That outreach draft no longer exists.');
      const closed = this.closedReason(draft);
      if (closed) return refuse(closed);
      if (!draft.text.trim()) return refuse('The message is empty: use Edit to write it first.');
      const missing = unfilled(draft.text);
      if (missing.length > 0)
        return refuse(
          `Fill in ${missing.map((m) => `{${m}}`).join(', ')} first (Edit), then press Send again.`,
        );
      const tenant = this.deps.tenants.tenant(draft.tenantId);
      const settings = outreachOf(tenant);
      if (!tenant || !settings) return refuse('Outreach is no longer configured for this customer.');
      const decision = mayPostAt(
        { timezone: tenant.timezone, quietHours: settings.quietHours, rateLimit: settings.rateLimit },
        this.deps.store.sentTimes(tenant.id, now - settings.rateLimit.windowMinutes * 60_000),
        now,
      );
      const sendAt = decision.ok ? now : decision.nextAllowedAt;
      const attempt = draft.sendAttempt + 1;
      this.deps.store.update(
        draftId,
        {
          status: 'approved',
          approvedBy: user,
          approvedAt: now,
          sendAt,
          sendAttempt: attempt,
          lastError: null,
        },
        now,
      );
      this.audit(draftId, now, user, 'approved', { sendAt });
      this.deps.scheduler.enqueue({
        kind: SEND_JOB,
        payload: { draftId, attempt },
        key: `outreach-send:${draftId}:${attempt}`,
        runAt: sendAt,
        lane: `outreach-customer:${tenant.id}`,
      });
      this.refreshCard(draftId);
      if (decision.ok) return ok(`Sending it to ${tenant.name}'s shared channel now.`);
      const why = decision.reason === 'quiet-hours' ? 'quiet hours' : 'the rate limit';
      return ok(
        `Approved. Held by ${why} for ${tenant.name}: it goes out in ${formatDuration(sendAt - now)}.`,
      );
    });
  }

  /** Edit (before sending) or Correct (after): the new text, audited with the previous one. */
  edit(draftId: number, user: string, text: string): ActionResult {
    return this.deps.tx(() => {
      const now = this.deps.clock.now();
      const draft = this.deps.store.get(draftId);
      const clean = text.replace(/\r\n/g, '\n').trim();
      if (!draft) return refuse('That outreach draft no longer exists.');
      if (!clean) return refuse('The message cannot be empty. Write what the customer should read.');
      if (clean.length > MAX_TEXT) return refuse(`Keep the message under ${MAX_TEXT} characters.`);
      if (draft.status === 'sent') return this.correct(draft, user, clean, now);
      const closed = this.closedReason(draft);
      if (closed) return refuse(closed);
      this.deps.store.update(draftId, { text: clean }, now);
      this.audit(draftId, now, user, 'edited', { before: draft.text });
      this.refreshCard(draftId);
      const missing = unfilled(clean);
      return ok(
        missing.length > 0
          ? `Saved. It still has ${missing.map((m) => `{${m}}`).join(', ')} to fill in before it can be sent.`
          : 'Saved. Press Send when it reads right.',
      );
    });
  }

  private correct(draft: Draft, user: string, text: string, now: number): ActionResult {
    if (!draft.sentTs || !draft.sentChannel) return refuse('That message is not in the customer channel.');
    const n = this.deps.store.auditOf(draft.id).filter((a) => a.action === 'corrected').length + 1;
    this.deps.store.update(draft.id, { text }, now);
    this.audit(draft.id, now, user, 'corrected', { before: draft.text, n });
    this.deps.scheduler.enqueue({
      kind: AMEND_JOB,
      payload: { draftId: draft.id, n, op: 'correct', by: user },
      key: `outreach-amend:${draft.id}:correct:${n}`,
      lane: `outreach-customer:${draft.tenantId}`,
    });
    this.recordOnTimeline(draft, now, user, msg('Outreach message corrected by ', mention(user)), {
      draftId: draft.id,
      action: 'corrected',
    });
    this.refreshCard(draft.id);
    return ok('Correcting the message in the customer channel.');
  }

  retract(draftId: number, user: string): ActionResult {
    return this.deps.tx(() => {
      const now = this.deps.clock.now();
      const draft = this.deps.store.get(draftId);
      if (!draft) return refuse('That outreach draft no longer exists.');
      if (draft.status === 'retracted') return refuse('This message was already retracted.');
      if (draft.status !== 'sent' || !draft.sentTs) return refuse('Only a sent message can be retracted.');
      this.deps.store.update(draftId, { status: 'retracted' }, now);
      this.audit(draftId, now, user, 'retracted', { text: draft.text });
      this.deps.scheduler.enqueue({
        kind: AMEND_JOB,
        payload: { draftId, n: 1, op: 'retract', by: user },
        key: `outreach-amend:${draftId}:retract`,
        lane: `outreach-customer:${draft.tenantId}`,
      });
      this.recordOnTimeline(draft, now, user, msg('Outreach message retracted by ', mention(user)), {
        draftId,
        action: 'retracted',
      });
      this.refreshCard(draftId);
      return ok('Retracting the message from the customer channel.');
    });
  }

  snooze(draftId: number, user: string): ActionResult {
    return this.deps.tx(() => {
      const now = this.deps.clock.now();
      const draft = this.deps.store.get(draftId);
      if (!draft) return refuse('That outreach draft no longer exists.');
      const closed = this.closedReason(draft);
      if (closed) return refuse(closed);
      const settings = outreachOf(this.deps.tenants.tenant(draft.tenantId));
      if (!settings) return refuse('Outreach is no longer configured for this customer.');
      const generation = draft.generation + 1;
      this.deps.store.update(draftId, { generation }, now);
      this.audit(draftId, now, user, 'snoozed', { until: now + SNOOZE_MS });
      // The reminder and expiry start again after the snooze.
      this.scheduleWaiting(draftId, generation, settings, now + SNOOZE_MS);
      this.refreshCard(draftId);
      return ok(`Snoozed for ${formatDuration(SNOOZE_MS)}: you will be reminded then.`);
    });
  }

  discard(draftId: number, user: string): ActionResult {
    return this.deps.tx(() => {
      const now = this.deps.clock.now();
      const draft = this.deps.store.get(draftId);
      if (!draft) return refuse('That outreach draft no longer exists.');
      const closed = this.closedReason(draft);
      if (closed) return refuse(closed);
      this.deps.store.update(draftId, { status: 'discarded' }, now);
      this.audit(draftId, now, user, 'discarded');
      this.refreshCard(draftId);
      return ok('Discarded: nothing goes to the customer.');
    });
  }

  /** The draft's current text, for the Edit modal; undefined when it can no longer change. */
  editable(draftId: number): { draft: Draft } | { refused: string } {
    const draft = this.deps.store.get(draftId);
    if (!draft) return { refused: 'That outreach draft no longer exists.' };
    if (draft.status === 'sent') return { draft };
    const closed = this.closedReason(draft);
    return closed ? { refused: closed } : { draft };
  }

  // ---------------------------------------------------------------- the customer channel

  /**
   * Tenant safety: the channel outreach for `tenantId` may be posted in — the tenant's configured
   * customer channel — or undefined when the directory says that channel is not this tenant's.
   */
  customerChannelOf(tenantId: string): string | undefined {
    const channel = this.deps.tenants.tenant(tenantId)?.channels.customer;
    if (!channel) return undefined;
    const owner = this.deps.tenants.channel(channel);
    return owner?.tenant.id === tenantId && owner.role === 'customer' ? channel : undefined;
  }

  private async send(draftId: number, attempt: number, now: number, retry: boolean): Promise<unknown> {
    const draft = this.deps.store.get(draftId);
    if (draft?.status !== 'approved' || draft.sendAttempt !== attempt) return { skipped: 'not approved' };
    const channel = this.customerChannelOf(draft.tenantId);
    if (!channel) {
      return this.deps.tx(() =>
        this.failSend(draft, now, 'the customer channel in the config does not belong to this customer'),
      );
    }
    let ts: string;
    try {
      ts = await this.deps.outreachChat.postCustomer(channel, msg(draft.text), `outreach:${draftId}`, retry);
    } catch (error) {
      if (error instanceof DeliveryRefused)
        return this.deps.tx(() => this.failSend(draft, now, error.message));
      throw error;
    }
    return this.deps.tx(() => {
      const at = this.deps.clock.now();
      this.deps.store.update(draftId, { status: 'sent', sentChannel: channel, sentTs: ts, sentAt: at }, at);
      this.audit(draftId, at, draft.approvedBy, 'sent', { channel, ts });
      const what =
        draft.kind === 'initial'
          ? 'Proactive outreach'
          : draft.kind === 'update'
            ? 'Update'
            : 'Closing message';
      this.recordOnTimeline(
        draft,
        at,
        draft.approvedBy,
        msg(
          `${what} sent to the customer, approved by `,
          draft.approvedBy ? mention(draft.approvedBy) : 'the bot',
        ),
        { draftId, action: 'sent', kind: draft.kind, channel, ts },
      );
      this.refreshCard(draftId);
      if (draft.kind !== 'closing' && draft.incidentId !== null) {
        const settings = outreachOf(this.deps.tenants.tenant(draft.tenantId));
        const dueAt = Math.max(draft.nextUpdateAt ?? 0, at + 60_000);
        if (settings)
          this.deps.scheduler.enqueue({
            kind: UPDATE_DUE_JOB,
            payload: { draftId },
            key: `outreach-update-due:${draftId}`,
            runAt: dueAt,
          });
      }
      return { ts };
    });
  }

  private failSend(draft: Draft, now: number, why: string): unknown {
    // Back to pending with the reason: the approver fixes the channel and presses Send again.
    this.deps.store.update(draft.id, { status: 'pending', lastError: why }, now);
    this.audit(draft.id, now, null, 'failed', { error: why });
    if (draft.opsTs) {
      this.deps.chat.post(
        { channel: draft.opsChannel, threadTs: draft.opsTs },
        msg(
          draft.approvedBy ? [mention(draft.approvedBy), ' '] : undefined,
          `Could not post this message to the customer: ${why}. Nothing was posted; press Send again once that is fixed.`,
        ),
        `outreach-failed:${draft.id}:${draft.sendAttempt}`,
      );
    }
    this.refreshCard(draft.id);
    return { failed: why };
  }

  private async amend(p: z.infer<typeof AmendPayload>): Promise<unknown> {
    const draft = this.deps.store.get(p.draftId);
    if (!draft?.sentTs || !draft.sentChannel) return { skipped: 'nothing was sent' };
    // The target is the message we posted, in the channel we posted it in; it is checked again.
    if (draft.sentChannel !== this.customerChannelOf(draft.tenantId)) return { skipped: 'channel changed' };
    if (p.op === 'retract') {
      await this.deps.outreachChat.deleteCustomer(draft.sentChannel, draft.sentTs);
      return { retracted: draft.sentTs };
    }
    if (draft.status !== 'sent') return { skipped: 'retracted meanwhile' };
    await this.deps.outreachChat.updateCustomer(draft.sentChannel, draft.sentTs, msg(draft.text));
    return { corrected: draft.sentTs };
  }

  // ---------------------------------------------------------------- updates and the closing message

  /** The promised update is due: draft it (pre-filled) for the on-call, while the incident is open. */
  private updateDue(draftId: number, now: number): unknown {
    const draft = this.deps.store.get(draftId);
    if (draft?.status !== 'sent' || draft.incidentId === null) return { skipped: 'not sent' };
    const incident = this.deps.incidents.get(draft.incidentId);
    const tenant = this.deps.tenants.tenant(draft.tenantId);
    const settings = outreachOf(tenant);
    if (!incident || incident.status === 'resolved' || !tenant || !settings) return { skipped: 'resolved' };
    const n = this.deps.store.forIncident(incident.id).filter((d) => d.kind === 'update').length + 1;
    const created = this.createDraft(tenant, settings, {
      incidentId: incident.id,
      findingKey: `update:${incident.id}:${n}`,
      kind: 'update',
      detector: null,
      category: incident.category,
      cluster: incident.cluster,
      observation: `The next update promised to ${tenant.name} about ${incident.ref} is due.`,
      values: {
        customer: tenant.name,
        cluster: incident.cluster,
        startedAt: incident.openedAt,
        nextUpdateAt: now + settings.updateIntervalMinutes * 60_000,
        caseNumber: this.caseNumber(incident.id),
      },
      now,
    });
    return { drafted: created?.id };
  }

  /** On resolution, offer a closing message when we told the customer about the incident. */
  private offerClosing(incident: Incident, at: number): void {
    const tenant = this.deps.tenants.tenant(incident.tenantId);
    const settings = outreachOf(tenant);
    if (!tenant || !settings) return;
    const told = this.deps.store
      .forIncident(incident.id)
      .some((d) => d.status === 'sent' && d.kind !== 'closing');
    if (!told) return;
    const resolved = this.deps.incidents.get(incident.id) ?? incident;
    this.createDraft(tenant, settings, {
      incidentId: incident.id,
      findingKey: `closing:${incident.id}`,
      kind: 'closing',
      detector: null,
      category: incident.category,
      cluster: incident.cluster,
      observation: `${incident.ref} is resolved; tell ${tenant.name} it is over.`,
      values: {
        customer: tenant.name,
        cluster: incident.cluster,
        startedAt: incident.openedAt,
        resolvedAt: resolved.resolvedAt ?? at,
        caseNumber: this.caseNumber(incident.id),
      },
      now: at,
    });
  }

  // ---------------------------------------------------------------- helpers

  private recordOnTimeline(
    draft: Draft,
    at: number,
    actor: string | null,
    message: Message,
    data: Record<string, unknown>,
  ): void {
    if (draft.incidentId === null) return;
    this.deps.timeline.record({ incidentId: draft.incidentId, at, kind: 'outreach', actor, message, data });
  }

  private audit(draftId: number, at: number, actor: string | null, action: string, detail?: unknown): void {
    this.deps.store.audit({ draftId, at, actor, action, detail });
  }
}

function ok(text: string): ActionResult {
  return { ok: true, message: msg(text) };
}

function refuse(text: string): ActionResult {
  return { ok: false, message: msg(text) };
}
