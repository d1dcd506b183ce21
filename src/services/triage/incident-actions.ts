// What people do to an incident (from the card's buttons or from commands): acknowledge,
// resolve, change severity, silence its group. Each records who and when on the timeline and
// shows on the card at once. Returns a short sentence for the person who acted.
import { randomBytes } from 'node:crypto';
import type { Matcher } from '../../domain/alarms/matchers.js';
import type { Severity } from '../../domain/alarms/types.js';
import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import { code, type Message, mention, msg } from '../../domain/message.js';
import type { Incident, IncidentStore, TimelineKind } from '../../store/incident-store.js';
import type { SilenceStore, StoredSilence } from '../../store/silence-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { ActionResult } from '../ports.js';
import type { Timeline } from '../timeline.js';
import type { CardScheduler } from './card-scheduler.js';

export type { ActionResult };

export function newSilenceId(): string {
  return `S-${randomBytes(3).toString('hex')}`;
}

export class IncidentActions {
  constructor(
    private readonly deps: {
      tx: UnitOfWork;
      incidents: IncidentStore;
      timeline: Timeline;
      silences: SilenceStore;
      cards: CardScheduler;
      clock: Clock;
    },
  ) {}

  acknowledge(incidentId: number, user: string): ActionResult {
    return this.act(incidentId, (incident, now) => {
      if (incident.status === 'resolved')
        return { ok: false, message: msg(`${incident.ref} is already resolved.`) };
      if (incident.status === 'acknowledged') {
        return {
          ok: false,
          message: msg(
            `${incident.ref} was already acknowledged by `,
            mention(incident.acknowledgedBy ?? ''),
            '.',
          ),
        };
      }
      this.deps.incidents.update(incidentId, {
        status: 'acknowledged',
        acknowledgedBy: user,
        acknowledgedAt: now,
      });
      const took = formatDuration(now - incident.openedAt);
      this.timeline(incident, now, 'ack', user, msg('Acknowledged by ', mention(user), ` after ${took}`));
      return { ok: true, message: msg(`You acknowledged ${incident.ref}. The card shows it.`) };
    });
  }

  resolve(incidentId: number, user: string): ActionResult {
    return this.act(incidentId, (incident, now) => {
      if (incident.status === 'resolved')
        return { ok: false, message: msg(`${incident.ref} is already resolved.`) };
      const firing = this.deps.incidents.counts(incidentId).firing;
      this.deps.incidents.update(incidentId, {
        status: 'resolved',
        resolvedBy: user,
        resolvedAt: now,
        resolveDueAt: null,
      });
      const note = firing > 0 ? ` (${firing} alarm(s) were still firing)` : '';
      this.timeline(incident, now, 'resolve', user, msg('Resolved by ', mention(user), note));
      return { ok: true, message: msg(`You resolved ${incident.ref}.${note ? ` Note:${note}.` : ''}`) };
    });
  }

  /** `customerAgreed` matters when lowering: an SLA keeps the stricter target without it. */
  changeSeverity(
    incidentId: number,
    user: string,
    to: Severity,
    reason: string,
    customerAgreed = false,
  ): ActionResult {
    const why = reason.trim();
    if (!why)
      return { ok: false, message: msg('Say why the severity changes: the reason goes on the timeline.') };
    return this.act(incidentId, (incident, now) => {
      if (incident.severity === to)
        return { ok: false, message: msg(`${incident.ref} is already Sev${to}.`) };
      this.deps.incidents.update(incidentId, { severity: to, severityLocked: true });
      const lowered = to > incident.severity;
      const agreement = lowered
        ? customerAgreed
          ? ' (the customer agreed)'
          : ' (without the customer’s agreement)'
        : '';
      this.timeline(
        incident,
        now,
        'severity',
        user,
        msg(`Sev${incident.severity} → Sev${to} by `, mention(user), `${agreement}: ${why}`),
        {
          from: incident.severity,
          to,
          reason: why,
          ...(lowered ? { customerAgreed } : {}),
        },
      );
      return { ok: true, message: msg(`${incident.ref} is now Sev${to}.`) };
    });
  }

  /** Silences the incident's whole group (same labels it was grouped by) for a while. */
  silenceGroup(incidentId: number, user: string, durationMs: number): ActionResult {
    return this.act(incidentId, (incident, now) => {
      const matchers: Matcher[] = incident.groupKey.split('|').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), op: '=', value: pair.slice(at + 1) } as Matcher;
      });
      const silence = this.createSilence({
        tenantId: incident.tenantId,
        matchers,
        durationMs,
        user,
        reason: `from ${incident.ref}`,
        now,
      });
      this.timeline(
        incident,
        now,
        'silence',
        user,
        msg(
          `Silenced for ${formatDuration(durationMs)} by `,
          mention(user),
          ` (${silence.id}); alarms keep being recorded`,
        ),
        { silenceId: silence.id },
      );
      return {
        ok: true,
        message: msg(
          `Silenced ${incident.ref}'s alarms for ${formatDuration(durationMs)} (${silence.id}). `,
          code(`/opsbot unsilence ${silence.id}`),
          ' ends it.',
        ),
      };
    });
  }

  createSilence(s: {
    tenantId: string | null;
    matchers: Matcher[];
    durationMs: number;
    user: string;
    reason: string;
    now: number;
  }): StoredSilence {
    return this.deps.silences.create(
      {
        id: newSilenceId(),
        tenantId: s.tenantId,
        matchers: s.matchers,
        startsAt: s.now,
        endsAt: s.now + s.durationMs,
        createdBy: s.user,
        reason: s.reason,
      },
      s.now,
    );
  }

  private act(incidentId: number, fn: (incident: Incident, now: number) => ActionResult): ActionResult {
    const { tx, incidents, clock } = this.deps;
    return tx(() => {
      const incident = incidents.get(incidentId);
      if (!incident) return { ok: false, message: msg(`There is no incident ${incidentId}.`) };
      return fn(incident, clock.now());
    });
  }

  private timeline(
    incident: Incident,
    now: number,
    kind: TimelineKind,
    user: string,
    message: Message,
    data?: unknown,
  ): void {
    const { incidents, cards } = this.deps;
    const entry = this.deps.timeline.record({
      incidentId: incident.id,
      at: now,
      kind,
      actor: user,
      message,
      data,
    });
    incidents.touch(incident.id); // the card shows who did what
    cards.now(incident.id, `${kind}:${entry.id}`, now);
  }
}
