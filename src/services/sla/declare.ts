// A Sev1 declared by a person: `/sev1 <summary>` in one of the tenant's channels, or the message
// shortcut "Declare Sev1 from this message" on what the customer wrote. It becomes an incident
// like any other (card in the tenant's first alarm channel, timeline, buttons), locked at Sev1 so
// later alarms cannot lower it, and its response clock starts at the declaration.
import { randomBytes } from 'node:crypto';
import type { TenantConfig } from '../../config/schema.js';
import type { Clock } from '../../domain/clock.js';
import { code, link, mention, msg } from '../../domain/message.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { ActionResult } from '../ports.js';
import type { Timeline } from '../timeline.js';
import type { SlaClocks } from './clocks.js';
import { formatAt } from './messages.js';

export const MAX_SUMMARY = 150;

export interface Declaration {
  tenant: TenantConfig;
  user: string;
  summary: string;
  /** Where it was declared (the command's channel, or the message's). */
  channel: string;
  via: 'command' | 'shortcut';
  /** The customer message it was declared from (shortcut). */
  messageTs?: string;
}

export class Sev1Declarations {
  constructor(
    private readonly deps: {
      tx: UnitOfWork;
      incidents: IncidentStore;
      timeline: Timeline;
      cards: { postNow(incidentId: number, now: number): void };
      clocks: SlaClocks;
      clock: Clock;
    },
  ) {}

  declare(d: Declaration): ActionResult {
    const summary = d.summary.replace(/\s+/g, ' ').trim().slice(0, MAX_SUMMARY);
    if (!summary)
      return {
        ok: false,
        message: msg(
          'Say what is wrong: the summary becomes the incident title. Example: ',
          code('/sev1 S3 PUTs failing on sjc-obj-01'),
        ),
      };
    const channel = d.tenant.channels.alarms[0];
    if (!channel) return { ok: false, message: msg(`${d.tenant.name} has no alarm channel for the card.`) };
    const { incidents, timeline, cards, clocks, clock } = this.deps;
    return this.deps.tx(() => {
      const now = clock.now();
      const incident = incidents.create({
        tenantId: d.tenant.id,
        // Its own group: alarms never merge into a declared incident by accident.
        groupKey: `declared=${randomBytes(4).toString('hex')}`,
        cluster: d.tenant.clusters[0]?.id ?? 'unknown',
        category: 'other',
        severity: 1,
        title: summary,
        channel,
        at: now,
      });
      incidents.update(incident.id, { severityLocked: true });
      const from = d.via === 'shortcut' ? ' from a customer message' : '';
      timeline.record({
        incidentId: incident.id,
        at: now,
        kind: 'opened',
        actor: d.user,
        message: msg('Declared Sev1 by ', mention(d.user), `${from}: ${summary}`),
        data: { severity: 1, declared: { via: d.via, channel: d.channel, messageTs: d.messageTs } },
      });
      cards.postNow(incident.id, now);
      const state = clocks.state(incident, now);
      const due =
        state?.dueAt !== undefined
          ? ` The response clock runs: due ${formatAt(state.dueAt, d.tenant.timezone)}.`
          : ' This tenant has no SLA, so no response clock runs.';
      return {
        ok: true,
        message: msg(
          `Declared ${incident.ref} (Sev1) for ${d.tenant.name}; its card goes to `,
          link(`https://slack.com/archives/${channel}`, 'the alarm channel'),
          `.${due} Acknowledge with the card’s button or `,
          code(`/ack ${incident.ref}`),
          '.',
        ),
      };
    });
  }
}
