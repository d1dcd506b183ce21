// The one alarm pipeline behind the three doors (Slack alarm channels, Alertmanager and VMS
// webhooks): store raw → parse → classify → silence/inhibit → join or open an incident →
// timeline → schedule the card. Everything for one alarm happens in one SQLite transaction,
// so an alarm is either fully recorded or not at all, and the caller acks only after it.
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
import type { SilenceStore } from '../../store/silence-store.js';
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

export type IngestOutcome =
  | { result: 'duplicate' }
  | { result: 'unclassified' }
  | { result: 'resolved-unknown' }
  | { result: 'silenced'; silenceId: string; incidentId: number | null }
  | { result: 'joined'; incidentId: number; opened: boolean; suppressedBy: string | null };

export class AlarmIntake {
  constructor(
    private readonly deps: {
      tx: UnitOfWork;
      alarms: AlarmStore;
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
    return this.deps.tx(() => this.ingestInTransaction(input));
  }

  /**
   * Records alarms atomically (all or none), committed together with other writes of this tick;
   * resolves once they are on disk — acknowledge after this.
   */
  ingestDurably(inputs: AlarmInput[]): Promise<IngestOutcome[]> {
    const write = () => inputs.map((input) => this.ingestInTransaction(input));
    return this.deps.commits ? this.deps.commits.run(write) : Promise.resolve(this.deps.tx(write));
  }

  private ingestInTransaction(input: AlarmInput): IngestOutcome {
    const { alarms, clock } = this.deps;
    const now = clock.now();
    const rawId = alarms.insertRaw(
      {
        tenantId: input.tenant.id,
        source: input.source,
        dedupeKey: input.dedupeKey,
        origin: input.origin,
        body: input.raw,
      },
      now,
    );
    if (rawId === undefined) return { result: 'duplicate' };

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
        ? this.resolveAlarm(input.tenant, alarm, now)
        : this.fireAlarm(input, alarm, labels, now);
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
    now: number,
  ): IngestOutcome {
    const { incidents, silences, policy } = this.deps;
    const tenantId = input.tenant.id;
    const key = groupKey(labels, policy.groupBy);

    const silence = findSilence(silences.activeFor(tenantId, now), labels, now);
    let suppressedBy: string | null = null;
    let incident: Incident | undefined;
    if (silence) {
      silences.recordHit(silence.id);
      suppressedBy = `silence:${silence.id}`;
      // A silenced alarm never opens an incident; it is counted on one that is already open.
      incident = incidents.findOpenByGroup(tenantId, key);
      if (!incident) return { result: 'silenced', silenceId: silence.id, incidentId: null };
    } else if (policy.inhibitRules.some((rule) => matchesAll(rule.targetMatchers, labels))) {
      // Only alarms some rule could inhibit look for an inhibitor; the rest skip the lookup.
      const sources = incidents.activeSources(tenantId).filter((s) => s.id !== alarm.fingerprint);
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
      incident = existing !== undefined ? incidents.get(existing) : incidents.findOpenByGroup(tenantId, key);
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
      this.deps.timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'opened',
        actor: null,
        message: msg(`Opened by ${alarm.name} on ${alarm.componentId}`),
        data: { severity: alarm.severity },
      });
    }
    this.upsertMember(incident, alarm, labels, suppressedBy, now);
    if (input.omittedSiblings && input.omittedSiblings > incident.omittedAlarms)
      this.deps.incidents.update(incident.id, { omittedAlarms: input.omittedSiblings });
    if (!suppressedBy) this.raiseIfNeeded(incident, alarm.severity, now);
    this.deps.cards.changed(incident.id, now);
    return { result: 'joined', incidentId: incident.id, opened, suppressedBy };
  }

  private resolveAlarm(tenant: TenantConfig, alarm: NormalizedAlarm, now: number): IngestOutcome {
    const { incidents, cards, policy } = this.deps;
    const member = incidents.openMember(tenant.id, alarm.fingerprint);
    if (!member) return { result: 'resolved-unknown' };
    const incident = incidents.get(member.incidentId) as Incident;
    this.upsertMember(incident, alarm, member.labels, member.suppressedBy, now);
    const counts = incidents.counts(incident.id);
    const firingMembers = incidents.members(incident.id).filter((m) => m.status === 'firing').length;
    if (firingMembers === 0 && counts.total > 0) {
      const dueAt = now + policy.resolveQuietPeriodMs;
      incidents.update(incident.id, { resolveDueAt: dueAt });
      cards.scheduleAutoResolve(incident.id, dueAt);
    }
    cards.changed(incident.id, now);
    return { result: 'joined', incidentId: incident.id, opened: false, suppressedBy: member.suppressedBy };
  }

  private upsertMember(
    incident: Incident,
    alarm: NormalizedAlarm,
    labels: Record<string, string>,
    suppressedBy: string | null,
    now: number,
  ): void {
    const { incidents, policy } = this.deps;
    const existing = incidents.member(incident.id, alarm.fingerprint);
    if (!existing) {
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
        canInhibit: this.deps.policy.inhibitRules.some((rule) => matchesAll(rule.sourceMatchers, labels)),
      });
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

  /** A firing alarm keeps the incident open and can raise (never lower) its severity. */
  private raiseIfNeeded(incident: Incident, severity: Severity, now: number): void {
    const { incidents } = this.deps;
    const current = incidents.get(incident.id) as Incident;
    const patch: IncidentPatch = { lastAlarmAt: now };
    if (current.resolveDueAt !== null) patch.resolveDueAt = null;
    const raised = severity < current.severity && !current.severityLocked;
    if (raised) patch.severity = severity;
    incidents.update(incident.id, patch);
    // Recorded after the update, so whoever hears of it (tenant rules) sees the new severity.
    if (raised)
      this.deps.timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'severity',
        actor: null,
        message: msg(`Raised to Sev${severity} by a new alarm`),
        data: { from: current.severity, to: severity },
      });
  }
}
