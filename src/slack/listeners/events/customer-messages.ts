// Messages in a tenant's shared (Slack Connect) channel from the customer's own people are the
// customer's signal in the "who was first" measurement. Slack marks a message from another
// workspace with that workspace's id (`user_team`, also `source_team`); ours is the envelope's
// `team_id`; a guest of our own workspace is the customer's too. Thin: decide whether the author
// is the customer, hand the signal to the service.
import type { Logger } from 'pino';
import type { FirstContactService } from '../../../services/outreach/first-contact.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import type { SlackSurface } from '../../surface.js';

interface SharedChannelMessage {
  channel: string;
  ts: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: unknown;
  user_team?: string;
  source_team?: string;
  team?: string;
}

export interface CustomerMessageDeps {
  firstContact: FirstContactService;
  tenants: TenantDirectory;
  staff: StaffDirectory;
  /** Whether a user of our own workspace is a guest (users.info is_restricted). */
  isGuest: (userId: string) => Promise<boolean>;
  logger: Logger;
}

/** Is the author one of the customer's own users (their workspace, or not ours)? */
export function isCustomerAuthor(
  message: SharedChannelMessage,
  ourTeam: string | undefined,
  customerTeams: readonly string[],
): boolean {
  const team = message.user_team ?? message.source_team ?? message.team;
  if (!team) return false;
  return customerTeams.includes(team) || (ourTeam !== undefined && team !== ourTeam);
}

export function register(surface: SlackSurface, deps: CustomerMessageDeps): void {
  surface.event('message', ['message.channels', 'message.groups'], async ({ event, body }) => {
    const message = event as unknown as SharedChannelMessage;
    const place = deps.tenants.channel(message.channel);
    if (place?.role !== 'customer' || message.bot_id || message.subtype || !message.user) return;
    const settings = place.tenant.outreach;
    if (!settings?.enabled || deps.staff.isStaff(message.user)) return;
    const ourTeam = (body as { team_id?: string }).team_id;
    if (!isCustomerAuthor(message, ourTeam, settings.customerTeamIds) && !(await deps.isGuest(message.user)))
      return;
    const matched = deps.firstContact.signal({
      tenantId: place.tenant.id,
      id: `slack:${message.channel}:${message.ts}`,
      at: Math.round(Number(message.ts) * 1000),
      kind: 'customer-message',
      text: typeof message.text === 'string' ? message.text : '',
    });
    deps.logger.debug({ tenant: place.tenant.id, matched }, 'customer message in the shared channel');
  });
}
