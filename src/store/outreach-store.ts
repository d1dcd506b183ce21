// Outreach drafts, their audit trail, the customer's own signals and the staff overrides on who
// was first (migration 0010). Rows are parsed with zod at the boundary; patches are camelCase.
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { Db } from './db.js';

export const DRAFT_STATUSES = ['pending', 'approved', 'sent', 'discarded', 'expired', 'retracted'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];
export type DraftKind = 'initial' | 'update' | 'closing';

const DraftRow = z.object({
  id: z.number(),
  tenant_id: z.string(),
  incident_id: z.number().nullable(),
  finding_key: z.string(),
  kind: z.enum(['initial', 'update', 'closing']),
  detector: z.string().nullable(),
  category: z.string(),
  cluster: z.string(),
  observation: z.string(),
  text: z.string(),
  status: z.enum(DRAFT_STATUSES),
  generation: z.number(),
  send_attempt: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
  ops_channel: z.string(),
  ops_ts: z.string().nullable(),
  approved_by: z.string().nullable(),
  approved_at: z.number().nullable(),
  send_at: z.number().nullable(),
  sent_channel: z.string().nullable(),
  sent_ts: z.string().nullable(),
  sent_at: z.number().nullable(),
  next_update_at: z.number().nullable(),
  last_error: z.string().nullable(),
});

export interface Draft {
  id: number;
  tenantId: string;
  incidentId: number | null;
  findingKey: string;
  kind: DraftKind;
  detector: string | null;
  category: string;
  cluster: string;
  observation: string;
  text: string;
  status: DraftStatus;
  generation: number;
  sendAttempt: number;
  createdAt: number;
  updatedAt: number;
  opsChannel: string;
  opsTs: string | null;
  approvedBy: string | null;
  approvedAt: number | null;
  sendAt: number | null;
  sentChannel: string | null;
  sentTs: string | null;
  sentAt: number | null;
  nextUpdateAt: number | null;
  lastError: string | null;
}

function toDraft(row: unknown): Draft {
  const r = DraftRow.parse(row);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    incidentId: r.incident_id,
    findingKey: r.finding_key,
    kind: r.kind,
    detector: r.detector,
    category: r.category,
    cluster: r.cluster,
    observation: r.observation,
    text: r.text,
    status: r.status,
    generation: r.generation,
    sendAttempt: r.send_attempt,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    opsChannel: r.ops_channel,
    opsTs: r.ops_ts,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    sendAt: r.send_at,
    sentChannel: r.sent_channel,
    sentTs: r.sent_ts,
    sentAt: r.sent_at,
    nextUpdateAt: r.next_update_at,
    lastError: r.last_error,
  };
}

export interface NewDraft {
  tenantId: string;
  incidentId: number | null;
  findingKey: string;
  kind: DraftKind;
  detector: string | null;
  category: string;
  cluster: string;
  observation: string;
  text: string;
  opsChannel: string;
  at: number;
}

export interface DraftPatch {
  text?: string;
  status?: DraftStatus;
  generation?: number;
  sendAttempt?: number;
  opsTs?: string | null;
  approvedBy?: string | null;
  approvedAt?: number | null;
  sendAt?: number | null;
  sentChannel?: string | null;
  sentTs?: string | null;
  sentAt?: number | null;
  nextUpdateAt?: number | null;
  lastError?: string | null;
}

const COLUMNS: Record<keyof DraftPatch, string> = {
  text: 'text',
  status: 'status',
  generation: 'generation',
  sendAttempt: 'send_attempt',
  opsTs: 'ops_ts',
  approvedBy: 'approved_by',
  approvedAt: 'approved_at',
  sendAt: 'send_at',
  sentChannel: 'sent_channel',
  sentTs: 'sent_ts',
  sentAt: 'sent_at',
  nextUpdateAt: 'next_update_at',
  lastError: 'last_error',
};

export interface AuditEntry {
  draftId: number;
  at: number;
  actor: string | null;
  action: string;
  detail: unknown;
}

export interface StoredSignal {
  id: string;
  tenantId: string;
  at: number;
  kind: 'customer-message' | 'customer-case';
  text: string;
  clusterHints: string[];
  link: string | null;
}

export interface StoredOverride {
  incidentId: number;
  kind: 'customer-reported' | 'not-related';
  at: number;
  actor: string;
}

export interface AlarmOccurrence {
  at: number;
  cluster: string;
  category: string;
  status: 'firing' | 'resolved';
  summary: string;
  componentKind: string;
  componentId: string;
  name: string;
  labels: Record<string, string>;
}

function toOccurrence(r: Record<string, unknown>): AlarmOccurrence {
  return {
    at: r.at as number,
    cluster: r.cluster as string,
    category: r.category as string,
    status: r.status as 'firing' | 'resolved',
    summary: r.summary as string,
    componentKind: r.component_kind as string,
    componentId: r.component_id as string,
    name: r.name as string,
    labels: JSON.parse(r.labels as string) as Record<string, string>,
  };
}

export class OutreachStore {
  private readonly s;
  private readonly updates = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO outreach_drafts (tenant_id, incident_id, finding_key, kind, detector, category, cluster,
           observation, text, status, created_at, updated_at, ops_channel)
         VALUES (@tenantId, @incidentId, @findingKey, @kind, @detector, @category, @cluster, @observation, @text,
           'pending', @at, @at, @opsChannel)
         ON CONFLICT (finding_key) DO NOTHING`,
      ),
      byId: db.prepare('SELECT * FROM outreach_drafts WHERE id = ?'),
      byKey: db.prepare('SELECT * FROM outreach_drafts WHERE finding_key = ?'),
      byIncident: db.prepare('SELECT * FROM outreach_drafts WHERE incident_id = ? ORDER BY id'),
      sentTimes: db.prepare(
        "SELECT sent_at FROM outreach_drafts WHERE tenant_id = ? AND sent_at IS NOT NULL AND sent_at > ? AND status IN ('sent', 'retracted')",
      ),
      ofTenant: db.prepare(
        'SELECT * FROM outreach_drafts WHERE tenant_id = ? AND created_at >= ? AND created_at < ? ORDER BY id',
      ),
      audit: db.prepare(
        'INSERT INTO outreach_audit (draft_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)',
      ),
      auditOf: db.prepare('SELECT * FROM outreach_audit WHERE draft_id = ? ORDER BY at, id'),
      insertSignal: db.prepare(
        `INSERT INTO outreach_signals (id, tenant_id, at, kind, text, cluster_hints, link)
         VALUES (@id, @tenantId, @at, @kind, @text, @clusterHints, @link) ON CONFLICT (id) DO NOTHING`,
      ),
      signals: db.prepare(
        'SELECT * FROM outreach_signals WHERE tenant_id = ? AND at >= ? AND at <= ? ORDER BY at',
      ),
      insertOverride: db.prepare(
        'INSERT INTO outreach_overrides (incident_id, kind, at, actor) VALUES (?, ?, ?, ?)',
      ),
      overrides: db.prepare('SELECT * FROM outreach_overrides WHERE incident_id = ? ORDER BY at, id'),
      recentIncidents: db.prepare(
        "SELECT id FROM incidents WHERE tenant_id = ? AND (opened_at >= ? OR status != 'resolved' OR resolved_at >= ?) ORDER BY id",
      ),
      openedBetween: db.prepare(
        'SELECT id FROM incidents WHERE tenant_id = ? AND opened_at >= ? AND opened_at < ? ORDER BY id',
      ),
      // Every occurrence, with what the incident knows of its alarm (component, labels, name).
      events: db.prepare(
        `SELECT e.received_at AS at, e.cluster, e.category, e.status, e.summary,
           m.component_kind, m.component_id, m.name, m.labels
         FROM alarm_events e JOIN incident_alarms m ON m.incident_id = e.incident_id AND m.fingerprint = e.fingerprint
         WHERE e.tenant_id = ? AND e.received_at > ? AND e.received_at <= ? ORDER BY e.received_at, e.id`,
      ),
      capacityEvents: db.prepare(
        `SELECT e.received_at AS at, e.cluster, e.category, e.status, e.summary,
           m.component_kind, m.component_id, m.name, m.labels
         FROM alarm_events e JOIN incident_alarms m ON m.incident_id = e.incident_id AND m.fingerprint = e.fingerprint
         WHERE e.tenant_id = ? AND e.received_at > ? AND e.received_at <= ?
           AND (e.category = 'capacity' OR m.component_kind = 'capacity') ORDER BY e.received_at, e.id`,
      ),
    };
  }

  /** The new draft, or undefined when a draft with this finding key already exists. */
  create(draft: NewDraft): Draft | undefined {
    const info = this.s.insert.run(draft);
    return info.changes === 1 ? this.get(Number(info.lastInsertRowid)) : undefined;
  }

  get(id: number): Draft | undefined {
    const row = this.s.byId.get(id);
    return row ? toDraft(row) : undefined;
  }

  byKey(key: string): Draft | undefined {
    const row = this.s.byKey.get(key);
    return row ? toDraft(row) : undefined;
  }

  forIncident(incidentId: number): Draft[] {
    return this.s.byIncident.all(incidentId).map(toDraft);
  }

  ofTenant(tenantId: string, from: number, to: number): Draft[] {
    return this.s.ofTenant.all(tenantId, from, to).map(toDraft);
  }

  /** When messages were posted to the tenant's customer channel after `since` (rate limit). */
  sentTimes(tenantId: string, since: number): number[] {
    return (this.s.sentTimes.all(tenantId, since) as Array<{ sent_at: number }>).map((r) => r.sent_at);
  }

  update(id: number, patch: DraftPatch, now: number): void {
    const sets = ['updated_at = @updated_at'];
    const values: Record<string, string | number | null> = { id, updated_at: now };
    for (const field of Object.keys(patch) as Array<keyof DraftPatch>) {
      const value = patch[field];
      if (value === undefined) continue;
      const column = COLUMNS[field];
      sets.push(`${column} = @${column}`);
      values[column] = value;
    }
    const sql = `UPDATE outreach_drafts SET ${sets.join(', ')} WHERE id = @id`;
    let statement = this.updates.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.updates.set(sql, statement);
    }
    statement.run(values);
  }

  audit(entry: AuditEntry): void {
    this.s.audit.run(
      entry.draftId,
      entry.at,
      entry.actor,
      entry.action,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
  }

  auditOf(draftId: number): AuditEntry[] {
    return (this.s.auditOf.all(draftId) as Array<Record<string, unknown>>).map((r) => ({
      draftId: r.draft_id as number,
      at: r.at as number,
      actor: (r.actor as string | null) ?? null,
      action: r.action as string,
      detail: r.detail ? JSON.parse(r.detail as string) : undefined,
    }));
  }

  /** True when the signal is new (a re-delivered Slack event or a repeated poll adds nothing). */
  addSignal(signal: StoredSignal): boolean {
    return (
      this.s.insertSignal.run({ ...signal, clusterHints: JSON.stringify(signal.clusterHints) }).changes === 1
    );
  }

  signals(tenantId: string, from: number, to: number): StoredSignal[] {
    return (this.s.signals.all(tenantId, from, to) as Array<Record<string, unknown>>).map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      at: r.at as number,
      kind: r.kind as StoredSignal['kind'],
      text: r.text as string,
      clusterHints: JSON.parse(r.cluster_hints as string) as string[],
      link: (r.link as string | null) ?? null,
    }));
  }

  /** Incidents opened since `since`, still open, or resolved since `since`. */
  recentIncidentIds(tenantId: string, since: number): number[] {
    return (this.s.recentIncidents.all(tenantId, since, since) as Array<{ id: number }>).map((r) => r.id);
  }

  incidentIdsOpenedBetween(tenantId: string, from: number, to: number): number[] {
    return (this.s.openedBetween.all(tenantId, from, to) as Array<{ id: number }>).map((r) => r.id);
  }

  /** Alarm occurrences of the tenant in (since, until] that joined an incident, oldest first. */
  alarmEvents(tenantId: string, since: number, until: number): AlarmOccurrence[] {
    return (this.s.events.all(tenantId, since, until) as Array<Record<string, unknown>>).map(toOccurrence);
  }

  /** Only the capacity alarms of (since, until] (the capacity fit looks back much further). */
  capacityEvents(tenantId: string, since: number, until: number): AlarmOccurrence[] {
    return (this.s.capacityEvents.all(tenantId, since, until) as Array<Record<string, unknown>>).map(
      toOccurrence,
    );
  }

  /**
   * Retention: up to `limit` rows older than `cutoff` of each table — drafts that are done with
   * (sent, discarded, expired, retracted; with their audit trail), customer signals and overrides.
   * Pending and approved drafts stay whatever their age.
   */
  prune(cutoff: number, limit: number): { deleted: number; more: boolean } {
    const drafts = this.db
      .prepare(
        `SELECT id FROM outreach_drafts WHERE updated_at < ? AND status NOT IN ('pending', 'approved') ORDER BY id LIMIT ?`,
      )
      .all(cutoff, limit) as Array<{ id: number }>;
    const deleteAudit = this.db.prepare('DELETE FROM outreach_audit WHERE draft_id = ?');
    const deleteDraft = this.db.prepare('DELETE FROM outreach_drafts WHERE id = ?');
    for (const { id } of drafts) {
      deleteAudit.run(id);
      deleteDraft.run(id);
    }
    const signals = this.db
      .prepare(
        'DELETE FROM outreach_signals WHERE rowid IN (SELECT rowid FROM outreach_signals WHERE at < ? LIMIT ?)',
      )
      .run(cutoff, limit).changes;
    const overrides = this.db
      .prepare(
        'DELETE FROM outreach_overrides WHERE rowid IN (SELECT rowid FROM outreach_overrides WHERE at < ? LIMIT ?)',
      )
      .run(cutoff, limit).changes;
    return {
      deleted: drafts.length + signals + overrides,
      more: drafts.length === limit || signals === limit || overrides === limit,
    };
  }

  addOverride(o: StoredOverride): void {
    this.s.insertOverride.run(o.incidentId, o.kind, o.at, o.actor);
  }

  overrides(incidentId: number): StoredOverride[] {
    return (this.s.overrides.all(incidentId) as Array<Record<string, unknown>>).map((r) => ({
      incidentId: r.incident_id as number,
      kind: r.kind as StoredOverride['kind'],
      at: r.at as number,
      actor: r.actor as string,
    }));
  }
}
