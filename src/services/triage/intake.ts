// The one alarm pipeline behind the three doors (Slack alarm channels, Alertmanager and VMS
// webhooks): store raw → parse → classify → silence/inhibit → join or open an incident →
// timeline → schedule the card. Everything for one alarm happens in one SQLite transaction,
// so an alarm is either fully recorded or not at all.
// The doors come in through `acceptDurably`, which stores the raw alarm and queues it
// (triage_pending); `triageStored` triages it later (see triage-queue.ts). The webhook doors
// answer 202 once it is on disk; the Slack door has already acknowledged Slack from its own
// inbound table. `ingestDurably` stores and triages in one go (no door uses it now; the
// group-commit and retention tests drive intake through it).
// A storm's alarms repeat the same lookups (silences, inhibitors, the group's incident, the card
// job); the alarms of one transaction share them (TransactionMemo), kept in step with intake's
// own writes and dropped with the transaction, so nothing cached outlives a rollback.
import type { Logger } from 'pino';
import type { TenantConfig } from '../../config/schema.js';
import { classify } from '../../domain/alarms/classify.js';
import { isFlapping } from '../../domain/alarms/flapping.js';
import { groupKey, incidentTitle } from '../../domain/alarms/grouping.js';
import { findInhibitor } from '../../domain/alarms/inhibition.js';
import { alarmLabels, matchesAll } from '../../domain/alarms/matchers.js';
import { findSilence } from '../../domain/alarms/silences.js';
import type { AlarmSource, NormalizedAlarm, ParsedAlarm, Severity } from '../../domain/alarms/types.js';
import type { Clock } from '../../domain/clock.js';
import { msg } from '../../domain/message.js';
import type { AlarmStore } from '../../store/alarm-store.js';
import type { GroupCommit } from '../../store/group-commit.js';
import type { Incident, IncidentPatch, IncidentStore } from '../../store/incident-store.js';
import type { SilenceStore, StoredSilence } from '../../store/silence-store.js';
import type { TriageInbox } from '../../store/triage-inbox.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { Timeline } from '../timeline.js';
import type { CardScheduler } from './card-scheduler.js';
import type { TriagePolicy } from './policy.js';

export interface AlarmInput {
  tenant: TenantConfig;
  source: AlarmSource;
  /** Identity of this delivery of this alarm; the same key again is a no-op. */
  dedupeKey: string;
  origin: string | null;
  raw: unknown;
  parsed: ParsedAlarm;
  /** Alarms of the same notification the sender left out (Alertmanager's `truncatedAlerts`). */
  omittedSiblings?: number;
  /** The alarm channel it arrived in (Slack door); webhooks use the tenant's first alarm channel. */
  channel?: string;
}

/** What a door hears back from `acceptDurably`: stored and queued, or already received. */
export type AcceptOutcome = 'accepted' | 'duplicate';

/** An alarm `acceptDurably` stored: its raw row, the instant it arrived, and what the door read. */
export interface StoredAlarmInput {
  rawId: number;
  receivedAt: number;
  input: AlarmInput;
}

export type IngestOutcome =
  | { result: 'duplicate' }
  | { result: 'unclassified' }
  | { result: 'resolved-unknown' }
  | { result: 'silenced'; silenceId: string; incidentId: number | null }
  | { result: 'joined'; incidentId: number; opened: boolean; suppressedBy: string | null };

type ActiveSource = ReturnType<IncidentStore['activeSources']>[number];

/**
 * What the alarms of one transaction (a group-commit flush, or one `ingest` call) share. Valid
 * only inside that transaction: intake updates or forgets an entry whenever it writes something
 * the entry describes, and GroupCommit drops the whole memo when the flush ends or any of its
 * writes fails (that write's savepoint rolled back what it recorded here).
 */
class TransactionMemo {
  /** Active silences per tenant, with the instant they were read for. */
  readonly silences = new Map<string, { now: number; list: StoredSilence[] }>();
  /** Possible inhibitors per tenant; forgotten whenever this transaction adds or changes a member. */
  readonly sources = new Map<string, ActiveSource[]>();
  /** The open incident of each `tenant \n group key` this transaction looked up or opened. */
  readonly groups = new Map<string, number>();
  /** Incidents this transaction already stamped (`lastAlarmAt`, a version bump), by instant. */
  readonly stamped = new Map<number, number>();
  /** Card job keys this transaction enqueued. */
  readonly cards = new Set<string>();
  /**
   * Incidents whose card job this transaction already has, by the instant it was asked for. The
   * key depends only on that instant and on the card's own marks (posted, rendered), which only
   * card jobs change, never a write inside this transaction; so the same instant gives the same
   * key, and the incident need not be read again. (Only kept once a key exists: before any
   * visible change there may be none, and a later alarm may still make one due.)
   */
  readonly cardsAt = new Map<number, number>();
}

/** One `ingest`/`ingestDurably` call: its instant, and the incidents whose card it changed. */
interface Batch {
  now: number;
  memo: TransactionMemo;
  cardsChanged: Set<number>;
}

export class AlarmIntake {
  constructor(
    private readonly deps: {
      tx: UnitOfWork;
      alarms: AlarmStore;
      inbox: TriageInbox;
      incidents: IncidentStore;
      timeline: Timeline;
      silences: SilenceStore;
      cards: CardScheduler;
      policy: TriagePolicy;
      clock: Clock;
      logger: Logger;
      commits?: GroupCommit;
    },
  ) {}

  /** Records one alarm; returns what happened to it. Atomic. */
  ingest(input: AlarmInput): IngestOutcome {
    return this.deps.tx(() => this.ingestAll([input]))[0] as IngestOutcome;
  }

  /**
   * Records alarms atomically (all or none), committed together with other writes of this tick;
   * resolves once they are on disk — acknowledge after this.
   */
  ingestDurably(inputs: AlarmInput[]): Promise<IngestOutcome[]> {
    const write = () => this.ingestAll(inputs);
    return this.deps.commits ? this.deps.commits.run(write) : Promise.resolve(this.deps.tx(write));
  }

  /**
   * Stores alarms and queues them for triage, committed together with other writes of this tick;
   * resolves once they are on disk — acknowledge after this. Nothing is triaged here.
   */
  acceptDurably(inputs: AlarmInput[]): Promise<AcceptOutcome[]> {
    const write = () => {
      const now = this.deps.clock.now();
      return inputs.map((input): AcceptOutcome => {
        const rawId = this.insertRaw(input, now);
        if (rawId === undefined) return 'duplicate';
        this.deps.inbox.add(rawId, input.parsed, input.channel, input.omittedSiblings);
        return 'accepted';
      });
    };
    return this.deps.commits ? this.deps.commits.run(write) : Promise.resolve(this.deps.tx(write));
  }

  /**
   * Triages alarms `acceptDurably` stored, inside the caller's transaction, each in its own
   * savepoint with its queue row removed there: one that fails rolls back alone and comes back as
   * its error. Each is recorded at the instant it arrived, so a late triage tells the same story.
   */
  triageStored(items: StoredAlarmInput[]): Array<IngestOutcome | { error: unknown }> {
    let memo = new TransactionMemo();
    return items.map(({ rawId, receivedAt, input }) => {
      try {
        return this.deps.tx(() => {
          const batch: Batch = { now: receivedAt, memo, cardsChanged: new Set() };
          const outcome = this.triageOne(rawId, input, batch);
          this.scheduleCards(batch);
          this.deps.inbox.remove(rawId);
          return outcome;
        });
      } catch (error) {
        // The savepoint rolled back what this alarm recorded in the memo too.
        memo = new TransactionMemo();
        return { error };
      }
    });
  }

  /**
   * The alarms of one request, inside the caller's transaction. They arrived together, so they
   * share one instant, and each incident's card is looked at once, after the last of them.
   */
  private ingestAll(inputs: AlarmInput[]): IngestOutcome[] {
    const memo = this.deps.commits?.local(this, () => new TransactionMemo()) ?? new TransactionMemo();
    const batch: Batch = { now: this.deps.clock.now(), memo, cardsChanged: new Set() };
    const outcomes = inputs.map((input): IngestOutcome => {
      const rawId = this.insertRaw(input, batch.now);
      return rawId === undefined ? { result: 'duplicate' } : this.triageOne(rawId, input, batch);
    });
    this.scheduleCards(batch);
    return outcomes;
  }

  private scheduleCards({ now, memo, cardsChanged }: Batch): void {
    for (const id of cardsChanged) {
      if (memo.cardsAt.get(id) === now) continue;
      if (this.deps.cards.changed(id, now, memo.cards) !== undefined) memo.cardsAt.set(id, now);
    }
  }

  /** The raw row id, or undefined when this delivery was already received. */
  private insertRaw(input: AlarmInput, now: number): number | undefined {
    return this.deps.alarms.insertRaw(
      {
        tenantId: input.tenant.id,
        source: input.source,
        dedupeKey: input.dedupeKey,
        origin: input.origin,
        body: input.raw,
      },
      now,
    );
  }

  private triageOne(rawId: number, input: AlarmInput, batch: Batch): IngestOutcome {
    const { alarms } = this.deps;
    const { now } = batch;

    const alarm = classify(input.parsed, {
      tenantId: input.tenant.id,
      source: input.source,
      rules: input.tenant.alarms.rules,
      now,
      clusterIds: input.tenant.clusters.map((c) => c.id),
    });
    if (alarm.category === 'unclassified') {
      alarms.recordEvent(rawId, alarm, null, null, now);
      return { result: 'unclassified' };
    }
    const labels = alarmLabels(alarm);
    const outcome =
      alarm.status === 'resolved'
        ? this.resolveAlarm(input.tenant, alarm, batch)
        : this.fireAlarm(input, alarm, labels, batch);
    const incidentId = 'incidentId' in outcome ? outcome.incidentId : null;
    const suppressedBy =
      outcome.result === 'silenced'
        ? `silence:${outcome.silenceId}`
        : outcome.result === 'joined'
          ? outcome.suppressedBy
          : null;
    alarms.recordEvent(rawId, alarm, incidentId, suppressedBy, now);
    return outcome;
  }

  private fireAlarm(
    input: AlarmInput,
    alarm: NormalizedAlarm,
    labels: Record<string, string>,
    batch: Batch,
  ): IngestOutcome {
    const { incidents, silences, policy } = this.deps;
    const { now, memo } = batch;
    const tenantId = input.tenant.id;
    const key = groupKey(labels, policy.groupBy);

    const silence = findSilence(this.activeSilences(tenantId, batch), labels, now);
    let suppressedBy: string | null = null;
    let incident: Incident | undefined;
    // Whether this fingerprint is known to be in no open incident of the tenant (then the incident
    // it joins cannot hold it yet, and its member row need not be looked up).
    let newMember = false;
    if (silence) {
      silences.recordHit(silence.id);
      suppressedBy = `silence:${silence.id}`;
      // A silenced alarm never opens an incident; it is counted on one that is already open.
      incident = this.openGroupIncident(tenantId, key, memo);
      if (!incident) return { result: 'silenced', silenceId: silence.id, incidentId: null };
    } else if (policy.inhibitRules.some((rule) => matchesAll(rule.targetMatchers, labels))) {
      // Only alarms some rule could inhibit look for an inhibitor; the rest skip the lookup.
      const sources = this.activeSources(tenantId, memo).filter((s) => s.id !== alarm.fingerprint);
      const inhibitor = findInhibitor(labels, sources, policy.inhibitRules);
      if (inhibitor) {
        suppressedBy = `inhibited:${inhibitor.rule.name}`;
        const sourceIncident = sources.find((s) => s.id === inhibitor.sourceId)?.incidentId;
        incident = sourceIncident === undefined ? undefined : incidents.get(sourceIncident);
      }
    }

    let opened = false;
    if (!incident) {
      const existing = incidents.openMemberIncidentId(tenantId, alarm.fingerprint);
      newMember = existing === undefined;
      incident =
        existing !== undefined ? incidents.get(existing) : this.openGroupIncident(tenantId, key, memo);
    }
    if (!incident) {
      incident = incidents.create({
        tenantId,
        groupKey: key,
        cluster: alarm.cluster,
        category: alarm.category,
        severity: alarm.severity,
        title: incidentTitle(alarm),
        channel: input.channel ?? (input.tenant.channels.alarms[0] as string),
        at: now,
      });
      opened = true;
      memo.groups.set(`${tenantId}\n${key}`, incident.id);
      this.deps.timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'opened',
        actor: null,
        message: msg(`Opened by ${alarm.name} on ${alarm.componentId}`),
        data: { severity: alarm.severity },
      });
    }
    this.upsertMember(incident, alarm, labels, suppressedBy, batch, newMember || opened);
    if (input.omittedSiblings && input.omittedSiblings > incident.omittedAlarms)
      this.deps.incidents.update(incident.id, { omittedAlarms: input.omittedSiblings });
    if (!suppressedBy) this.raiseIfNeeded(incident, alarm.severity, batch);
    batch.cardsChanged.add(incident.id);
    return { result: 'joined', incidentId: incident.id, opened, suppressedBy };
  }

  private resolveAlarm(tenant: TenantConfig, alarm: NormalizedAlarm, batch: Batch): IngestOutcome {
    const { incidents, cards, policy } = this.deps;
    const { now } = batch;
    const member = incidents.openMember(tenant.id, alarm.fingerprint);
    if (!member) return { result: 'resolved-unknown' };
    const incident = incidents.get(member.incidentId) as Incident;
    this.upsertMember(incident, alarm, member.labels, member.suppressedBy, batch, false);
    // The member was just written, so the incident has one; it waits to resolve once none fires.
    if (!incidents.anyFiring(incident.id)) {
      const dueAt = now + policy.resolveQuietPeriodMs;
      incidents.update(incident.id, { resolveDueAt: dueAt });
      cards.scheduleAutoResolve(incident.id, dueAt);
    }
    batch.cardsChanged.add(incident.id);
    return { result: 'joined', incidentId: incident.id, opened: false, suppressedBy: member.suppressedBy };
  }

  /** The tenant's active silences at the batch's instant, read once per transaction and instant. */
  private activeSilences(tenantId: string, { now, memo }: Batch): StoredSilence[] {
    const known = memo.silences.get(tenantId);
    if (known?.now === now) return known.list;
    const list = this.deps.silences.activeFor(tenantId, now);
    memo.silences.set(tenantId, { now, list });
    return list;
  }

  /** Possible inhibitors, read once per transaction until intake changes a member. */
  private activeSources(tenantId: string, memo: TransactionMemo): ActiveSource[] {
    let sources = memo.sources.get(tenantId);
    if (!sources) {
      sources = this.deps.incidents.activeSources(tenantId);
      memo.sources.set(tenantId, sources);
    }
    return sources;
  }

  /** The group's open incident; the id is remembered for the transaction, the row read fresh. */
  private openGroupIncident(tenantId: string, key: string, memo: TransactionMemo): Incident | undefined {
    const { incidents } = this.deps;
    const memoKey = `${tenantId}\n${key}`;
    const id = memo.groups.get(memoKey);
    const known = id === undefined ? undefined : incidents.get(id);
    // Nothing in intake resolves an incident, but the row decides, not the memo.
    if (known && known.status !== 'resolved') return known;
    const found = incidents.findOpenByGroup(tenantId, key);
    if (found) memo.groups.set(memoKey, found.id);
    else memo.groups.delete(memoKey);
    return found;
  }

  /** `isNew`: the caller knows the incident has no member with this fingerprint yet. */
  private upsertMember(
    incident: Incident,
    alarm: NormalizedAlarm,
    labels: Record<string, string>,
    suppressedBy: string | null,
    batch: Batch,
    isNew: boolean,
  ): void {
    const { incidents, policy } = this.deps;
    const { now, memo } = batch;
    const existing = isNew ? undefined : incidents.member(incident.id, alarm.fingerprint);
    if (!existing) {
      const canInhibit = policy.inhibitRules.some((rule) => matchesAll(rule.sourceMatchers, labels));
      incidents.addMember({
        incidentId: incident.id,
        fingerprint: alarm.fingerprint,
        name: alarm.name,
        componentKind: alarm.componentKind,
        componentId: alarm.componentId,
        severity: alarm.severity,
        summary: alarm.summary,
        status: alarm.status,
        suppressedBy,
        labels,
        at: now,
        canInhibit,
      });
      if (canInhibit) memo.sources.clear();
      const how = suppressedBy ? ` (suppressed: ${suppressedBy})` : '';
      this.deps.timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'alarm',
        actor: null,
        message: msg(`${alarm.status} ${alarm.name} on ${alarm.componentId}${how}`),
        data: { fingerprint: alarm.fingerprint },
      });
      return;
    }
    const changed = existing.status !== alarm.status;
    const transitions = changed ? [...existing.transitions, now].slice(-50) : existing.transitions;
    incidents.updateMember({
      incidentId: incident.id,
      fingerprint: alarm.fingerprint,
      status: alarm.status,
      summary: alarm.summary,
      severity: alarm.severity,
      suppressedBy:
        alarm.status === 'firing' ? (existing.suppressedBy ?? suppressedBy) : existing.suppressedBy,
      transitions,
      at: now,
    });
    // Its status or suppression may have changed, and with it whether it can inhibit.
    memo.sources.clear();
    if (!changed) return;
    this.deps.timeline.record({
      incidentId: incident.id,
      at: now,
      kind: 'alarm',
      actor: null,
      message: msg(`${alarm.status} ${alarm.name} on ${alarm.componentId}`),
      data: { fingerprint: alarm.fingerprint },
    });
    if (!incident.flapping && isFlapping(transitions, now, policy.flapping)) {
      incidents.update(incident.id, { flapping: true });
      this.deps.timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'flapping',
        actor: null,
        message: msg(
          `${alarm.name} on ${alarm.componentId} is flapping (${policy.flapping.transitions} changes within ${Math.round(policy.flapping.windowMs / 60_000)}m); not re-paging`,
        ),
      });
    }
  }

  /**
   * A firing alarm keeps the incident open and can raise (never lower) its severity. `current`
   * was read for this alarm; what it wrote since (members, flapping) is not looked at here.
   */
  private raiseIfNeeded(current: Incident, severity: Severity, { now, memo }: Batch): void {
    const { incidents } = this.deps;
    const patch: IncidentPatch = { lastAlarmAt: now };
    if (current.resolveDueAt !== null) patch.resolveDueAt = null;
    const raised = severity < current.severity && !current.severityLocked;
    if (raised) patch.severity = severity;
    // This transaction already wrote this very stamp, and its version bump: no card render can
    // have read the incident in between (renders run in their own transactions), so the card is
    // already marked out of date and the same UPDATE again would change nothing that matters.
    const again = memo.stamped.get(current.id) === now && current.lastAlarmAt === now;
    if (again && !raised && patch.resolveDueAt === undefined) return;
    incidents.update(current.id, patch);
    memo.stamped.set(current.id, now);
    // Recorded after the update, so whoever hears of it (tenant rules) sees the new severity.
    if (raised)
      this.deps.timeline.record({
        incidentId: current.id,
        at: now,
        kind: 'severity',
        actor: null,
        message: msg(`Raised to Sev${severity} by a new alarm`),
        data: { from: current.severity, to: severity },
      });
  }
}
