// Assembles what an incident card shows from the store: one place that knows the card's data.
import type { Silence } from '../../domain/alarms/silences.js';
import { findSilence } from '../../domain/alarms/silences.js';
import type { AlarmStatus, Category, Severity } from '../../domain/alarms/types.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import { incidentRef } from '../../store/incident-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { SilenceStore } from '../../store/silence-store.js';
import type { Responders } from '../responders.js';
import type { TenantDirectory } from '../tenant-directory.js';

/** What a card shows: built here from the store, rendered to Block Kit at the Slack edge. */
export interface IncidentCardView {
  id: number;
  /** e.g. "INC-42" */
  ref: string;
  tenantName: string;
  cluster: string;
  site?: string;
  category: Category;
  severity: Severity;
  status: 'open' | 'acknowledged' | 'resolved';
  /** e.g. "D-node dnode-3 down" */
  title: string;
  alarmCount: number;
  firingCount: number;
  /** Inhibited alarms joined to the incident but not paged. */
  suppressedCount: number;
  silencedCount: number;
  /** Alarms of the group the sender left out of its notifications (not stored, not shown). */
  omittedCount: number;
  flapping: boolean;
  firstSeen: number;
  lastSeen: number;
  /** IANA zone of the tenant; times show in this zone and in UTC. */
  timezone: string;
  /** Slack user id to mention. */
  responsible: string;
  acknowledgedBy?: { user: string; at: number };
  resolvedBy?: { user: string | null; at: number; auto: boolean };
  severityChangedBy?: { user: string; from: Severity; reason: string };
  /** Newest first; at most 5 are shown. */
  recentAlarms: Array<{ summary: string; componentId: string; status: AlarmStatus; at: number }>;
  /** e.g. "network partition on sjc-obj-01 (INC-41)" */
  inhibitedBy?: string;
  /** An active silence covering the incident's group. */
  silencedUntil?: { until: number; by: string; id: string };
  caseLink?: { label: string; url: string };
  jiraLink?: { label: string; url: string };
  actions: { case: { enabled: boolean; why?: string }; escalate: { enabled: boolean; why?: string } };
  /** Buttons other capabilities add (value: the incident id), after the built-in ones. */
  extraButtons: CardButton[];
  /** Lines other capabilities add (mrkdwn, already escaped), e.g. the SLA clock. */
  extraNotes: string[];
}

/** A button another capability adds to open incidents' cards; its listener is that capability's. */
export interface CardButton {
  actionId: string;
  text: string;
}

/** A card button another capability offers, and why it is missing for a tenant (or undefined). */
export type CardActionName = 'case' | 'escalate';
type Availability = (tenantId: string) => string | undefined;

/**
 * Which of the card's integration buttons are available. The cases and escalations capabilities
 * register here; until one does, the card says why the button is missing.
 */
export class CardActionStatus {
  private readonly checks = new Map<CardActionName, Availability>();
  private static readonly MISSING: Record<CardActionName, string> = {
    case: 'Salesforce is not connected to opsbot yet',
    escalate: 'Jira/Orion is not connected to opsbot yet',
  };

  private readonly extra: Array<(tenantId: string, incident: Incident, now: number) => CardButton[]> = [];
  private readonly notes: Array<(incident: Incident, now: number) => string[]> = [];

  /** Adds buttons to the cards of a tenant's open incidents (the provider may return none). */
  addButtons(provider: (tenantId: string, incident: Incident, now: number) => CardButton[]): void {
    this.extra.push(provider);
  }

  buttons(incident: Incident, now: number): CardButton[] {
    return this.extra.flatMap((provider) => provider(incident.tenantId, incident, now));
  }

  /** Adds note lines (mrkdwn the provider escaped) under the card's fields. */
  addNotes(provider: (incident: Incident, now: number) => string[]): void {
    this.notes.push(provider);
  }

  noteLines(incident: Incident, now: number): string[] {
    return this.notes.flatMap((provider) => provider(incident, now));
  }

  offer(action: CardActionName, unavailable: Availability): void {
    this.checks.set(action, unavailable);
  }

  status(action: CardActionName, tenantId: string): { enabled: boolean; why?: string } {
    const check = this.checks.get(action);
    const why = check ? check(tenantId) : CardActionStatus.MISSING[action];
    return why ? { enabled: false, why } : { enabled: true };
  }
}

export class CardViewBuilder {
  constructor(
    private readonly deps: {
      incidents: IncidentStore;
      silences: SilenceStore;
      tenants: TenantDirectory;
      responders: Responders;
      actions: CardActionStatus;
      links?: LinkStore;
    },
  ) {}

  build(incident: Incident, now: number): IncidentCardView {
    const { incidents, tenants, actions } = this.deps;
    const tenant = tenants.tenant(incident.tenantId);
    const members = incidents.members(incident.id);
    const counts = incidents.counts(incident.id);
    const timeline = incidents.timeline(incident.id);
    const lastHumanSeverity = [...timeline].reverse().find((t) => t.kind === 'severity' && t.actor);
    const cluster = tenant?.clusters.find((c) => c.id === incident.cluster);
    const firstSeen = members.reduce((min, m) => Math.min(min, m.firstSeen), incident.openedAt);
    const lastSeen = members.reduce((max, m) => Math.max(max, m.lastSeen), incident.lastAlarmAt);
    const silence = this.groupSilence(incident, now);
    const view: IncidentCardView = {
      id: incident.id,
      ref: incidentRef(incident.id),
      tenantName: tenant?.name ?? incident.tenantId,
      cluster: incident.cluster,
      site: cluster?.site,
      category: incident.category,
      severity: incident.severity,
      status: incident.status,
      title: members.length > 1 ? `${incident.title} (+${members.length - 1} more)` : incident.title,
      alarmCount: counts.total,
      firingCount: counts.firing,
      suppressedCount: counts.inhibited,
      silencedCount: counts.silenced,
      omittedCount: incident.omittedAlarms,
      flapping: incident.flapping,
      firstSeen,
      lastSeen,
      timezone: tenant?.timezone ?? 'UTC',
      responsible: this.deps.responders.responderFor(incident.tenantId, 'primary', now) ?? '',
      recentAlarms: members
        .filter((m) => m.suppressedBy === null)
        .slice(0, 5)
        .map((m) => ({ summary: m.summary, componentId: m.componentId, status: m.status, at: m.lastSeen })),
      actions: {
        case: actions.status('case', incident.tenantId),
        escalate: actions.status('escalate', incident.tenantId),
      },
      extraButtons: actions.buttons(incident, now),
      extraNotes: actions.noteLines(incident, now),
    };
    if (incident.acknowledgedBy && incident.acknowledgedAt !== null) {
      view.acknowledgedBy = { user: incident.acknowledgedBy, at: incident.acknowledgedAt };
    }
    if (incident.status === 'resolved' && incident.resolvedAt !== null) {
      view.resolvedBy = {
        user: incident.resolvedBy,
        at: incident.resolvedAt,
        auto: incident.resolvedBy === null,
      };
    }
    if (lastHumanSeverity?.actor) {
      const data = lastHumanSeverity.data as { from: Severity; reason: string } | undefined;
      if (data)
        view.severityChangedBy = { user: lastHumanSeverity.actor, from: data.from, reason: data.reason };
    }
    if (silence) view.silencedUntil = { until: silence.endsAt, by: silence.createdBy, id: silence.id };
    const sfCase = this.deps.links?.get(incident.id, 'salesforce');
    if (sfCase)
      view.caseLink = {
        label: `Case ${sfCase.ref}${sfCase.status ? ` (${sfCase.status})` : ''}`,
        url: sfCase.url,
      };
    const issue = this.deps.links?.get(incident.id, 'jira');
    if (issue)
      view.jiraLink = { label: `${issue.ref}${issue.status ? ` (${issue.status})` : ''}`, url: issue.url };
    return view;
  }

  /** An active silence that covers this incident's whole group (e.g. "Silence 1h" from the card). */
  private groupSilence(incident: Incident, now: number): Silence | undefined {
    const labels = Object.fromEntries(
      incident.groupKey.split('|').map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
    return findSilence(this.deps.silences.activeFor(incident.tenantId, now), labels, now);
  }
}
