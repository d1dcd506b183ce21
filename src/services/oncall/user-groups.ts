// Slack user groups that follow the schedule: one handle per team/region/level (e.g.
// @vaas-oncall, @vaas-oncall-emea), fed by one or more (team, region, level) sources plus
// permanent members. Each sync is a job (at every boundary of a feeding team, on every override
// change and at start): it computes who should be in the group now with the same engine as
// everything else, names configured people who are not usable members (unknown, deactivated,
// bots) in the ops channel, never empties a group (it warns instead), compares with the
// current members first and only then calls the update. A failed call throws, so the
// scheduler retries it — a 429 waits for Retry-After without spending an attempt.
import { z } from 'zod';
import { bold, code, emoji, join, msg } from '../../domain/message.js';
import type { Level } from '../../domain/oncall/index.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { ChatPort, PeopleProfiles, UserGroupWriter } from '../ports.js';
import type { ScheduleService } from './schedule.js';

export const USERGROUP_JOB = 'oncall.usergroup-sync';
/** How far back a region handle looks for its latest person while the region is off duty. */
const REGION_MEMORY_MS = 7 * 86_400_000;

export interface UserGroupDeps {
  schedule: ScheduleService;
  scheduler: Scheduler;
  groups: UserGroupWriter;
  people: PeopleProfiles;
  chat: ChatPort;
}

type GroupConfig = ScheduleService['config']['userGroups'][number];

export class UserGroupSync {
  constructor(private readonly deps: UserGroupDeps) {}

  private get groups(): GroupConfig[] {
    return this.deps.schedule.config.userGroups;
  }

  /** Queues a sync of every group the team feeds; `reason` makes the job's identity. */
  enqueueFor(team: string, reason: string): void {
    for (const g of this.groups) if (g.sources.some((s) => s.team === team)) this.enqueue(g.id, reason);
  }

  enqueueAll(reason: string): void {
    for (const g of this.groups) this.enqueue(g.id, reason);
  }

  private enqueue(groupId: string, reason: string): void {
    this.deps.scheduler.enqueue({
      kind: USERGROUP_JOB,
      payload: { groupId },
      key: `oncall-ug:${groupId}:${reason}`,
      lane: `oncall-ug:${groupId}`,
    });
  }

  /** Who the group should contain at `now`: the on-call people of its sources plus its permanent members. */
  desired(group: GroupConfig, now: number): string[] {
    const { schedule } = this.deps;
    const users: string[] = [];
    for (const source of group.sources) {
      const levels: Level[] = source.level ? [source.level] : schedule.levelsOf(source.team);
      for (const level of levels) {
        const onCall = schedule.onCall(source.team, level, now);
        if (onCall && (source.region === undefined || onCall.region === source.region)) {
          users.push(onCall.userId);
          continue;
        }
        // A region's handle keeps pointing at its latest person while the region is off duty,
        // instead of emptying every night.
        if (source.region === undefined) continue;
        const latest = schedule
          .shifts(source.team, now - REGION_MEMORY_MS, now)
          [level].findLast((s) => s.source !== 'gap' && s.region === source.region && s.start <= now);
        if (latest?.userId) users.push(latest.userId);
      }
    }
    users.push(...group.members);
    return [...new Set(users)];
  }

  /** Everyone the config could put in the group: its sources' rosters and its permanent members. */
  configured(group: GroupConfig): string[] {
    const { schedule } = this.deps;
    const users = new Set<string>(group.members);
    for (const source of group.sources) {
      const team = schedule.team(source.team);
      if (!team) continue;
      const rosters = [
        ...Object.entries(team.regions)
          .filter(([region]) => source.region === undefined || region === source.region)
          .map(([, roster]) => roster),
        ...(team.weekend && source.region === undefined ? [team.weekend] : []),
      ];
      for (const roster of rosters)
        for (const level of source.level ? [source.level] : (['primary', 'secondary'] as const))
          for (const id of roster[level]?.users ?? []) users.add(id);
    }
    return [...users];
  }

  jobs(): JobDefinition<never>[] {
    return [
      defineJob({
        kind: USERGROUP_JOB,
        payload: z.object({ groupId: z.string() }),
        failure: { what: 'update an on-call Slack user group' },
        run: async ({ groupId }, { now, job }) => this.sync(groupId, now, job.key),
      }),
    ] as JobDefinition<never>[];
  }

  private async sync(groupId: string, now: number, jobKey: string): Promise<unknown> {
    const group = this.groups.find((g) => g.id === groupId);
    if (!group) return { skipped: 'user group no longer configured' };
    const wanted = this.desired(group, now);
    // Everyone configured is checked (so a broken roster entry is named before its shift comes),
    // at least everyone who should be in the group now.
    const unusable: string[] = [];
    for (const id of new Set([...wanted, ...this.configured(group)]))
      if (!(await this.deps.people.profile(id)).usable) unusable.push(id);
    const channel = this.opsChannel(group);
    if (unusable.length > 0 && channel) {
      this.deps.chat.post(
        { channel },
        msg(
          emoji('warning'),
          ` On-call user group @${group.handle}: `,
          join(
            unusable.map((u) => msg(code(u))),
            ', ',
          ),
          ' cannot be a member (unknown, deactivated or a bot). Fix the roster in the config.',
        ),
        `oncall-ug-unusable:${groupId}:${[...unusable].sort().join(',')}`,
      );
    }
    const members = wanted.filter((u) => !unusable.includes(u));
    if (members.length === 0) {
      if (channel)
        this.deps.chat.post(
          { channel },
          msg(
            emoji('warning'),
            ' ',
            bold(`@${group.handle} would be empty`),
            ': nobody usable is on call for it now, so I left its members as they are. Check the schedule (',
            code('/oncall'),
            ').',
          ),
          `oncall-ug-empty:${jobKey}`,
        );
      return { skipped: 'would empty the group', unusable };
    }
    const current = await this.deps.groups.membersOf(groupId);
    if (sameSet(current, members)) return { unchanged: members };
    await this.deps.groups.setMembers(groupId, members);
    return { updated: members, was: current };
  }

  private opsChannel(group: GroupConfig): string | undefined {
    const { schedule } = this.deps;
    if (schedule.config.opsChannel) return schedule.config.opsChannel;
    for (const s of group.sources) {
      const channel = schedule.team(s.team)?.channel;
      if (channel) return channel;
    }
    return undefined;
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}
