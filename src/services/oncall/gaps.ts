// Coverage gaps of the next 14 days (a config whose rotations leave stretches with nobody on
// call is accepted, but not silently): each gap is logged with the engine's message (team,
// level, the stretch in UTC and in the region's zone) and posted once a day per team to the ops
// channel (oncall.opsChannel, else the team's on-call channel). The post's key names the UTC
// day, so the start hook and the daily job never post the same day twice.
import type { Logger } from 'pino';
import type { OncallConfig } from '../../config/oncall-schema.js';
import { bold, emoji, join, msg } from '../../domain/message.js';
import { coverageGaps } from '../../domain/oncall/index.js';
import type { ChatPort } from '../ports.js';

export const GAP_HORIZON_MS = 14 * 86_400_000;
/** A post lists this many gaps; the log has them all. */
const SHOWN = 20;

export class CoverageWarnings {
  constructor(private readonly deps: { schedule: OncallConfig; chat: ChatPort; logger: Logger }) {}

  warn(now: number): { gaps: number } {
    const { schedule, chat, logger } = this.deps;
    const gaps = coverageGaps(schedule, now, now + GAP_HORIZON_MS);
    for (const gap of gaps) logger.warn({ team: gap.team, level: gap.level }, gap.message);
    const day = new Date(now).toISOString().slice(0, 10);
    for (const team of schedule.teams) {
      const channel = schedule.opsChannel ?? team.channel;
      const own = gaps.filter((g) => g.team === team.id);
      if (!channel || own.length === 0) continue;
      chat.post(
        { channel },
        msg(
          emoji('warning'),
          ' ',
          bold(`On-call coverage gaps for ${team.id} in the next 14 days (${own.length})`),
          '\n',
          join(
            own.slice(0, SHOWN).map((g) => msg(`• ${g.message}`)),
            '\n',
          ),
          own.length > SHOWN ? `\n… and ${own.length - SHOWN} more (see the log)` : '',
        ),
        `oncall-gaps:${team.id}:${day}`,
      );
    }
    return { gaps: gaps.length };
  }
}
