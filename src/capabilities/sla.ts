// Response clocks: every incident of a tenant with an `sla:` contract runs a clock from the moment
// it has a severity (auto-triage, a change on the card, `/sev1`, the "Declare Sev1" shortcut)
// until the first human response (Acknowledge, `/ack`, a staff reply in the thread). Reminders
// escalate along the chain (primary → secondary → manager → CSM, from the on-call engine and
// the contacts); the target's breach is recorded once with its evidence, told to the manager and
// the CSM and noted on the Salesforce case. `/sla` lists the running clocks, `/sla report` gives
// the month with its credit exposure (and posts the CSV); the handoff and the weekly digest carry
// them. Replaces the generic repeat reminder for these incidents. See docs/sla.md.
import type { CapabilityFactory } from '../app.js';
import { tenantSlaPolicies } from '../config/sla-schema.js';
import { bold, msg } from '../domain/message.js';
import { clockStopped } from '../domain/sla/clock.js';
import { SlaClocks } from '../services/sla/clocks.js';
import { Sev1Declarations } from '../services/sla/declare.js';
import { cardNote, clockLine } from '../services/sla/messages.js';
import { SlaReports } from '../services/sla/reports.js';
import { registerCardButton } from '../slack/listeners/actions/incident-card.js';
import * as slaCommands from '../slack/listeners/commands/sla.js';
import { SlaStore } from '../store/sla-store.js';

export const SLA_RESUME_ACTION_ID = 'incident_sla_resume';
/** One pause button per reason the contracts know: `incident_sla_pause:<reason>`. */
export const slaPauseActionId = (reason: string) => `incident_sla_pause:${reason}`;
const pauseLabel = (reason: string) => {
  const words = reason.replaceAll('-', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
};

export const sla: CapabilityFactory = (k) => {
  const { policies, warnings } = tenantSlaPolicies(k.config.tenants);
  const logger = k.logger.child({ component: 'sla' });
  // A contract that leaves a severity out falls back to the defaults, and says so at start.
  for (const warning of warnings) logger.warn(warning);
  const store = new SlaStore(k.db);
  const triage = k.need('triage');
  const clocks = new SlaClocks({
    policies,
    store,
    incidents: k.stores.incidents,
    timeline: k.timeline,
    tenants: k.tenants,
    responders: k.responders,
    staff: k.staff,
    scheduler: k.scheduler,
    chat: k.chat,
    cards: triage.cards,
    events: k.events,
    tx: k.tx,
    clock: k.clock,
    logger,
    hasCase: (id) => Boolean(k.stores.links.get(id, 'salesforce') || k.jobs.getByKey(`sf-case:${id}`)),
  });
  const reports = new SlaReports({ clocks, store, incidents: k.stores.incidents, tenants: k.tenants });
  const declarations = new Sev1Declarations({
    tx: k.tx,
    incidents: k.stores.incidents,
    timeline: k.timeline,
    cards: triage.cards,
    clocks,
    clock: k.clock,
  });

  k.events.on('timeline', (entry) => clocks.onTimeline(entry));
  triage.remindedElsewhere((incident) => policies.has(incident.tenantId));

  const zoneOf = (tenantId: string) => k.tenants.tenant(tenantId)?.timezone ?? 'UTC';
  triage.cardActions.addNotes((incident, now) => {
    const state = clocks.state(incident, now);
    return state ? [cardNote(state, zoneOf(incident.tenantId))] : [];
  });
  triage.cardActions.addButtons((tenantId, incident, now) => {
    const policy = policies.get(tenantId);
    const state = policy && clocks.state(incident, now);
    if (!policy || !state || clockStopped(state)) return [];
    if (state.paused) return [{ actionId: SLA_RESUME_ACTION_ID, text: 'Resume clock' }];
    return policy.pauseReasons.map((reason) => ({
      actionId: slaPauseActionId(reason),
      text: pauseLabel(reason),
    }));
  });

  k.need('oncall').handoffSections.add('sla-clocks', ({ tenantIds, at }) => {
    const active = clocks.active(tenantIds, at);
    if (active.length === 0) return undefined;
    return msg(
      bold(`Running response clocks (${active.length})`),
      ...active.slice(0, 15).map((c) => msg('\n', clockLine(c.incident, c.state, c.tenantName, c.zone, at))),
      active.length > 15 ? `\n…and ${active.length - 15} more: /sla` : '',
    );
  });
  k.need('weeklyDigest').sections.add('sla', ({ tenantId, from, to }) =>
    reports.weekly(tenantId, from, to, to),
  );

  // Clocks and their notices are incident data; breach records are evidence, kept as long as that.
  const retention = k.need('retention');
  retention.register({ name: 'sla-clocks', keep: 'incidents', prune: (c, n) => store.pruneClocks(c, n) });
  retention.register({ name: 'sla-notices', keep: 'incidents', prune: (c, n) => store.pruneNotices(c, n) });
  retention.register({
    name: 'sla-breaches',
    keep: 'breachEvidence',
    prune: (c, n) => store.pruneBreaches(c, n),
  });

  const reasons = [...new Set([...policies.values()].flatMap((p) => p.pauseReasons))];
  return {
    name: 'sla',
    jobs: clocks.jobs(),
    slack: (surface) => {
      slaCommands.register(surface, {
        clocks,
        reports,
        declarations,
        acknowledge: (id, user) => triage.actions.acknowledge(id, user),
        incidents: k.stores.incidents,
        tenants: k.tenants,
        staff: k.staff,
        files: k.files,
        chat: k.chat,
        clock: k.clock,
      });
      const deps = { staff: k.staff, chat: k.chat };
      for (const reason of reasons)
        registerCardButton(surface, deps, slaPauseActionId(reason), (id, user) =>
          clocks.pause(id, user, k.clock.now(), reason),
        );
      registerCardButton(surface, deps, SLA_RESUME_ACTION_ID, (id, user) =>
        clocks.resume(id, user, k.clock.now()),
      );
    },
    // A contract edited while the bot was down may move due times: re-arm every waiting clock.
    start: (now) =>
      k.tx(() => {
        const waiting = store.activeClocks();
        for (const row of waiting) {
          const incident = k.stores.incidents.get(row.incidentId);
          if (incident) clocks.refresh(incident, now);
        }
        logger.info({ tenants: [...policies.keys()], clocks: waiting.length }, 'SLA clocks armed');
      }),
  };
};
