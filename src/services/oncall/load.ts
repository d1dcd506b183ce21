// On-call load for a team (or everyone) over a period: the engine's shifts (overrides
// included) plus the pages recorded when cards and reminders addressed someone. Each person's
// working hours are read in their home zone: the zone of the first region whose roster names
// them (then the weekend layer's zone, then UTC), so the report needs no Slack lookups and the
// weekly digest can render it synchronously.
import { LEVELS, type LoadReport, onCallLoad, type Shift } from '../../domain/oncall/index.js';
import type { OncallStore } from '../../store/oncall-store.js';
import type { ScheduleService } from './schedule.js';

export class LoadService {
  constructor(
    private readonly schedule: ScheduleService,
    private readonly store: OncallStore,
  ) {}

  /** Load of `team`'s people (every team when undefined) over [from, to). */
  report(team: string | undefined, from: number, to: number): LoadReport {
    const teams = team ? [team] : this.schedule.teamIds();
    const shifts: Shift[] = [];
    const people = new Set<string>();
    const tenants = new Set<string>();
    for (const id of teams) {
      const all = this.schedule.shifts(id, from, to);
      for (const level of LEVELS) shifts.push(...all[level]);
      for (const user of this.rostered(id)) people.add(user);
      for (const tenant of this.schedule.tenantsOf(id)) tenants.add(tenant);
    }
    const pages = this.store.pages(from, to).filter((p) => tenants.has(p.tenantId) || people.has(p.userId));
    return onCallLoad({ from, to, shifts, pages, people: [...people], zoneOf: (u) => this.homeZone(u) });
  }

  /** Everyone on a roster of the team (regional and weekend; tenant layers are on-site people too). */
  rostered(team: string): string[] {
    const t = this.schedule.team(team);
    if (!t) return [];
    const rosters = [...Object.values(t.regions), ...(t.weekend ? [t.weekend] : []), ...t.tenantLayers];
    return [...new Set(rosters.flatMap((r) => LEVELS.flatMap((l) => r[l]?.users ?? [])))];
  }

  homeZone(userId: string): string {
    const config = this.schedule.config;
    for (const team of config.teams) {
      for (const [region, roster] of Object.entries(team.regions)) {
        if (LEVELS.some((l) => roster[l]?.users.includes(userId)) || roster.manager === userId)
          return config.regions.find((r) => r.name === region)?.zone ?? 'UTC';
      }
    }
    for (const team of config.teams) {
      if (team.weekend && LEVELS.some((l) => team.weekend?.[l]?.users.includes(userId)))
        return team.weekend.zone;
      const layer = team.tenantLayers.find((t) => LEVELS.some((l) => t[l]?.users.includes(userId)));
      if (layer) return layer.zone;
    }
    return 'UTC';
  }
}
