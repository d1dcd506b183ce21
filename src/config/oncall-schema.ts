// The `oncall:` section of the config file: follow-the-sun regions, each team's rosters per
// region and level, its weekend crew and its per-tenant layers. The shape is the domain's
// (src/domain/oncall/types.ts; `satisfies` below keeps them equal), so the engine's
// conflict finder reports paths operators can open. Times are validated with the parsers
// the engine uses (zones with luxon, cron with node-cron), so "valid config" means "works".
import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import {
  conflicts,
  isValidZone,
  type OncallSchedule,
  parseIsoDay,
  parseWallTime,
  type RecurringTime,
  type RegionDef,
  type Rotation,
  type Span,
  type TeamSchedule,
  type TenantLayer,
  validationHorizon,
  WEEKDAYS,
  type WeekendLayer,
} from '../domain/oncall/index.js';

const USER_ID = /^[UW][A-Z0-9]{8,}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
const channelId = (description: string) =>
  z.string().regex(CHANNEL_ID, 'expected a Slack channel id like C0123ABCD').describe(description);
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

const userId = (description: string) =>
  z.string().regex(USER_ID, 'expected a Slack user id like U0123ABCD').describe(description);

const zone = (description: string) =>
  z
    .string()
    .refine(isValidZone, { message: 'expected an IANA time zone like Europe/London or America/Los_Angeles' })
    .describe(description);

const wallTime = (description: string) =>
  z
    .string()
    .refine((text) => parseWallTime(text) !== undefined, {
      message: 'expected a 24-hour time like 08:00 or 17:30',
    })
    .describe(description);

const weekdays = z
  .array(z.enum(WEEKDAYS).describe('Day name: sun, mon, tue, wed, thu, fri or sat.'))
  .min(1)
  .describe('Days it happens on (default: every day), e.g. [mon, tue, wed, thu, fri].');

const cron = z
  .string()
  .superRefine((text, ctx) => {
    const result = validateDetailed(text);
    if (result.valid) return;
    const reasons = result.errors.map((e) => e.message).join('; ');
    ctx.addIssue({
      code: 'custom',
      message: `expected a cron expression like "0 17 * * fri" (minute hour day-of-month month day-of-week): ${reasons}`,
    });
  })
  .describe('node-cron expression, read on the wall clock of `zone`, e.g. "0 17 * * fri".');

const RecurringTimeSchema = z
  .object({
    cron: cron.optional(),
    time: wallTime('Wall time, e.g. 17:00 (with optional days).').optional(),
    days: weekdays.optional(),
    zone: zone('IANA zone the time is read in; default: the layer’s zone.').optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.cron === undefined) === (value.time === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected either cron (e.g. cron: "0 17 * * fri") or time (e.g. time: "17:00", days: [fri])',
        params: { omitFound: true },
      });
    } else if (value.cron !== undefined && value.days !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['days'],
        message: 'expected days only with time; put the days in the cron',
      });
    }
  })
  .transform(
    (value): RecurringTime =>
      value.cron !== undefined
        ? { cron: value.cron, zone: value.zone }
        : { time: value.time as string, days: value.days, zone: value.zone },
  )
  .describe(
    'A recurring instant: { time: "17:00", days: [fri], zone: America/Los_Angeles } or { cron: "0 17 * * 5", zone: … }.',
  );

const RotationSchema = z
  .object({
    users: z
      .array(userId('Slack user id of one person in the roster.'))
      .min(1)
      .describe('Roster in turn order; the first is on from startDate.'),
    rotation: z
      .enum(['daily', 'weekly'])
      .default('weekly')
      .describe('How often the next person takes over: daily or weekly (default).'),
    handoffTime: wallTime('Local time (the layer’s zone) of the handoff to the next person, e.g. 08:00.'),
    startDate: z
      .string()
      .refine((text) => parseIsoDay(text) !== undefined, { message: 'expected a date like 2026-01-05' })
      .describe(
        'Local date (YYYY-MM-DD) the first person starts, at handoffTime; weekly rotations hand off on its weekday. Nobody from this roster is on before it.',
      ),
  })
  .strict()
  .describe('A rotating roster.') satisfies z.ZodType<Rotation, unknown>;

const rosterFields = {
  primary: RotationSchema.optional().describe('Roster of the first person paged.'),
  secondary: RotationSchema.optional().describe(
    'Roster of the backup, paged when the primary does not answer.',
  ),
};

const priority = (fallback: number, description: string) =>
  z.int().min(0).max(1000).default(fallback).describe(`${description} Higher wins; default ${fallback}.`);

const RegionSchema = z
  .object({
    name: z
      .string()
      .regex(NAME, 'expected a short region name like APJ, EMEA or US')
      .describe('Region name used in team rosters, commands and user group handles, e.g. EMEA.'),
    zone: zone('IANA time zone of the region, e.g. Asia/Singapore.'),
    shift: z
      .object({
        start: wallTime('Local time the region takes over each day, e.g. 08:00.'),
        end: wallTime(
          'Local time it hands over; omit to hand over when the next region starts (tiles the day in every season). An end at or before start crosses midnight.',
        ).optional(),
        days: weekdays.optional(),
      })
      .strict()
      .describe('The region’s daily shift in its local time.'),
  })
  .strict()
  .describe('One follow-the-sun region.') satisfies z.ZodType<RegionDef, unknown>;

const RegionRosterSchema = z
  .object({
    manager: userId('Region manager: the last escalation step while this region is on duty.'),
    priority: priority(10, 'Precedence of this regional rotation over other layers.'),
    ...rosterFields,
  })
  .strict()
  .describe('The team’s people in one region.');

const WeekendSchema = z
  .object({
    zone: zone('Zone of the weekend rosters’ handoff time and the default for from/to.'),
    from: RecurringTimeSchema.describe(
      'When the weekend crew takes over, e.g. { time: "17:00", days: [fri] }.',
    ),
    to: RecurringTimeSchema.describe(
      'When the weekdays resume, e.g. { time: "08:00", days: [mon], zone: Asia/Singapore }.',
    ),
    priority: priority(20, 'Precedence of the weekend crew over other layers.'),
    manager: userId('Manager escalated to on weekends; default: the on-duty region’s.').optional(),
    region: z
      .string()
      .optional()
      .describe('Region reported (and escalated to) on weekends; default: the on-duty one.'),
    ...rosterFields,
  })
  .strict()
  .describe('The thin weekend crew, with its own rosters and span.') satisfies z.ZodType<
  WeekendLayer,
  unknown
>;

const WindowSchema = z
  .object({
    start: wallTime('Daily window start (local time), e.g. 09:00.').optional(),
    end: wallTime('Daily window end; at or before start crosses midnight.').optional(),
    days: weekdays.optional(),
    from: RecurringTimeSchema.optional().describe('Or: start at each occurrence of this…'),
    to: RecurringTimeSchema.optional().describe('…until the next occurrence of this.'),
  })
  .strict()
  .superRefine((w, ctx) => {
    const daily = w.start !== undefined || w.end !== undefined || w.days !== undefined;
    const recurring = w.from !== undefined || w.to !== undefined;
    const complete = daily
      ? !recurring && w.start !== undefined && w.end !== undefined
      : w.from !== undefined && w.to !== undefined;
    if (!complete) {
      ctx.addIssue({
        code: 'custom',
        message:
          'expected start and end (e.g. { start: "09:00", end: "17:00", days: [mon, tue, wed, thu, fri] }) or from and to',
        params: { omitFound: true },
      });
    }
  })
  .transform(
    (w): Span =>
      w.from && w.to ? { from: w.from, to: w.to } : { start: w.start!, end: w.end!, days: w.days },
  )
  .describe('When the layer is active: a daily window or a from/to span, in the layer’s zone.');

const TenantLayerSchema = z
  .object({
    tenant: z.string().describe('Tenant id (tenants[].id) this layer answers for.'),
    name: z
      .string()
      .regex(NAME, 'expected a short name like nimbus-onsite')
      .optional()
      .describe('Layer name when a tenant has several; default: the tenant id.'),
    zone: zone('Zone of the window and the handoff times, e.g. America/Los_Angeles.'),
    window: WindowSchema,
    priority: priority(30, 'Precedence of this tenant layer over the others (for this tenant’s pages only).'),
    manager: userId(
      'Manager escalated to while this layer answers; default: the on-duty region’s.',
    ).optional(),
    region: z.string().optional().describe('Region reported (and escalated to); default: the on-duty one.'),
    ...rosterFields,
  })
  .strict()
  .describe('Coverage for one customer, e.g. on-site weekday support in its own zone.') satisfies z.ZodType<
  TenantLayer,
  unknown
>;

const TeamSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,31}$/, 'expected a team id like vaas (lowercase letters, digits, dashes)')
      .describe('Team id used in commands and user group handles, e.g. vaas.'),
    name: z.string().optional().describe('Team name as people say it.'),
    regions: z
      .record(z.string(), RegionRosterSchema)
      .describe('Rosters per region name (a name from oncall.regions), e.g. { APJ: …, EMEA: …, US: … }.'),
    weekend: WeekendSchema.optional(),
    tenantLayers: z.array(TenantLayerSchema).default([]).describe('Per-tenant layers, e.g. on-site support.'),
    channel: channelId(
      'The team’s on-call channel: shift handoffs, the weekend handoff and swap requests are posted here.',
    ).optional(),
  })
  .strict()
  .describe('A team and who covers it when.') satisfies z.ZodType<TeamSchedule, unknown>;

const HandoffSchema = z
  .object({
    dmMinutesBefore: z
      .int()
      .min(0)
      .max(24 * 60)
      .default(15)
      .describe('Minutes before a shift starts that the incoming engineer gets a DM; 0 = no DM.'),
    weekend: RecurringTimeSchema.default({
      time: '16:00',
      days: ['fri'],
      zone: 'America/Los_Angeles',
    }).describe(
      'When the weekend handoff (the week’s summary, the weekend roster, the escalation path) is posted; default Friday 16:00 America/Los_Angeles.',
    ),
    bridge: z
      .string()
      .max(200)
      .optional()
      .describe('Phone bridge for live calls, shown in the weekend handoff, e.g. "+1 555 0100, PIN 4242".'),
    plannedChanges: z
      .array(z.string().min(1).max(300))
      .default([])
      .describe(
        'Changes planned over the coming weekend, listed in the weekend handoff (more with /handoff plan).',
      ),
    lateAfterSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(60)
      .describe('A handoff posted later than this after its boundary says it is late.'),
  })
  .strict()
  .prefault({})
  .describe('Shift handoff posts and the incoming engineer’s reminder.');

const UserGroupSchema = z
  .object({
    id: z
      .string()
      .regex(/^S[A-Z0-9]{8,}$/, 'expected a Slack user group id like S0123ABCD')
      .describe('Slack user group id (S…) the bot keeps in step with the schedule.'),
    handle: z.string().min(1).max(80).describe('Its handle without @, e.g. vaas-oncall-emea (for messages).'),
    sources: z
      .array(
        z
          .object({
            team: z.string().describe('Team id whose on-call people feed the group.'),
            region: z.string().optional().describe('Only while this region’s people are on (e.g. EMEA).'),
            level: z.enum(['primary', 'secondary']).optional().describe('Only this level; default: both.'),
          })
          .strict(),
      )
      .default([])
      .describe('Schedules feeding the group: who is on call now for each (team, region, level).'),
    members: z
      .array(userId('Slack user id of a permanent member.'))
      .default([])
      .describe('Permanent members, always in the group (e.g. the team lead).'),
  })
  .strict()
  .describe('One Slack user group handle kept equal to who is on call (plus permanent members).');

const DEFAULT_REGIONS: RegionDef[] = [
  { name: 'APJ', zone: 'Asia/Singapore', shift: { start: '08:00' } },
  { name: 'EMEA', zone: 'Europe/London', shift: { start: '08:00' } },
  { name: 'US', zone: 'America/Los_Angeles', shift: { start: '08:00' } },
];

export const OncallConfigSchema = z
  .object({
    regions: z
      .array(RegionSchema)
      .min(1)
      .default(() => DEFAULT_REGIONS.map((r) => ({ ...r, shift: { ...r.shift } })))
      .describe(
        'Follow-the-sun regions in handover order; default APJ (Asia/Singapore), EMEA (Europe/London), US (America/Los_Angeles), each from 08:00 local until the next starts.',
      ),
    teams: z.array(TeamSchema).min(1).describe('Teams with on-call rosters.'),
    opsChannel: channelId(
      'Where coverage gaps and user group problems are posted; default: each team’s on-call channel.',
    ).optional(),
    handoff: HandoffSchema,
    userGroups: z
      .array(UserGroupSchema)
      .default([])
      .describe('Slack user groups kept in step with the schedule.'),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    const report = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message, params: { omitFound: true } });
    const names = new Map<string, number>();
    schedule.regions.forEach((region, i) => {
      const first = names.get(region.name);
      if (first !== undefined)
        report(
          ['regions', i, 'name'],
          `duplicate region "${region.name}": regions[${first}] already uses it`,
        );
      else names.set(region.name, i);
    });
    const known = [...names.keys()].join(', ');
    const teams = new Map<string, number>();
    let broken = false;
    schedule.teams.forEach((team, t) => {
      const first = teams.get(team.id);
      if (first !== undefined)
        report(['teams', t, 'id'], `duplicate team id "${team.id}": teams[${first}] already uses it`);
      else teams.set(team.id, t);
      for (const region of Object.keys(team.regions)) {
        if (!names.has(region)) {
          broken = true;
          report(['teams', t, 'regions', region], `unknown region "${region}"; oncall.regions has ${known}`);
        }
      }
      const layers: [PropertyKey[], string | undefined][] = [
        [['teams', t, 'weekend', 'region'], team.weekend?.region],
        ...team.tenantLayers.map((l, i): [PropertyKey[], string | undefined] => [
          ['teams', t, 'tenantLayers', i, 'region'],
          l.region,
        ]),
      ];
      for (const [path, region] of layers) {
        if (region !== undefined && !names.has(region))
          report(path, `unknown region "${region}"; oncall.regions has ${known}`);
      }
      const layerNames = new Map<string, number>();
      team.tenantLayers.forEach((layer, i) => {
        const name = layer.name ?? layer.tenant;
        const before = layerNames.get(name);
        if (before !== undefined) {
          report(
            ['teams', t, 'tenantLayers', i, 'name'],
            `duplicate tenant layer "${name}": tenantLayers[${before}] already uses it; give one a name`,
          );
        } else layerNames.set(name, i);
      });
    });
    schedule.userGroups.forEach((group, g) => {
      group.sources.forEach((source, i) => {
        if (!teams.has(source.team))
          report(
            ['userGroups', g, 'sources', i, 'team'],
            `unknown team "${source.team}"; teams are ${[...teams.keys()].join(', ')}`,
          );
        if (source.region !== undefined && !names.has(source.region))
          report(
            ['userGroups', g, 'sources', i, 'region'],
            `unknown region "${source.region}"; oncall.regions has ${known}`,
          );
      });
      if (group.sources.length === 0 && group.members.length === 0)
        report(['userGroups', g], 'expected sources or members: a group fed by nobody would be emptied');
    });
    if (broken) return;
    // Contradictions only show when the schedule runs: check the year from the earliest start.
    const horizon = validationHorizon(schedule);
    for (const conflict of conflicts(schedule, horizon.from, horizon.to))
      report(conflict.path, conflict.message);
  })
  .describe(
    'On-call schedules: follow-the-sun regions, rosters per team, region and level, the weekend crew and per-tenant layers. Absent: on-call is off and contacts.primary is paged. See docs/oncall.md.',
  ) satisfies z.ZodType<OncallSchedule, unknown>;

export type OncallConfig = z.output<typeof OncallConfigSchema>;
