// The on-call schedule as the domain sees it. The config file's `oncall:` section is this
// shape exactly (src/config/oncall-schema.ts checks its zod schema against these types with
// `satisfies`), so a path into the config is a path into the schedule and validation
// messages from the engine point at the lines operators edit.

export const LEVELS = ['primary', 'secondary'] as const;
/** Escalation levels a roster can fill; the region manager is the step after the last level. */
export type Level = (typeof LEVELS)[number];

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Day names; index = cron day-of-week number (0 = Sunday). */
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:mm" (24 h) on the wall clock of some zone. */
export type WallTime = string;

/** A recurring instant: a node-cron expression, or a wall time on some (default: all) days. */
export type RecurringTime =
  | { cron: string; zone?: string | undefined }
  | { time: WallTime; days?: Weekday[] | undefined; zone?: string | undefined };

/** Every listed day (default: every day) from `start` to the next `end`; end ≤ start crosses midnight. */
export interface DailyWindow {
  start: WallTime;
  end: WallTime;
  days?: Weekday[] | undefined;
}

/** From each occurrence of `from` until the next occurrence of `to`. */
export interface RecurringSpan {
  from: RecurringTime;
  to: RecurringTime;
}

export type Span = DailyWindow | RecurringSpan;

/** An ordered roster that advances by one person every day or week at the handoff time. */
export interface Rotation {
  users: string[];
  rotation: 'daily' | 'weekly';
  /** Wall time in the layer's zone at which the next person takes over. */
  handoffTime: WallTime;
  /** Local date (YYYY-MM-DD) of the first handoff, to users[0]; weekly rotations hand off on its weekday. */
  startDate: string;
}

export interface Rosters {
  primary?: Rotation | undefined;
  secondary?: Rotation | undefined;
}

/**
 * A region's daily shift. Without `end` it lasts until the next region (in list order,
 * wrapping around) starts, so follow-the-sun regions tile the day in every season: DST only
 * makes a shift an hour shorter or longer, never opens a gap or an overlap.
 */
export interface RegionShift {
  start: WallTime;
  end?: WallTime | undefined;
  days?: Weekday[] | undefined;
}

/** A follow-the-sun region: where and when (local time) its people work. */
export interface RegionDef {
  name: string;
  zone: string;
  shift: RegionShift;
}

/** A team's people in one region. */
export interface RegionRoster extends Rosters {
  /** Last escalation step while this region (or a layer escalating to it) is on duty. */
  manager: string;
  priority: number;
}

/** The thin weekend crew: its own rosters over its own span, above the regional rotation. */
export interface WeekendLayer extends Rosters {
  zone: string;
  from: RecurringTime;
  to: RecurringTime;
  priority: number;
  manager?: string | undefined;
  region?: string | undefined;
}

/** Coverage for one customer (e.g. on-site weekday support), only for that tenant's pages. */
export interface TenantLayer extends Rosters {
  tenant: string;
  name?: string | undefined;
  zone: string;
  window: Span;
  priority: number;
  manager?: string | undefined;
  region?: string | undefined;
}

export interface TeamSchedule {
  id: string;
  name?: string | undefined;
  regions: Record<string, RegionRoster>;
  weekend?: WeekendLayer | undefined;
  tenantLayers: TenantLayer[];
}

export interface OncallSchedule {
  regions: RegionDef[];
  teams: TeamSchedule[];
}

/**
 * One person standing in for the schedule at one team and level, over [from, to).
 * With `replaces`, it applies only while that person would otherwise be on call.
 * A swap of two shifts is two overrides: B replaces A over A's shift, A replaces B over B's.
 */
export interface Override {
  id: string;
  team: string;
  level: Level;
  userId: string;
  from: number;
  to: number;
  replaces?: string | undefined;
}

export type LayerKind = 'regional' | 'weekend' | 'tenant';

/** Who is on call at an instant and why. */
export interface OnCall {
  userId: string;
  level: Level;
  source: 'override' | 'layer';
  /** The schedule layer that answers (for an override: the one it stands in for, if any). */
  layer: string | undefined;
  layerKind: LayerKind | undefined;
  region: string | undefined;
  overrideId?: string | undefined;
  /** The person the override stands in for, when one would be on. */
  replaced?: string | undefined;
  shiftStart: number;
  shiftEnd: number;
}

export interface CoveredShift {
  level: Level;
  start: number;
  end: number;
  userId: string;
  source: 'override' | 'layer';
  layer: string | undefined;
  layerKind: LayerKind | undefined;
  region: string | undefined;
  overrideId?: string | undefined;
  replaced?: string | undefined;
}

export interface GapShift {
  level: Level;
  start: number;
  end: number;
  source: 'gap';
  userId?: undefined;
  region: string | undefined;
}

export type Shift = CoveredShift | GapShift;

export interface HandoffChange {
  level: Level;
  from: string | undefined;
  to: string | undefined;
  fromLayer: string | undefined;
  toLayer: string | undefined;
  fromRegion: string | undefined;
  toRegion: string | undefined;
}

export interface Handoff {
  at: number;
  team: string;
  changes: HandoffChange[];
  /** True when the weekend layer takes over at this boundary (the Friday passage). */
  weekend: boolean;
  /** Occurrence key for the job that posts this handoff: stable across restarts. */
  key: string;
}

export interface CoverageGap {
  team: string;
  level: Level;
  from: number;
  to: number;
  region: string | undefined;
  zone: string;
  message: string;
}

/** A contradiction in the schedule, at a path relative to the schedule (= the oncall section). */
export interface ScheduleConflict {
  path: (string | number)[];
  message: string;
}
