// `/sla`, `/ack` and `/sev1`, and the message shortcut "Declare Sev1 from this message". Staff
// only. In a tenant's channel every command is scoped to that tenant (no other customer's clocks,
// incidents or figures); the report, which carries credit exposure, is refused in the customer's
// shared channel. Bad arguments get an ephemeral answer that ends with a correct example.
import { DateTime } from 'luxon';
import type { Clock } from '../../../domain/clock.js';
import { bold, code, type Message, mention, msg } from '../../../domain/message.js';
import { reportCsv, type SlaReport } from '../../../domain/sla/report.js';
import type { ActionResult, ChatPort } from '../../../services/ports.js';
import type { SlaClocks } from '../../../services/sla/clocks.js';
import type { Sev1Declarations } from '../../../services/sla/declare.js';
import { clockLine, formatAt, minutes } from '../../../services/sla/messages.js';
import type { SlaReports } from '../../../services/sla/reports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import type { IncidentStore } from '../../../store/incident-store.js';
import type { FilePort } from '../../files.js';
import type { SlackSurface } from '../../surface.js';
import { toMrkdwn } from '../../views/render-message.js';
import { registerStaffShortcut } from '../shortcuts/staff-shortcut.js';
import { tokenize } from './router.js';

export const SLA_COMMAND = '/sla';
export const ACK_COMMAND = '/ack';
export const SEV1_COMMAND = '/sev1';
export const DECLARE_SEV1_SHORTCUT = 'declare_sev1';

export interface SlaCommandDeps {
  clocks: SlaClocks;
  reports: SlaReports;
  declarations: Sev1Declarations;
  acknowledge: (incidentId: number, user: string) => ActionResult;
  incidents: IncidentStore;
  tenants: TenantDirectory;
  staff: StaffDirectory;
  files: FilePort;
  chat: ChatPort;
  clock: Clock;
}

export interface Invocation {
  user: string;
  channel: string;
  text: string;
  /** Unique per invocation (Slack's trigger_id): keys the report's file upload. */
  requestId: string;
}

const clip = (text: string) => text.replace(/[`\n]/g, '').slice(0, 40);
const example = (what: string, usage: string): Message => msg(what, ' Example: ', code(usage));
const STAFF_ONLY = (command: string) =>
  msg(
    `Sorry, ${command} is for the support team. If something is wrong, just write here and we will get back to you.`,
  );

function exampleTenant(deps: SlaCommandDeps, here: string | undefined): string {
  return here ?? deps.tenants.all().find((t) => deps.clocks.policyOf(t.id))?.id ?? 'nimbus';
}

/** `/sla` · `/sla report <tenant> [YYYY-MM]` · `/sla help`. */
export function slaReply(deps: SlaCommandDeps, input: Invocation): Message {
  if (!deps.staff.isStaff(input.user)) return STAFF_ONLY('`/sla`');
  const place = deps.tenants.channel(input.channel);
  const here = place?.tenant;
  const tenantExample = exampleTenant(deps, here?.id);
  const usage = msg(
    code('/sla'),
    ' lists running response clocks, most urgent first; ',
    code(`/sla report ${tenantExample} [YYYY-MM]`),
    ' gives the month’s response times, breaches and credit exposure, and posts it as CSV here.',
  );
  const [sub = 'list', ...args] = tokenize(input.text.trim());
  const now = deps.clock.now();
  switch (sub.toLowerCase()) {
    case 'list':
      return listReply(deps, here ? [here.id] : undefined, here?.name, now);
    case 'report':
      return reportReply(deps, input, place, args, now);
    case 'help':
      return usage;
    default:
      return msg(`I don't know \`${clip(sub)}\`. `, usage);
  }
}

function listReply(
  deps: SlaCommandDeps,
  tenantIds: string[] | undefined,
  scope: string | undefined,
  now: number,
) {
  const active = deps.clocks.active(tenantIds, now);
  if (active.length === 0)
    return msg(
      `No response clock is running${scope ? ` for ${scope}` : ''}: every incident under an SLA has had its response.`,
    );
  return msg(
    bold(`Running response clocks${scope ? ` — ${scope}` : ''} (${active.length})`),
    ...active.slice(0, 30).map((c) => msg('\n', clockLine(c.incident, c.state, c.tenantName, c.zone, now))),
    active.length > 30 ? `\n…and ${active.length - 30} more.` : '',
  );
}

function reportReply(
  deps: SlaCommandDeps,
  input: Invocation,
  place: ReturnType<TenantDirectory['channel']>,
  args: string[],
  now: number,
): Message {
  const here = place?.tenant;
  const usage = `/sla report ${exampleTenant(deps, here?.id)} ${DateTime.fromMillis(now, { zone: here?.timezone ?? 'UTC' }).toFormat('yyyy-MM')}`;
  if (place?.role === 'customer')
    return msg(
      'The SLA report carries credit exposure, so not in the customer’s shared channel: ask in the ops channel or a DM.',
    );
  const [tenantArg, monthArg, ...extra] = args;
  if (extra.length > 0) return example(`Too many arguments (\`${clip(extra.join(' '))}\`).`, usage);
  // `/sla report 2026-11` in a tenant's channel: the month, for this tenant.
  const tenantId = tenantArg && !/^\d{4}-\d{2}$/.test(tenantArg) ? tenantArg.toLowerCase() : here?.id;
  const month = tenantArg && /^\d{4}-\d{2}$/.test(tenantArg) ? tenantArg : monthArg;
  if (!tenantId) return example('Say which tenant.', usage);
  const tenant = deps.tenants.tenant(tenantId);
  if (here && tenantId !== here.id)
    return example(
      `This channel belongs to ${here.name}: only its SLA report is available here.`,
      `/sla report ${here.id}`,
    );
  if (!tenant) {
    const known = deps.tenants
      .all()
      .filter((t) => deps.clocks.policyOf(t.id))
      .map((t) => t.id)
      .join(', ');
    return example(`There is no tenant \`${clip(tenantId)}\` (with an SLA: ${known || 'none'}).`, usage);
  }
  if (!deps.clocks.policyOf(tenant.id))
    return msg(
      `${tenant.name} has no SLA in the config (tenants[].sla), so there are no response clocks to report.`,
    );
  const current = deps.reports.currentMonth(tenant.id, now);
  const chosen = month ?? current;
  const parsed = DateTime.fromFormat(chosen, 'yyyy-MM', { zone: tenant.timezone });
  if (!/^\d{4}-\d{2}$/.test(chosen) || !parsed.isValid)
    return example(`\`${clip(chosen)}\` is not a month: write it as YYYY-MM.`, usage);
  if (chosen > current)
    return example(
      `${chosen} has not started yet in ${tenant.timezone} (it is ${current} there).`,
      `/sla report ${tenant.id} ${current}`,
    );
  const report = deps.reports.monthly(tenant.id, chosen, now) as SlaReport;
  deps.files.upload(
    {
      channel: input.channel,
      filename: `sla-${tenant.id}-${chosen}.csv`,
      title: `SLA report ${tenant.name} ${chosen}`,
      content: reportCsv(report),
      initialComment: `SLA report for ${tenant.name}, ${chosen} (as of ${formatAt(now, tenant.timezone)}), asked for by <@${input.user}>.`,
    },
    `sla-report:${tenant.id}:${chosen}:${input.requestId}`,
  );
  return reportMessage(report, tenant.name, now);
}

/** The report as a message: figures, the arithmetic, every breach with its evidence. */
export function reportMessage(report: SlaReport, tenantName: string, now: number): Message {
  const z = report.zone;
  const breaches = report.breaches.map((b) =>
    msg(
      `\n• INC-${b.incidentId} Sev${b.severity}: clock started ${formatAt(b.startedAt, z)}`,
      b.firstAlarmAt !== undefined ? ` (first alarm ${formatAt(b.firstAlarmAt, z)})` : '',
      `, target ${minutes(b.targetMs)}, breached ${formatAt(b.breachAt, z)}`,
      b.pauses.length > 0 ? `, paused ${b.pauses.length}×` : '',
      b.respondedAt !== undefined
        ? msg(
            `, first response ${formatAt(b.respondedAt, z)}`,
            b.responder ? msg(' by ', mention(b.responder)) : '',
          )
        : ', no response yet',
      `; ${b.remindersSent.length} reminder(s) sent`,
    ),
  );
  return msg(
    bold(`SLA report — ${tenantName}, ${report.month} (${z})`),
    ` as of ${formatAt(now, z)}; the CSV follows in this channel.`,
    ...report.lines.map((line) => `\n${line}`),
    report.breaches.length > 0
      ? msg('\n', bold(`Breaches (${report.breaches.length})`), ...breaches)
      : '\nNo breaches.',
    report.credits ? '' : '\nNo penalty terms in the contract: no credit exposure computed.',
  );
}

/** `/ack [INC-n]`. */
export function ackReply(deps: SlaCommandDeps, input: Invocation): Message {
  if (!deps.staff.isStaff(input.user)) return STAFF_ONLY('`/ack`');
  const here = deps.tenants.channel(input.channel)?.tenant;
  const [arg, ...extra] = tokenize(input.text.trim());
  if (extra.length > 0) return example('Acknowledge one incident at a time.', '/ack INC-12');
  if (!arg) {
    if (!here) return example('Say which incident.', '/ack INC-12');
    const waiting = deps.incidents.listOpen(here.id).filter((i) => i.status === 'open');
    if (waiting.length === 1 && waiting[0]) return deps.acknowledge(waiting[0].id, input.user).message;
    if (waiting.length === 0) return msg(`${here.name} has no unacknowledged incident.`);
    return example(
      `${here.name} has ${waiting.length} unacknowledged incidents (${waiting
        .slice(0, 5)
        .map((i) => i.ref)
        .join(', ')}${waiting.length > 5 ? ', …' : ''}): say which.`,
      `/ack ${waiting[0]?.ref}`,
    );
  }
  const m = /^(?:INC-)?(\d{1,12})$/i.exec(arg);
  if (!m) return example(`\`${clip(arg)}\` is not an incident id.`, '/ack INC-12');
  const incident = deps.incidents.get(Number(m[1]));
  // Another tenant's incident reads as unknown here: its existence is not this channel's business.
  if (!incident || (here && incident.tenantId !== here.id))
    return example(
      `There is no incident INC-${m[1]}${here ? ` of ${here.name}` : ''} (\`/opsbot incidents\` lists the open ones).`,
      '/ack INC-12',
    );
  return deps.acknowledge(incident.id, input.user).message;
}

/** `/sev1 <summary>`. */
export function sev1Reply(deps: SlaCommandDeps, input: Invocation): Message {
  if (!deps.staff.isStaff(input.user)) return STAFF_ONLY('`/sev1`');
  const here = deps.tenants.channel(input.channel)?.tenant;
  if (!here)
    return example(
      'Declare a Sev1 in one of the tenant’s channels (alarm or customer channel), so I know whose it is.',
      '/sev1 S3 PUTs failing on sjc-obj-01',
    );
  return deps.declarations.declare({
    tenant: here,
    user: input.user,
    summary: input.text,
    channel: input.channel,
    via: 'command',
  }).message;
}

export function register(surface: SlackSurface, deps: SlaCommandDeps): void {
  const command = (name: string, reply: (deps: SlaCommandDeps, input: Invocation) => Message) =>
    surface.command(name, async ({ command: c, ack }) => {
      const text = toMrkdwn(
        reply(deps, { user: c.user_id, channel: c.channel_id, text: c.text ?? '', requestId: c.trigger_id }),
      );
      await ack({ response_type: 'ephemeral', text });
    });
  command(SLA_COMMAND, slaReply);
  command(ACK_COMMAND, ackReply);
  command(SEV1_COMMAND, sev1Reply);

  registerStaffShortcut(surface, deps, DECLARE_SEV1_SHORTCUT, STAFF_ONLY('“Declare Sev1”'), (use) => {
    const tenant = deps.tenants.channel(use.channel)?.tenant;
    if (!tenant)
      return use.reply(
        msg('That message is not in one of a tenant’s channels, so I do not know whose Sev1 it would be.'),
      );
    const message = use.shortcut.message as { ts: string; text?: string };
    const result = deps.declarations.declare({
      tenant,
      user: use.user,
      summary: message.text ?? '',
      channel: use.channel,
      via: 'shortcut',
      messageTs: message.ts,
    });
    use.reply(result.message);
  });
}
