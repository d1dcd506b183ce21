// `/oncall`'s answer: who is on now and next for each level of a team (optionally only a
// region's shifts, or with a tenant's own layers), with times on the asker's wall clock.
import { bold, join, type Message, mention, msg } from '../../domain/message.js';
import { formatLocal } from '../../domain/oncall/index.js';
import type { ScheduleService } from './schedule.js';

const LOOKAHEAD_MS = 14 * 86_400_000;

export function whoIsOnNow(
  schedule: ScheduleService,
  q: { team: string; region?: string | undefined; tenantId?: string | undefined; now: number; zone: string },
): Message {
  const lines: Message[] = [];
  for (const level of schedule.levelsOf(q.team)) {
    const shifts = schedule
      .shifts(q.team, q.now, q.now + LOOKAHEAD_MS, q.tenantId)
      [level].filter((s) => s.end > q.now && (!q.region || s.region === q.region));
    const [current, next] =
      shifts[0] && shifts[0].start <= q.now ? [shifts[0], shifts[1]] : [undefined, shifts[0]];
    const show = (s: (typeof shifts)[number] | undefined): Message =>
      !s
        ? msg('nobody')
        : s.source === 'gap'
          ? msg(`nobody (gap until ${formatLocal(s.end, q.zone)})`)
          : msg(
              mention(s.userId),
              ` ${formatLocal(s.start, q.zone)} – ${formatLocal(s.end, q.zone)}`,
              s.source === 'override' ? ' (override)' : '',
            );
    lines.push(msg(`• ${level}: now `, show(current), '; next ', show(next)));
  }
  const manager = schedule.chain(q.team, q.now, q.tenantId).at(-1);
  return msg(
    bold(
      `On call for ${q.team}${q.region ? ` in ${q.region}` : ''}${q.tenantId ? ` (for ${q.tenantId})` : ''}`,
    ),
    '\n',
    join(lines, '\n'),
    manager ? msg('\nEscalation ends with ', mention(manager)) : '',
    `\nTimes in ${q.zone}.`,
  );
}
