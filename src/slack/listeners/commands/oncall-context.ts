// What the on-call slash commands share: who may run them (staff, never in a customer's
// shared channel), the parsed invocation with the asker's time zone (users.info), which team a
// command is about, and errors that end with a correct example.
import type { Clock } from '../../../domain/clock.js';
import { code, type Message, msg } from '../../../domain/message.js';
import { LEVELS, type Level } from '../../../domain/oncall/index.js';
import type { CalendarFeeds } from '../../../services/oncall/feeds.js';
import type { Handoffs } from '../../../services/oncall/handoffs.js';
import type { LoadService } from '../../../services/oncall/load.js';
import type { OverrideService } from '../../../services/oncall/overrides.js';
import type { ScheduleService } from '../../../services/oncall/schedule.js';
import type { ChatPort, PeopleProfiles } from '../../../services/ports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import { tokenize } from './router.js';

export interface OncallCommandDeps {
  schedule: ScheduleService;
  overrides: OverrideService;
  handoffs: Handoffs;
  load: LoadService;
  feeds: CalendarFeeds;
  staff: StaffDirectory;
  tenants: TenantDirectory;
  people: PeopleProfiles;
  chat: ChatPort;
  clock: Clock;
}

export interface Ask {
  user: string;
  channel: string;
  args: string[];
  zone: string;
  now: number;
}

const USER = /^<@([UW][A-Z0-9]{8,})(?:\|[^>]*)?>$|^@?([UW][A-Z0-9]{8,})$/;
/** A user id from a mention (`<@U…|name>`, as Slack escapes it) or a bare id. */
export const userOf = (text: string | undefined) => {
  const m = USER.exec(text ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
};
export const isLevel = (text: string | undefined): text is Level => LEVELS.includes(text as Level);
const clip = (text: string) => text.replace(/[`\n]/g, '').slice(0, 40);

export const error = (what: string, example: string): Message => msg(what, ' Example: ', code(example));

/** Why this person may not run on-call commands here, if they may not. */
export function refusal(deps: OncallCommandDeps, user: string, channel: string): string | undefined {
  if (!deps.staff.isStaff(user)) return 'Only the vendor’s support staff can use on-call commands.';
  if (deps.tenants.channel(channel)?.role === 'customer')
    return 'Not in a shared customer channel: ask from an internal channel or a DM.';
  return undefined;
}

export async function askOf(
  deps: OncallCommandDeps,
  user: string,
  channel: string,
  text: string,
): Promise<Ask> {
  return {
    user,
    channel,
    args: tokenize(text.trim()),
    zone: (await deps.people.profile(user)).zone ?? 'UTC',
    now: deps.clock.now(),
  };
}

/** Which team a command is about: named, the channel's tenant's, the team's own channel, or the only one. */
export function teamFor(deps: OncallCommandDeps, a: Ask, named: string | undefined): string | Message {
  const { schedule } = deps;
  if (named) {
    if (schedule.team(named)) return named;
    const ofTenant = deps.tenants.tenant(named) ? schedule.teamOfTenant(named) : undefined;
    if (ofTenant) return ofTenant;
    return msg(
      `I don't know the team or tenant `,
      code(clip(named)),
      `. Teams: ${schedule.teamIds().join(', ')}.`,
    );
  }
  const here = deps.tenants.channel(a.channel)?.tenant.id;
  const fromChannel =
    (here && schedule.teamOfTenant(here)) ?? schedule.config.teams.find((t) => t.channel === a.channel)?.id;
  if (fromChannel) return fromChannel;
  if (schedule.teamIds().length === 1) return schedule.teamIds()[0] as string;
  return msg(
    `Which team? Teams: ${schedule.teamIds().join(', ')}. Example: `,
    code(`/oncall ${schedule.teamIds()[0]}`),
  );
}

/** A mention of someone Slack does not know (or who cannot be on call): say so. */
export async function unknownUser(deps: OncallCommandDeps, ids: string[]): Promise<Message | undefined> {
  for (const id of ids)
    if (!(await deps.people.profile(id)).usable)
      return msg(
        'I don’t know ',
        code(id),
        ' (or they cannot be on call): mention a person of this workspace.',
      );
  return undefined;
}
