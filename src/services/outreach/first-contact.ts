// Who was first, kept up to date on each incident's timeline: the customer's signals (a message
// in their shared channel from one of their own users, a case they opened in Salesforce) are
// stored as they arrive and matched to the tenant's incidents by time window and cluster/keywords
// (domain/outreach/first-contact.ts); our side is the first outreach message we sent about the
// incident. Staff overrides from the card ("customer reported this" / "not related") win. Each
// time the answer for an incident changes, one timeline entry says who was first and by how much.
// Also the proactive-rate statistics over a period (for /outreach stats and the weekly digest).

import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import { type Message, mention, msg } from '../../domain/message.js';
import {
  type CustomerSignal,
  DEFAULT_FIRST_CONTACT,
  type FirstContactResult,
  firstContact,
  type OutreachStats,
  type OutreachStatsItem,
  outreachStats,
  type StaffOverride,
  signalMatches,
} from '../../domain/outreach/index.js';
import type { Incident, IncidentStore, TimelineEntry } from '../../store/incident-store.js';
import type { OutreachStore, StoredSignal } from '../../store/outreach-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { ActionResult } from '../ports.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';
import { outreachOf } from './drafts.js';

export interface FirstContactDeps {
  tx: UnitOfWork;
  store: OutreachStore;
  incidents: IncidentStore;
  timeline: Timeline;
  tenants: TenantDirectory;
  clock: Clock;
  /** A link people can open to an incident's card (misses in the stats). */
  cardLink: (incident: Incident) => string | undefined;
}

/** A customer's message or case, as the edges hand it over. */
export interface IncomingSignal {
  tenantId: string;
  id: string;
  at: number;
  kind: StoredSignal['kind'];
  text: string;
  link?: string | undefined;
}

const MAX_SIGNAL_TEXT = 2000;

export class FirstContactService {
  constructor(private readonly deps: FirstContactDeps) {}

  /** Stores the signal and re-judges the incidents it may be about. Returns the incident ids it matched. */
  signal(input: IncomingSignal): number[] {
    return this.deps.tx(() => {
      const tenant = this.deps.tenants.tenant(input.tenantId);
      const settings = outreachOf(tenant);
      if (!tenant || !settings) return [];
      const text = input.text.slice(0, MAX_SIGNAL_TEXT);
      const clusters = tenant.clusters.map((c) => c.id);
      const lower = text.toLowerCase();
      const stored: StoredSignal = {
        id: input.id,
        tenantId: tenant.id,
        at: input.at,
        kind: input.kind,
        text,
        clusterHints: clusters.filter((c) => lower.includes(c.toLowerCase())),
        link: input.link ?? null,
      };
      if (!this.deps.store.addSignal(stored)) return [];
      const signal = toSignal(stored);
      const since = input.at - (settings.firstContact.tailMinutes + 24 * 60) * 60_000;
      const matched: number[] = [];
      for (const id of this.deps.store.recentIncidentIds(tenant.id, since)) {
        const incident = this.deps.incidents.get(id);
        if (!incident) continue;
        if (!signalMatches(this.firstContactIncident(incident), signal, settings.firstContact)) continue;
        matched.push(id);
        this.judge(incident, null);
      }
      return matched;
    });
  }

  /** A staff override from the card. */
  override(incidentId: number, kind: StaffOverride['kind'], user: string): ActionResult {
    return this.deps.tx(() => {
      const incident = this.deps.incidents.get(incidentId);
      if (!incident) return { ok: false, message: msg(`There is no incident ${incidentId}.`) };
      if (!outreachOf(this.deps.tenants.tenant(incident.tenantId)))
        return { ok: false, message: msg('Outreach is not configured for this customer.') };
      this.deps.store.addOverride({ incidentId, kind, at: this.deps.clock.now(), actor: user });
      const result = this.judge(incident, user, true);
      return { ok: true, message: msg(`Noted for ${incident.ref}: `, describe(result)) };
    });
  }

  /** Event hub listener: our first message about an incident went out. */
  onTimeline(entry: TimelineEntry): void {
    const data = entry.data as { action?: string; kind?: string } | undefined;
    if (entry.kind !== 'outreach' || data?.action !== 'sent') return;
    const incident = this.deps.incidents.get(entry.incidentId);
    if (incident) this.judge(incident, null);
  }

  /** The answer for one incident now. */
  result(incident: Incident): FirstContactResult {
    const settings =
      outreachOf(this.deps.tenants.tenant(incident.tenantId))?.firstContact ?? DEFAULT_FIRST_CONTACT;
    const from = incident.openedAt - settings.leadInMinutes * 60_000;
    const to = (incident.resolvedAt ?? this.deps.clock.now()) + settings.tailMinutes * 60_000;
    const signals = this.deps.store.signals(incident.tenantId, from, to).map(toSignal);
    return firstContact(
      this.firstContactIncident(incident),
      this.ourOutreachAt(incident.id),
      signals,
      settings,
    );
  }

  private ourOutreachAt(incidentId: number): number | undefined {
    const sent = this.deps.store
      .forIncident(incidentId)
      .map((d) => d.sentAt)
      .filter((t): t is number => t !== null);
    return sent.length > 0 ? Math.min(...sent) : undefined;
  }

  private firstContactIncident(incident: Incident) {
    return {
      tenantId: incident.tenantId,
      cluster: incident.cluster,
      category: incident.category,
      openedAt: incident.openedAt,
      resolvedAt: incident.resolvedAt,
      members: this.deps.incidents.members(incident.id),
      overrides: this.deps.store.overrides(incident.id).map((o) => ({ kind: o.kind })),
    };
  }

  /** Records the answer on the timeline when it differs from the last one recorded (or `force`). */
  private judge(incident: Incident, actor: string | null, force = false): FirstContactResult {
    const result = this.result(incident);
    const data = {
      weWereFirst: result.weWereFirst,
      leadMs: result.leadMs,
      firstSignal: result.firstSignal ?? null,
    };
    const last = [...this.deps.incidents.timeline(incident.id)]
      .reverse()
      .find((e) => e.kind === 'first-contact');
    if (!force && last && JSON.stringify(last.data) === JSON.stringify(data)) return result;
    // Nothing to say yet: neither side has spoken.
    if (!last && !result.firstSignal && this.ourOutreachAt(incident.id) === undefined) return result;
    const message: Message = msg(
      actor ? [mention(actor), ' set who was first: '] : undefined,
      describe(result),
    );
    this.deps.timeline.record({
      incidentId: incident.id,
      at: this.deps.clock.now(),
      kind: 'first-contact',
      actor,
      message,
      data,
    });
    return result;
  }

  // ---------------------------------------------------------------- statistics

  stats(tenantId: string, from: number, to: number): OutreachStats {
    const items: OutreachStatsItem[] = this.deps.store
      .incidentIdsOpenedBetween(tenantId, from, to)
      .map((id) => this.deps.incidents.get(id))
      .filter((i): i is Incident => i !== undefined)
      .map((incident) => {
        const drafts = this.deps.store.forIncident(incident.id);
        const ourOutreachAt = this.ourOutreachAt(incident.id);
        return {
          incidentId: incident.id,
          ref: incident.ref,
          link: this.deps.cardLink(incident),
          openedAt: incident.openedAt,
          customerImpacting: drafts.some((d) => d.detector !== null) || ourOutreachAt !== undefined,
          ourOutreachAt,
          result: this.result(incident),
        };
      });
    return outreachStats(items, { from, to });
  }
}

function toSignal(s: StoredSignal): CustomerSignal {
  return {
    id: s.id,
    at: s.at,
    kind: s.kind,
    text: s.text,
    clusterHints: s.clusterHints,
    link: s.link ?? undefined,
  };
}

/** One line: who was first, and by how much. */
export function describe(result: FirstContactResult): string {
  const signal = result.firstSignal;
  const what =
    signal?.kind === 'customer-case'
      ? 'opened a case'
      : signal?.kind === 'staff-override'
        ? 'reported it (staff override)'
        : 'wrote in the shared channel';
  if (result.weWereFirst) {
    return result.leadMs === null
      ? 'we reached out first; the customer has not signalled about it.'
      : `we reached out first, ${formatDuration(result.leadMs)} before the customer ${what}.`;
  }
  if (!signal) return 'nobody has told the other yet.';
  return result.leadMs === null
    ? `the customer ${what} first; we have not reached out.`
    : `the customer ${what} first, ${formatDuration(-result.leadMs)} before our outreach.`;
}

/** The proactive rate, median lead time and misses, for people (command reply and weekly digest). */
export function statsMessage(tenantName: string, stats: OutreachStats, period: string): Message {
  const rate = stats.proactiveRate === null ? 'n/a' : `${Math.round(stats.proactiveRate * 100)} %`;
  const lead = stats.medianLeadMs === null ? 'n/a' : formatDuration(stats.medianLeadMs);
  const out: Message = msg(
    { bold: `Proactive outreach for ${tenantName}, ${period}` },
    `\nProactive rate: ${rate} (we were first on ${stats.proactive} of ${stats.impacting} customer-impacting incident${stats.impacting === 1 ? '' : 's'})`,
    `\nMedian lead time: ${lead}`,
  );
  if (stats.misses.length === 0) {
    out.push(...msg(stats.impacting > 0 ? '\nNo misses.' : ''));
    return out;
  }
  out.push(...msg(`\nMisses (${stats.misses.length}):`));
  for (const miss of stats.misses.slice(0, 20)) {
    const ref = miss.ref ?? `incident ${miss.incidentId}`;
    const why =
      miss.why === 'no-outreach'
        ? 'we never reached out'
        : `the customer was first${miss.customerAt !== undefined && miss.ourOutreachAt !== undefined ? ` by ${formatDuration(miss.ourOutreachAt - miss.customerAt)}` : ''}`;
    out.push(...msg('\n• ', miss.link ? { link: miss.link, label: ref } : ref, ` — ${why}`));
  }
  if (stats.misses.length > 20) out.push(...msg(`\n…and ${stats.misses.length - 20} more`));
  return out;
}
