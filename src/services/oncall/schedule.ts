// The on-call schedule as every surface sees it: the configured schedule plus the overrides
// people made in Slack (read from the store, cached until the next change), so a handoff post,
// a user group, `/oncall`, a card and a reminder all ask the same engine with the same
// overrides and cannot disagree. Also the bridge from tenants to teams (tenants[].oncall.scheduleId)
// and the ResponderSource the kernel's `responders` uses once on-call is configured.
import type { OncallConfig } from '../../config/oncall-schema.js';
import {
  escalationChain,
  LEVELS,
  type Level,
  nextHandoffs,
  type OnCall,
  onCallAt,
  type Shift,
  shifts,
} from '../../domain/oncall/index.js';
import type { OncallStore, StoredOverride } from '../../store/oncall-store.js';
import type { ResponderLevel, ResponderSource } from '../responders.js';
import type { TenantDirectory } from '../tenant-directory.js';

export interface ScheduleDeps {
  schedule: OncallConfig;
  store: OncallStore;
  tenants: TenantDirectory;
  /** Who is paged when the schedule has nobody (a gap) or the tenant has no team: its contacts. */
  fallback: ResponderSource;
}

export class ScheduleService {
  private cached: StoredOverride[] | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly deps: ScheduleDeps) {}

  get config(): OncallConfig {
    return this.deps.schedule;
  }

  teamIds(): string[] {
    return this.deps.schedule.teams.map((t) => t.id);
  }

  team(id: string) {
    return this.deps.schedule.teams.find((t) => t.id === id);
  }

  /** Overrides in effect (not cancelled), in the order made. */
  overrides(): StoredOverride[] {
    this.cached ??= this.deps.store.liveOverrides();
    return this.cached;
  }

  /** An override was made or cancelled: every surface sees it from now on. */
  changed(): void {
    this.cached = undefined;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The team answering for a tenant: its scheduleId, else the team with a layer for it, else the only team. */
  teamOfTenant(tenantId: string): string | undefined {
    const explicit = this.deps.tenants.tenant(tenantId)?.oncall?.scheduleId;
    if (explicit) return explicit;
    const teams = this.deps.schedule.teams;
    const layered = teams.find((t) => t.tenantLayers.some((l) => l.tenant === tenantId));
    if (layered) return layered.id;
    return teams.length === 1 ? teams[0]?.id : undefined;
  }

  /** Tenants a team covers. */
  tenantsOf(team: string): string[] {
    return this.deps.tenants
      .all()
      .map((t) => t.id)
      .filter((id) => this.teamOfTenant(id) === team);
  }

  onCall(team: string, level: Level, at: number, tenantId?: string): OnCall | undefined {
    return onCallAt(this.deps.schedule, this.overrides(), team, level, at, { tenantId });
  }

  shifts(team: string, from: number, to: number, tenantId?: string): Record<Level, Shift[]> {
    return shifts(this.deps.schedule, this.overrides(), team, from, to, { tenantId });
  }

  /** Shifts as they were without `excluded` overrides (to tell who an override changed things for). */
  shiftsWithout(excluded: Set<string>, team: string, from: number, to: number): Record<Level, Shift[]> {
    const overrides = this.overrides().filter((o) => !excluded.has(o.id));
    return shifts(this.deps.schedule, overrides, team, from, to);
  }

  /** Boundaries in (after, until] where someone hands over (of one team, or of all). */
  handoffs(after: number, until: number, team?: string) {
    return nextHandoffs(this.deps.schedule, this.overrides(), after, until, { team });
  }

  chain(team: string, at: number, tenantId?: string): string[] {
    return escalationChain(this.deps.schedule, this.overrides(), team, at, { tenantId });
  }

  /** Levels the team staffs (has a roster for somewhere). */
  levelsOf(team: string): Level[] {
    const t = this.team(team);
    if (!t) return [];
    const rosters = [...Object.values(t.regions), ...(t.weekend ? [t.weekend] : []), ...t.tenantLayers];
    return LEVELS.filter((level) => rosters.some((r) => r[level] !== undefined));
  }

  /** The kernel's responder source: the engine for tenants with a team, contacts otherwise or in a gap. */
  responders(): ResponderSource {
    const responderFor = (tenantId: string, level: ResponderLevel, now: number): string | undefined => {
      const team = this.teamOfTenant(tenantId);
      if (!team) return this.deps.fallback.responderFor(tenantId, level, now);
      if (level === 'manager') {
        const chain = this.chain(team, now, tenantId);
        const staffed = LEVELS.map((l) => this.onCall(team, l, now, tenantId)?.userId);
        return chain.find((id) => !staffed.includes(id));
      }
      return (
        this.onCall(team, level, now, tenantId)?.userId ??
        this.deps.fallback.responderFor(tenantId, level, now)
      );
    };
    return {
      responderFor,
      chain: (tenantId, now) => {
        const out: Array<{ level: ResponderLevel; userId: string }> = [];
        for (const level of ['primary', 'secondary', 'manager'] as const) {
          const userId = responderFor(tenantId, level, now);
          if (userId && !out.some((r) => r.userId === userId)) out.push({ level, userId });
        }
        return out;
      },
    };
  }
}
