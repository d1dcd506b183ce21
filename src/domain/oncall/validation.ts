// What the schedule itself gets wrong, found without running it: coverage gaps (accepted,
// warned about at start and daily, so the team can fix them before a page finds nobody) and
// conflicts (rejected at load: two layers of equal priority naming two people for the same
// level at the same instant leave "who is on call" to config order, which nobody reads).
import { type CompiledLayer, type CompiledTeam, compileSchedule, type Path } from './compile.js';
import { timeline } from './engine.js';
import { type Interval, spanIntervals } from './rules.js';
import { DAY_MS, formatRange, localInstant, parseIsoDay } from './time.js';
import { type CoverageGap, LEVELS, type Level, type OncallSchedule, type ScheduleConflict } from './types.js';

/**
 * Every stretch of [from, to) where a team has nobody on call at a level it staffs (team-wide
 * view, overrides not counted: this is about the schedule), with a message naming the team,
 * level and the stretch in UTC and in the zone of the region whose hours it falls in.
 */
export function coverageGaps(schedule: OncallSchedule, from: number, to: number): CoverageGap[] {
  const compiled = compileSchedule(schedule);
  const gaps: CoverageGap[] = [];
  for (const team of compiled.teams.values()) {
    for (const level of staffedLevels(team)) {
      for (const shift of timeline(team, [], level, from, to, undefined)) {
        if (shift.source !== 'gap') continue;
        const region = shift.region ?? regionEndingAt(team, shift.start);
        const zone = (region && team.zoneOfRegion.get(region)) ?? compiled.defaultZone;
        const local = `${formatRange(shift.start, shift.end, zone)} ${zone}${region ? ` (${region})` : ''}`;
        gaps.push({
          team: team.id,
          level,
          from: shift.start,
          to: shift.end,
          region,
          zone,
          message: `team ${team.id}: no ${level} on call ${formatRange(shift.start, shift.end, 'UTC')} UTC = ${local}`,
        });
      }
    }
  }
  return gaps.sort((a, b) => a.from - b.from || a.team.localeCompare(b.team));
}

/**
 * Places where two layers with the same priority both name someone for the same team and
 * level at the same instant, checked over [from, to). One entry per pair of layers, at the
 * path of the later one, naming the earlier one and the first overlap in UTC and both zones.
 */
export function conflicts(schedule: OncallSchedule, from: number, to: number): ScheduleConflict[] {
  const compiled = compileSchedule(schedule);
  const found: ScheduleConflict[] = [];
  for (const team of compiled.teams.values()) {
    const tenants = [...new Set(team.layers.map((l) => l.tenant))];
    for (const level of LEVELS) {
      const seen = new Set<string>();
      for (const tenant of tenants) {
        const layers = team.layers.filter(
          (l) => l.rotations[level] && (l.kind !== 'tenant' || l.tenant === tenant),
        );
        layers.forEach((b, j) => {
          for (const a of layers.slice(0, j)) {
            const key = `${a.id}|${b.id}`;
            if (a.priority !== b.priority || seen.has(key)) continue;
            seen.add(key);
            const overlaps = intersect(staffed(a, level, from, to), staffed(b, level, from, to));
            const first = overlaps[0];
            if (!first) continue;
            const more = overlaps.length - 1;
            found.push({
              path: [...b.path, level],
              message:
                `on call at the same time as ${formatPath([...a.path, level])} with the same priority ` +
                `(${a.priority}), so two people would be ${level} at once: ` +
                `${formatRange(first[0], first[1], 'UTC')} UTC (${formatRange(first[0], first[1], a.zone)} ${a.zone}` +
                `${b.zone === a.zone ? '' : `; ${formatRange(first[0], first[1], b.zone)} ${b.zone}`})` +
                `${more > 0 ? ` and ${more} more time${more === 1 ? '' : 's'} in the year checked` : ''}; ` +
                'give one layer a higher priority or make the windows meet',
            });
          }
        });
      }
    }
  }
  return found;
}

/** The year checked at load: from the day before the earliest rotation start, 366 days on. */
export function validationHorizon(schedule: OncallSchedule): { from: number; to: number } {
  const starts: number[] = [];
  for (const team of schedule.teams) {
    const rosters = [
      ...Object.values(team.regions),
      ...(team.weekend ? [team.weekend] : []),
      ...team.tenantLayers,
    ];
    for (const roster of rosters) {
      for (const level of LEVELS) {
        const day = roster[level] && parseIsoDay(roster[level].startDate);
        if (day !== undefined) starts.push(day);
      }
    }
  }
  const from = (starts.length > 0 ? Math.min(...starts) - 1 : 0) * DAY_MS;
  return { from, to: from + 366 * DAY_MS };
}

function staffedLevels(team: CompiledTeam): Level[] {
  return LEVELS.filter((level) => team.layers.some((l) => l.kind !== 'tenant' && l.rotations[level]));
}

/** Intervals in [from, to) where the layer is active and its rotation has started. */
function staffed(layer: CompiledLayer, level: Level, from: number, to: number): Interval[] {
  const rotation = layer.rotations[level]!;
  const begins = Math.max(from, localInstant(rotation.startDay, rotation.handoffSecond, rotation.zone));
  return spanIntervals(layer.span, begins, to)
    .map(([s, e]): Interval => [Math.max(s, begins), Math.min(e, to)])
    .filter(([s, e]) => s < e);
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]![0], b[j]![0]);
    const end = Math.min(a[i]![1], b[j]![1]);
    if (start < end) out.push([start, end]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** The region whose window closed exactly when a gap opened ("between US and APJ"). */
function regionEndingAt(team: CompiledTeam, instant: number): string | undefined {
  return team.regional.find((layer) =>
    spanIntervals(layer.span, instant - 1, instant).some(([s, e]) => s < instant && e === instant),
  )?.region;
}

/** teams[0].regions.APJ.primary — the notation config problems use. */
export function formatPath(path: Path): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${segment}`))
    .join('');
}
