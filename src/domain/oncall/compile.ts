// Turns the schedule (the config's shape) into layers the engine evaluates: each regional
// roster, the weekend crew and every tenant layer become one layer with a priority, a span
// (when it is active) and a rotation per level (who, when active). Compiled once per
// schedule object and cached, since every engine call needs the same layers.
import { type CompiledSpan, compileRecurringTime, compileSpan } from './rules.js';
import { localInstant, localParts, parseIsoDay, parseWallTime } from './time.js';
import {
  type LayerKind,
  LEVELS,
  type Level,
  type OncallSchedule,
  type Rosters,
  type Rotation,
} from './types.js';

export type Path = (string | number)[];

export interface CompiledRotation {
  users: string[];
  weekly: boolean;
  handoffSecond: number;
  startDay: number;
  zone: string;
  path: Path;
}

export interface CompiledLayer {
  /** regional:APJ, weekend or tenant:<name> — shown as the `layer` of a shift. */
  id: string;
  kind: LayerKind;
  tenant: string | undefined;
  priority: number;
  zone: string;
  span: CompiledSpan;
  rotations: Partial<Record<Level, CompiledRotation>>;
  /** Region whose manager escalates while this layer answers (regional layers: their own). */
  region: string | undefined;
  manager: string | undefined;
  path: Path;
}

export interface CompiledTeam {
  id: string;
  index: number;
  /** In config order: regional (in the order of oncall.regions), weekend, tenant layers. */
  layers: CompiledLayer[];
  regional: CompiledLayer[];
  managers: Map<string, string>;
  zoneOfRegion: Map<string, string>;
}

export interface CompiledSchedule {
  teams: Map<string, CompiledTeam>;
  defaultZone: string;
}

const cache = new WeakMap<OncallSchedule, CompiledSchedule>();

export function compileSchedule(schedule: OncallSchedule): CompiledSchedule {
  const cached = cache.get(schedule);
  if (cached) return cached;
  const teams = new Map<string, CompiledTeam>();
  schedule.teams.forEach((team, index) => {
    const teamPath: Path = ['teams', index];
    const regional: CompiledLayer[] = [];
    const managers = new Map<string, string>();
    const zoneOfRegion = new Map<string, string>();
    schedule.regions.forEach((region, r) => {
      zoneOfRegion.set(region.name, region.zone);
      const roster = team.regions[region.name];
      if (!roster) return;
      managers.set(region.name, roster.manager);
      const path = [...teamPath, 'regions', region.name];
      regional.push({
        id: `regional:${region.name}`,
        kind: 'regional',
        tenant: undefined,
        priority: roster.priority,
        zone: region.zone,
        span: regionSpan(schedule, r),
        rotations: compileRotations(roster, region.zone, path),
        region: region.name,
        manager: roster.manager,
        path,
      });
    });
    const layers = [...regional];
    if (team.weekend) {
      const weekend = team.weekend;
      const path = [...teamPath, 'weekend'];
      layers.push({
        id: 'weekend',
        kind: 'weekend',
        tenant: undefined,
        priority: weekend.priority,
        zone: weekend.zone,
        span: {
          start: compileRecurringTime(weekend.from, weekend.zone),
          end: compileRecurringTime(weekend.to, weekend.zone),
        },
        rotations: compileRotations(weekend, weekend.zone, path),
        region: weekend.region,
        manager: weekend.manager,
        path,
      });
    }
    team.tenantLayers.forEach((layer, i) => {
      const path = [...teamPath, 'tenantLayers', i];
      layers.push({
        id: `tenant:${layer.name ?? layer.tenant}`,
        kind: 'tenant',
        tenant: layer.tenant,
        priority: layer.priority,
        zone: layer.zone,
        span: compileSpan(layer.window, layer.zone),
        rotations: compileRotations(layer, layer.zone, path),
        region: layer.region,
        manager: layer.manager,
        path,
      });
    });
    teams.set(team.id, { id: team.id, index, layers, regional, managers, zoneOfRegion });
  });
  const compiled = { teams, defaultZone: schedule.regions[0]?.zone ?? 'UTC' };
  cache.set(schedule, compiled);
  return compiled;
}

/** A region's window; without an end it runs until the next region's start (follow the sun). */
function regionSpan(schedule: OncallSchedule, index: number): CompiledSpan {
  const region = schedule.regions[index]!;
  const { start, end, days } = region.shift;
  if (end !== undefined) return compileSpan({ start, end, days }, region.zone);
  const next = schedule.regions[(index + 1) % schedule.regions.length]!;
  return {
    start: compileRecurringTime({ time: start, days, zone: region.zone }, region.zone),
    end: compileRecurringTime({ time: next.shift.start, days: next.shift.days, zone: next.zone }, next.zone),
  };
}

function compileRotations(
  rosters: Rosters,
  zone: string,
  path: Path,
): Partial<Record<Level, CompiledRotation>> {
  const out: Partial<Record<Level, CompiledRotation>> = {};
  for (const level of LEVELS) {
    const rotation = rosters[level];
    if (rotation) out[level] = compileRotation(rotation, zone, [...path, level]);
  }
  return out;
}

function compileRotation(rotation: Rotation, zone: string, path: Path): CompiledRotation {
  const handoffSecond = parseWallTime(rotation.handoffTime);
  const startDay = parseIsoDay(rotation.startDate);
  if (handoffSecond === undefined || startDay === undefined || rotation.users.length === 0) {
    throw new Error(`schedule not validated: bad rotation at ${path.join('.')}`);
  }
  return {
    users: rotation.users,
    weekly: rotation.rotation === 'weekly',
    handoffSecond,
    startDay,
    zone,
    path,
  };
}

/** Who the rotation names at `instant`; undefined before its first handoff. */
export function rotationUserAt(rotation: CompiledRotation, instant: number): string | undefined {
  let { day } = localParts(instant, rotation.zone);
  if (instant < localInstant(day, rotation.handoffSecond, rotation.zone)) day -= 1;
  let turn = day - rotation.startDay;
  if (turn < 0) return undefined;
  if (rotation.weekly) turn = Math.floor(turn / 7);
  return rotation.users[turn % rotation.users.length];
}

/** Handoff instants of the rotation in [from, to), the first one (to users[0]) included. */
export function rotationHandoffs(rotation: CompiledRotation, from: number, to: number): number[] {
  const out: number[] = [];
  const last = localParts(to, rotation.zone).day + 1;
  for (let day = Math.max(rotation.startDay, localParts(from, rotation.zone).day - 1); day <= last; day++) {
    if (rotation.weekly && (day - rotation.startDay) % 7 !== 0) continue;
    const at = localInstant(day, rotation.handoffSecond, rotation.zone);
    if (at >= from && at < to) out.push(at);
  }
  return out;
}
