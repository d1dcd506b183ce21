// The triage path runs its statements once per alarm or per transaction, against tables that grow
// with every storm (a storm's incident holds thousands of members). A statement that walks such a
// table, or all firing members, makes triage quadratic in the storm, and SQLite's planner can pick
// that plan silently when two partial indexes fit (anySource read every firing member this way).
// So every statement these stores prepare is checked against its query plan.
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmStore } from '../../../src/store/alarm-store.js';
import { openDatabase } from '../../../src/store/db.js';
import { IncidentStore } from '../../../src/store/incident-store.js';
import { TriageInbox } from '../../../src/store/triage-inbox.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

/** Values for a statement's parameters, positional (?) and named (@x, :x, $x), for EXPLAIN. */
function dummyParameters(sql: string): unknown[] {
  const positional = (sql.match(/\?/g) ?? []).map(() => 0);
  const names = [...sql.matchAll(/[@:$]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
  return names.length > 0 ? [Object.fromEntries(names.map((n) => [n, 0])), ...positional] : positional;
}

function plansOfStores(): Array<{ sql: string; plan: string[] }> {
  const t = tempDir();
  temps.push(t);
  const db = openDatabase(t.dbPath);
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  new AlarmStore(db);
  new IncidentStore(db);
  new TriageInbox(db);
  db.prepare = prepare;
  const plans = prepared
    .filter((sql) => /^\s*(SELECT|UPDATE|DELETE|WITH)/i.test(sql))
    .map((sql) => ({
      sql: sql.replace(/\s+/g, ' ').trim(),
      plan: (
        prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...dummyParameters(sql)) as Array<{ detail: string }>
      ).map((r) => r.detail),
    }));
  db.close();
  return plans;
}

/** Whole-table counts, asked at start (what a crash left to triage) and by status, never per alarm. */
const COUNTS_OFF_THE_HOT_PATH =
  /^SELECT COUNT\(\*\) AS n FROM (raw_alarms|triage_pending)( WHERE attempts [<>]=? \?)?$/;

describe('query plans of the triage path', () => {
  const plans = plansOfStores();

  it('found the statements to check', () => {
    expect(plans.length).toBeGreaterThan(20);
  });

  it('never walks the members, the raw alarms or the queue, except through the small sources index', () => {
    const walks = plans.filter(
      ({ sql, plan }) =>
        !COUNTS_OFF_THE_HOT_PATH.test(sql) &&
        plan.some(
          (step) =>
            /^SCAN (incident_alarms|raw_alarms|alarm_events|triage_pending|timeline)\b/.test(step) &&
            !step.includes('USING INDEX incident_alarms_sources'),
        ),
    );
    expect(walks).toEqual([]);
  });
});
