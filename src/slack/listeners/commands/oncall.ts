// `/oncall`: who is on call now and next, overrides, swaps, taking a shift, swap requests, the
// load report and calendar feed addresses. Thin: parse the text, ask one service, answer
// ephemerally (errors say what was wrong and show a correct example). Times are read and shown
// in the asker's own time zone.
import { parseDuration } from '../../../domain/clock.js';
import { bold, code, join, type Message, mention, msg } from '../../../domain/message.js';
import { formatLocal, parseWhen, WHEN_EXAMPLES } from '../../../domain/oncall/index.js';
import { loadTable } from '../../../services/oncall/handoff-message.js';
import { TAKE_SWAP_ACTION } from '../../../services/oncall/overrides.js';
import { whoIsOnNow } from '../../../services/oncall/who.js';
import type { SlackSurface } from '../../surface.js';
import { toMrkdwn } from '../../views/render-message.js';
import {
  type Ask,
  askOf,
  error,
  isLevel,
  type OncallCommandDeps,
  refusal,
  teamFor,
  unknownUser,
  userOf,
} from './oncall-context.js';

const ONCALL_HELP = [
  '*/oncall commands*',
  '• `/oncall [team|tenant|region]` — who is on now and next, per level',
  '• `/oncall override @user <from> <to> [team] [level]` — put someone on call',
  '• `/oncall swap @a @b <shift>` — @b takes @a’s shift at <shift>, @a takes @b’s next one',
  '• `/oncall take [team] [level]` — take the current shift (e.g. during an incident)',
  '• `/oncall overrides` · `/oncall cancel OV-3`',
  '• `/oncall swap-request <shift> [note]` — ask the team who can take your shift',
  '• `/oncall load [7d|30d]` — hours, off-hours, weekend hours and pages per engineer',
  '• `/oncall feed [team|me]` — your calendar feed address',
  `Times: ${WHEN_EXAMPLES}.`,
].join('\n');

export function register(surface: SlackSurface, deps: OncallCommandDeps): void {
  surface.command('/oncall', async ({ command, ack }) => {
    const refused = refusal(deps, command.user_id, command.channel_id);
    if (refused) return void (await ack({ response_type: 'ephemeral', text: refused }));
    const ask = await askOf(deps, command.user_id, command.channel_id, command.text ?? '');
    await ack({ response_type: 'ephemeral', text: toMrkdwn(await oncallCommand(deps, ask)) });
  });
}

/** Without an `oncall:` section the commands exist (the manifest lists them) and say so. */
export function registerUnconfigured(surface: SlackSurface): void {
  const text =
    'On-call schedules are not configured (no `oncall:` section in the config file): each tenant’s contacts.primary is paged. See docs/oncall.md.';
  surface.command('/oncall', async ({ ack }) => ack({ response_type: 'ephemeral', text }));
  surface.command('/handoff', async ({ ack }) => ack({ response_type: 'ephemeral', text }));
  surface.action(TAKE_SWAP_ACTION, async ({ ack }) => ack());
}

async function oncallCommand(deps: OncallCommandDeps, a: Ask): Promise<Message> {
  const [sub = '', ...rest] = a.args;
  const { overrides } = deps;
  switch (sub.toLowerCase()) {
    case 'help':
      return msg(ONCALL_HELP);
    case 'override': {
      const userId = userOf(rest[0]);
      if (!userId) return error('Say who: a @mention.', '/oncall override @alice now +4h');
      const unknown = await unknownUser(deps, [userId]);
      if (unknown) return msg(unknown, ' Example: ', code('/oncall override @alice now +4h'));
      const from = rest[1] ? parseWhen(rest[1], a.now, a.zone) : undefined;
      const to = from !== undefined && rest[2] ? parseWhen(rest[2], a.now, a.zone, from) : undefined;
      if (from === undefined || to === undefined)
        return error(`I could not read the times (${WHEN_EXAMPLES}).`, '/oncall override @alice 18:00 +4h');
      if (to <= from) return error('The end is before the start.', '/oncall override @alice 18:00 22:00');
      if (to <= a.now) return error('That range is already over.', '/oncall override @alice now +4h');
      const team = teamFor(
        deps,
        a,
        rest.slice(3).find((x) => !isLevel(x)),
      );
      if (typeof team !== 'string') return team;
      const level = rest.slice(3).find(isLevel) ?? 'primary';
      return overrides.override(a.user, { team, level, userId, from: Math.max(from, a.now), to }, a.now)
        .message;
    }
    case 'swap': {
      const first = userOf(rest[0]);
      const second = userOf(rest[1]);
      if (!first || !second)
        return error('Say whose shifts: two @mentions.', '/oncall swap @alice @bob tomorrow 08:00');
      const at = rest[2] ? parseWhen(rest.slice(2).join(' '), a.now, a.zone) : undefined;
      if (at === undefined)
        return error(
          `Say which shift of the first person: a time in it (${WHEN_EXAMPLES}).`,
          '/oncall swap @alice @bob 2026-12-03T08:00',
        );
      const team = teamFor(deps, a, undefined);
      if (typeof team !== 'string') return team;
      return overrides.swap(a.user, team, first, second, Math.max(at, a.now), a.now).message;
    }
    case 'take': {
      const team = teamFor(
        deps,
        a,
        rest.find((x) => !isLevel(x)),
      );
      if (typeof team !== 'string') return team;
      return overrides.take(a.user, team, rest.find(isLevel) ?? 'primary', a.now).message;
    }
    case 'overrides': {
      const list = overrides.list(a.now);
      if (list.length === 0) return msg('No overrides in effect or planned.');
      return msg(
        bold('Overrides'),
        '\n',
        join(
          list.map((o) =>
            msg(
              `• ${o.id} ${o.team} ${o.level}: `,
              mention(o.userId),
              o.replaces ? msg(' for ', mention(o.replaces)) : '',
              ` ${formatLocal(o.from, a.zone)} – ${formatLocal(o.to, a.zone)} (${o.kind}, by `,
              mention(o.createdBy),
              ')',
            ),
          ),
          '\n',
        ),
        `\nTimes in ${a.zone}.`,
      );
    }
    case 'cancel': {
      const m = /^(?:ov-)?(\d{1,9})$/i.exec(rest[0] ?? '');
      if (!m) return error('Say which override.', '/oncall cancel OV-3');
      return overrides.cancel(a.user, Number(m[1]), a.now).message;
    }
    case 'swap-request': {
      const at = rest[0] ? parseWhen(rest[0], a.now, a.zone) : undefined;
      if (at === undefined)
        return error(
          `Say which of your shifts: a time in it (${WHEN_EXAMPLES}).`,
          '/oncall swap-request 2026-12-05T08:00 "family event"',
        );
      const team = teamFor(deps, a, undefined);
      if (typeof team !== 'string') return team;
      return overrides.requestSwap(
        a.user,
        team,
        Math.max(at, a.now),
        rest.slice(1).join(' ').slice(0, 300),
        a.now,
      ).message;
    }
    case 'load': {
      const period = rest[0] ? parseDuration(rest[0]) : 7 * 86_400_000;
      if (period === undefined || period <= 0 || period > 366 * 86_400_000)
        return error('The period is a duration up to a year.', '/oncall load 30d');
      const team = teamFor(deps, a, rest[1]);
      if (typeof team !== 'string') return team;
      return loadTable(
        deps.load.report(team, a.now - period, a.now),
        `On-call load for ${team}, last ${rest[0] ?? '7d'}`,
      );
    }
    case 'feed': {
      // `me`: your own shifts across teams; otherwise a team's (the channel's, or the only one).
      if (rest[0] === 'me')
        return msg(
          'Your calendar feed (keep it private): ',
          code(deps.feeds.path({ kind: 'person', userId: a.user }, a.now)),
        );
      const team = teamFor(deps, a, rest[0]);
      if (typeof team !== 'string') return msg(team, ' Or your own: ', code('/oncall feed me'));
      return msg(
        `Calendar feed of ${team} (keep it private): `,
        code(deps.feeds.path({ kind: 'schedule', team }, a.now)),
      );
    }
    default:
      return whoIsOn(deps, a, sub || undefined);
  }
}

/** `/oncall [team|tenant|region]`: the target resolved here, the answer from the service. */
function whoIsOn(deps: OncallCommandDeps, a: Ask, target: string | undefined): Message {
  const { schedule } = deps;
  const region = schedule.config.regions.find((r) => r.name.toLowerCase() === target?.toLowerCase());
  const tenantId = target && deps.tenants.tenant(target) ? target : undefined;
  const team = teamFor(deps, a, region ? undefined : target);
  if (typeof team !== 'string')
    return msg(
      team,
      ` Regions: ${schedule.config.regions.map((r) => r.name).join(', ')}. Example: `,
      code('/oncall EMEA'),
    );
  return whoIsOnNow(schedule, { team, region: region?.name, tenantId, now: a.now, zone: a.zone });
}
