import { z } from 'zod';
import type { Db } from './db.js';

export type LinkSystem = 'salesforce' | 'jira';

const LinkRow = z.object({
  incident_id: z.number(),
  system: z.enum(['salesforce', 'jira']),
  external_id: z.string(),
  ref: z.string(),
  url: z.string(),
  status: z.string().nullable(),
  owner: z.string().nullable(),
  priority: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});

export interface IncidentLink {
  incidentId: number;
  system: LinkSystem;
  externalId: string;
  ref: string;
  url: string;
  status: string | null;
  owner: string | null;
  priority: string | null;
}

function toLink(row: unknown): IncidentLink {
  const r = LinkRow.parse(row);
  return {
    incidentId: r.incident_id,
    system: r.system,
    externalId: r.external_id,
    ref: r.ref,
    url: r.url,
    status: r.status,
    owner: r.owner,
    priority: r.priority,
  };
}

/** The case and issue each incident is linked to, and what those systems last said about them. */
export class LinkStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO incident_links (incident_id, system, external_id, ref, url, status, created_at, updated_at)
         VALUES (@incidentId, @system, @externalId, @ref, @url, @status, @now, @now)
         ON CONFLICT (incident_id, system) DO UPDATE SET external_id = @externalId, ref = @ref, url = @url, updated_at = @now`,
      ),
      get: db.prepare('SELECT * FROM incident_links WHERE incident_id = ? AND system = ?'),
      byRef: db.prepare('SELECT * FROM incident_links WHERE system = ? AND ref = ?'),
      byExternal: db.prepare('SELECT * FROM incident_links WHERE system = ? AND external_id = ?'),
      observe: db.prepare(
        `UPDATE incident_links SET status = @status, owner = @owner, priority = @priority, updated_at = @now
         WHERE incident_id = @incidentId AND system = @system`,
      ),
    };
  }

  save(link: Omit<IncidentLink, 'owner' | 'priority'>, now: number): void {
    this.s.upsert.run({ ...link, now });
  }

  get(incidentId: number, system: LinkSystem): IncidentLink | undefined {
    const row = this.s.get.get(incidentId, system);
    return row ? toLink(row) : undefined;
  }

  byRef(system: LinkSystem, ref: string): IncidentLink | undefined {
    const row = this.s.byRef.get(system, ref);
    return row ? toLink(row) : undefined;
  }

  byExternalId(system: LinkSystem, externalId: string): IncidentLink | undefined {
    const row = this.s.byExternal.get(system, externalId);
    return row ? toLink(row) : undefined;
  }

  /** Records what the outside system says now; returns the previous values. */
  observe(
    incidentId: number,
    system: LinkSystem,
    seen: { status: string | null; owner: string | null; priority: string | null },
    now: number,
  ): IncidentLink | undefined {
    const before = this.get(incidentId, system);
    this.s.observe.run({ incidentId, system, ...seen, now });
    return before;
  }
}
