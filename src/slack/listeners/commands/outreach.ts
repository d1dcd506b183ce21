// `/outreach stats <tenant> [period]`: how often we told the customer before they told us.
// Staff only (a customer in a shared channel gets a polite refusal); in a tenant's own channel the
// command is scoped to that tenant, so nobody there sees another customer's numbers.
import { parseDuration } from '../../../domain/clock.js';
import { type FirstContactService, statsMessage } from '../../../services/outreach/first-contact.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import type { SlackSurface } from '../../surface.js';
import { toMrkdwn } from '../../views/render-message.js';
import { tokenize } from './router.js';

export const OUTREACH_COMMAND = '/outreach';
const DEFAULT_PERIOD = '30d';
const MAX_PERIOD_MS = 366 * 86_400_000;
const usage = (tenantId = 'nimbus') =>
  `Usage: \`/outreach stats <tenant> [period]\`, e.g. \`/outreach stats ${tenantId} 30d\` (period: 7d, 4w, 90d; default 30d).`;

export interface OutreachCommandDeps {
  firstContact: FirstContactService;
  tenants: TenantDirectory;
  staff: StaffDirectory;
  now: () => number;
}

/** The reply to one `/outreach` invocation (exported for tests of the wording). */
export function outreachReply(
  deps: OutreachCommandDeps,
  input: { user: string; channel: string; text: string },
): string {
  if (!deps.staff.isStaff(input.user))
    return 'Sorry, `/outreach` is for the support team. If something is wrong, just write here and we will get back to you.';
  const here = deps.tenants.channel(input.channel)?.tenant;
  const USAGE = usage(here?.id ?? deps.tenants.all()[0]?.id);
  const [sub = 'help', ...args] = tokenize(input.text.trim());
  if (sub.toLowerCase() !== 'stats')
    return `${sub.toLowerCase() === 'help' ? '' : `I don't know \`${sub.replace(/[`\n]/g, '').slice(0, 40)}\`. `}${USAGE}`;
  const [tenantArg, periodArg = DEFAULT_PERIOD, ...extra] = args;
  const tenantId = tenantArg ?? here?.id;
  if (!tenantId) return `Say which tenant. ${USAGE}`;
  const tenant = deps.tenants.tenant(tenantId.toLowerCase());
  if (!tenant) {
    const known = here
      ? here.id
      : deps.tenants
          .all()
          .map((t) => t.id)
          .join(', ');
    return `There is no tenant \`${tenantId.replace(/[`\n]/g, '').slice(0, 40)}\` (known: ${known}). ${USAGE}`;
  }
  if (here && here.id !== tenant.id)
    return `This channel belongs to ${here.name}: only its outreach stats are shown here. Try \`/outreach stats ${here.id}\`.`;
  const period = parseDuration(periodArg);
  if (extra.length > 0 || period === undefined || period <= 0 || period > MAX_PERIOD_MS)
    return `\`${periodArg.replace(/[`\n]/g, '').slice(0, 40)}\` is not a period I can use (at most a year). ${USAGE}`;
  const to = deps.now();
  const stats = deps.firstContact.stats(tenant.id, to - period, to);
  return toMrkdwn(statsMessage(tenant.name, stats, `last ${periodArg}`));
}

export function register(surface: SlackSurface, deps: OutreachCommandDeps): void {
  surface.command(OUTREACH_COMMAND, async ({ command, ack }) => {
    const text = outreachReply(deps, {
      user: command.user_id,
      channel: command.channel_id,
      text: command.text ?? '',
    });
    await ack({ response_type: 'ephemeral', text });
  });
}
