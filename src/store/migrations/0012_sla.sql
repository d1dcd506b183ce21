-- Response clocks (issue 10). A clock is recomputed from the incident's timeline whenever it is
-- needed (src/domain/sla/clock.ts); these tables hold what the timeline cannot: an index of the
-- clocks (for /sla, reports and the handoff, so nobody scans every incident), the notices sent
-- (each reminder and breach once: its key is the job's idempotency key, and the row is the
-- evidence that it went out and when), and breach records, which never change once written.
-- Additive only.

CREATE TABLE sla_clocks (
  incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id),
  tenant_id    TEXT    NOT NULL,
  clock_id     TEXT    NOT NULL,  -- the running clock (an upgrade restarts it under a new id)
  severity     INTEGER NOT NULL,  -- the severity whose target governs it
  started_at   INTEGER NOT NULL,  -- the incident's first clock start: the report month
  status       TEXT    NOT NULL CHECK (status IN ('running', 'paused', 'outside-coverage', 'breached', 'responded', 'closed')),
  due_at       INTEGER,           -- NULL while paused
  updated_at   INTEGER NOT NULL
);
CREATE INDEX sla_clocks_active ON sla_clocks (tenant_id, due_at) WHERE status IN ('running', 'paused', 'outside-coverage', 'breached');
CREATE INDEX sla_clocks_month ON sla_clocks (tenant_id, started_at);

CREATE TABLE sla_notices (
  key            TEXT    PRIMARY KEY, -- sla-remind:<clockId>:<minutes> | sla-breach:<clockId>
  incident_id    INTEGER NOT NULL REFERENCES incidents (id),
  clock_id       TEXT    NOT NULL,
  kind           TEXT    NOT NULL CHECK (kind IN ('reminder', 'breach')),
  offset_minutes REAL    NOT NULL,
  due_at         INTEGER NOT NULL,
  sent_at        INTEGER NOT NULL,
  notified       TEXT    NOT NULL    -- JSON [{ role, userId }]
);
CREATE INDEX sla_notices_incident ON sla_notices (incident_id);

CREATE TABLE sla_breaches (
  clock_id     TEXT    PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  tenant_id    TEXT    NOT NULL,
  severity     INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  target_ms    INTEGER NOT NULL,
  breach_at    INTEGER NOT NULL,
  recorded_at  INTEGER NOT NULL,
  evidence     TEXT    NOT NULL      -- JSON: first alarm, clock start, pauses, reminders sent, who was told
);
CREATE INDEX sla_breaches_tenant ON sla_breaches (tenant_id, breach_at);
-- A breach is evidence: written once, never changed (retention may delete it after its period).
CREATE TRIGGER sla_breaches_immutable BEFORE UPDATE ON sla_breaches
BEGIN
  SELECT RAISE(ABORT, 'SLA breach records are immutable');
END;
