// Migrations tested the way production meets them: a database at the previous schema, with
// rows the previous version wrote, upgraded in place and read by the current code.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mention, msg } from '../../../src/domain/message.js';
import { migrate, openDatabase, readMigrations } from '../../../src/store/db.js';
import { IncidentStore } from '../../../src/store/incident-store.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const OPENED_AT = Date.parse('2026-11-26T09:00:00Z');

/** A database file at schema 0006 holding one incident and its timeline as the previous version wrote it. */
function previousVersionDatabase(): { path: string; incidentId: number } {
  const t = tempDir();
  temps.push(t);
  const old = new Database(t.dbPath);
  const previous = readMigrations().filter((m) => m.version <= 6);
  expect(migrate(old, previous, OPENED_AT)).toEqual([1, 2, 3, 4, 5, 6]);
  const incident = old
    .prepare(
      `INSERT INTO incidents (tenant_id, group_key, cluster, category, severity, title, status, channel, opened_at, last_alarm_at)
       VALUES ('nimbus', 'tenant=nimbus|cluster=sjc-obj-01|category=storage-node', 'sjc-obj-01', 'storage-node', 1,
               'D-node dnode-3 is not responding', 'acknowledged', 'C0NIMBALRM', ?, ?)`,
    )
    .run(OPENED_AT, OPENED_AT);
  const incidentId = Number(incident.lastInsertRowid);
  const addTimeline = old.prepare(
    'INSERT INTO timeline (incident_id, at, kind, actor, text, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // What 0006-era code stored: Slack mrkdwn in `text`, nothing structured.
  addTimeline.run(incidentId, OPENED_AT + 180_000, 'ack', 'U1', 'Acknowledged by <@U1> after 3m', null);
  addTimeline.run(
    incidentId,
    OPENED_AT + 240_000,
    'escalation-opened',
    null,
    'Escalated: <https://jira.example/browse/ORION-7|ORION-7> &amp; linked',
    '{"key":"ORION-7"}',
  );
  old.close();
  return { path: t.dbPath, incidentId };
}

describe('migration 0007 on a database from the previous version', () => {
  it('adds the message column and keeps every row the previous version wrote', () => {
    const { path, incidentId } = previousVersionDatabase();
    const db = new Database(path);
    try {
      // Only 0007 is pending; it is additive, so nothing the previous version wrote changes.
      expect(
        migrate(
          db,
          readMigrations().filter((m) => m.version <= 7),
        ),
      ).toEqual([7]);
      // 0008 (omitted_alarms) on top, with the same data: existing incidents read 0.
      expect(
        migrate(
          db,
          readMigrations().filter((m) => m.version <= 8),
        ),
      ).toEqual([8]);
      expect(db.prepare('SELECT omitted_alarms FROM incidents').all()).toEqual([{ omitted_alarms: 0 }]);
      const rows = db
        .prepare('SELECT text, message FROM timeline WHERE incident_id = ? ORDER BY id')
        .all(incidentId);
      expect(rows).toEqual([
        { text: 'Acknowledged by <@U1> after 3m', message: null },
        { text: 'Escalated: <https://jira.example/browse/ORION-7|ORION-7> &amp; linked', message: null },
      ]);
      expect(new IncidentStore(db).get(incidentId)).toMatchObject({ status: 'acknowledged', severity: 1 });
    } finally {
      db.close();
    }
  });

  it('reads an old mrkdwn timeline row as runs: the mention is a mention run and the text reads @U1', () => {
    const { path, incidentId } = previousVersionDatabase();
    const db = openDatabase(path);
    try {
      const [ack, escalated] = new IncidentStore(db).timeline(incidentId);
      expect(ack).toMatchObject({ kind: 'ack', actor: 'U1', at: OPENED_AT + 180_000, data: undefined });
      expect(ack?.message).toEqual([{ text: 'Acknowledged by ' }, { mention: 'U1' }, { text: ' after 3m' }]);
      expect(ack?.text).toBe('Acknowledged by @U1 after 3m');

      // Links and escapes of old rows come back as what people saw.
      expect(escalated?.message).toEqual([
        { text: 'Escalated: ' },
        { link: 'https://jira.example/browse/ORION-7', label: 'ORION-7' },
        { text: ' & linked' },
      ]);
      expect(escalated?.text).toBe('Escalated: ORION-7 (https://jira.example/browse/ORION-7) & linked');
      expect(escalated?.data).toEqual({ key: 'ORION-7' });
    } finally {
      db.close();
    }
  });

  it('stores a new entry with its structured message, which round-trips beside the old rows', () => {
    const { path, incidentId } = previousVersionDatabase();
    const db = openDatabase(path);
    try {
      const store = new IncidentStore(db);
      const message = msg('Resolved by ', mention('U2'), ' — see ', {
        link: 'https://x.example/a',
        label: 'graph',
      });
      const written = store.addTimeline({
        incidentId,
        at: OPENED_AT + 600_000,
        kind: 'resolve',
        actor: 'U2',
        message,
        data: { firing: 0 },
      });
      expect(written.text).toBe('Resolved by @U2 — see graph (https://x.example/a)');
      const raw = db.prepare('SELECT text, message FROM timeline WHERE id = ?').get(written.id) as {
        text: string;
        message: string;
      };
      expect(JSON.parse(raw.message)).toEqual(message);

      const entries = store.timeline(incidentId);
      expect(entries.map((e) => e.kind)).toEqual(['ack', 'escalation-opened', 'resolve']);
      expect(entries[2]).toEqual({
        id: written.id,
        incidentId,
        at: OPENED_AT + 600_000,
        kind: 'resolve',
        actor: 'U2',
        message,
        text: 'Resolved by @U2 — see graph (https://x.example/a)',
        data: { firing: 0 },
      });
    } finally {
      db.close();
    }
  });
});
