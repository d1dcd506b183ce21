// Message shortcut "Send to Jira": mirrors a message of an incident card's thread into the
// escalation issue as a comment. Thin: find the incident, ask the service, answer ephemerally.
import { fromMrkdwn, msg } from '../../../domain/message.js';
import type { EscalationService } from '../../../services/integrations/escalation-service.js';
import type { ChatPort } from '../../../services/ports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { IncidentStore } from '../../../store/incident-store.js';
import type { SlackSurface } from '../../surface.js';
import { registerStaffShortcut } from './staff-shortcut.js';

export const SEND_TO_JIRA = 'send_to_jira';

export function register(
  surface: SlackSurface,
  deps: { escalations: EscalationService; incidents: IncidentStore; staff: StaffDirectory; chat: ChatPort },
): void {
  const refusal = msg('Only the vendor’s support staff can send messages to Jira.');
  registerStaffShortcut(surface, deps, SEND_TO_JIRA, refusal, ({ shortcut: s, channel, reply }) => {
    const message = s.message as { ts: string; thread_ts?: string; text?: string; user?: string };
    const incident = deps.incidents.findByCard(channel, message.thread_ts ?? message.ts);
    if (!incident)
      return reply(
        msg('That message is not in an incident card’s thread, so I do not know which issue it belongs to.'),
      );
    // What the person wrote is mrkdwn: read it back into runs, so Jira shows names and real links.
    const result = deps.escalations.mirror(
      incident.id,
      message.user ?? null,
      fromMrkdwn(message.text ?? ''),
      `${channel}:${message.ts}`,
    );
    reply(result.message);
  });
}
