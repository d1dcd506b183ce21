// /opsbot case [incident] and /opsbot escalate [incident] [note] (staff).

import type { CaseService } from '../../../services/integrations/case-service.js';
import type { EscalationService } from '../../../services/integrations/escalation-service.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import type { IncidentStore } from '../../../store/incident-store.js';
import { toMrkdwn } from '../../views/render-message.js';
import type { CommandInvocation, CommandReply, Subcommand } from './router.js';
import { parseIncidentRef } from './triage.js';

interface IncidentLookup {
  incidents: IncidentStore;
  tenants: TenantDirectory;
}

/**
 * Which incident a command means: the one named, or — when none is named — the only open
 * incident of the channel's tenant. Otherwise the reply says what to type.
 */
function resolveIncident(deps: IncidentLookup, inv: CommandInvocation, usage: string) {
  const named = parseIncidentRef(inv.args[0]);
  if (named !== undefined) {
    const found = deps.incidents.get(named);
    // In a tenant's channels only that tenant's incidents exist (issue: a staff command in a
    // customer's shared channel must never reach another tenant's case).
    const here = deps.tenants.channel(inv.channelId)?.tenant;
    const incident = found && (!here || found.tenantId === here.id) ? found : undefined;
    return incident
      ? { incident, rest: inv.args.slice(1) }
      : { error: `There is no incident \`${inv.args[0]}\`. Example: \`/opsbot ${usage}\`` };
  }
  const tenant = deps.tenants.channel(inv.channelId)?.tenant;
  const open = deps.incidents.listOpen(tenant?.id);
  if (open.length === 1) return { incident: open[0]!, rest: inv.args };
  const why =
    open.length === 0 ? 'There is no open incident here' : `There are ${open.length} open incidents`;
  return { error: `${why}; say which one. Example: \`/opsbot ${usage}\`` };
}

export function caseCommand(deps: IncidentLookup & { cases: CaseService }): Subcommand {
  return {
    name: 'case',
    usage: 'case [INC-id]',
    summary: 'open (or show) the Salesforce case of an incident (staff)',
    staffOnly: true,
    run: (inv): CommandReply => {
      const found = resolveIncident(deps, inv, 'case INC-42');
      if ('error' in found) return { text: found.error as string };
      return { text: toMrkdwn(deps.cases.request(found.incident.id, inv.userId).message) };
    },
  };
}

export function escalateCommand(deps: IncidentLookup & { escalations: EscalationService }): Subcommand {
  return {
    name: 'escalate',
    usage: 'escalate [INC-id] [note]',
    summary: 'escalate an incident to engineering (Jira/Orion) with an optional note (staff)',
    staffOnly: true,
    run: (inv): CommandReply => {
      const found = resolveIncident(deps, inv, 'escalate INC-42 NVRAM errors after the firmware upgrade');
      if ('error' in found) return { text: found.error as string };
      const note = found.rest.join(' ').slice(0, 1000) || undefined;
      return { text: toMrkdwn(deps.escalations.request(found.incident.id, inv.userId, note).message) };
    },
  };
}
