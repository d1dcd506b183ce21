-- Alarm triage: raw alarms as received (the evidence, stored before any ack), incidents that
-- group them, each incident's member alarms by fingerprint, the timeline that SLA reports are
-- built from, and silences. Suppressed (inhibited/silenced) alarms are rows too: never dropped.

CREATE TABLE raw_alarms (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT    NOT NULL,
  source      TEXT    NOT NULL CHECK (source IN ('slack', 'alertmanager', 'vms')),
  dedupe_key  TEXT    NOT NULL UNIQUE,   -- slack:<channel>:<ts> | am:<fingerprint>:<startsAt>:<status> | vms:<sha256>
  origin      TEXT,                      -- Slack channel/ts, or the webhook's request id
  received_at INTEGER NOT NULL,
  body        TEXT    NOT NULL
);

CREATE TABLE incidents (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id          TEXT    NOT NULL,
  group_key          TEXT    NOT NULL,
  cluster            TEXT    NOT NULL,
  category           TEXT    NOT NULL,
  severity           INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
  severity_locked    INTEGER NOT NULL DEFAULT 0,  -- a human set it: alarms no longer lower it
  title              TEXT    NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  channel            TEXT    NOT NULL,            -- the alarm channel its card lives in
  opened_at          INTEGER NOT NULL,
  last_alarm_at      INTEGER NOT NULL,
  acknowledged_by    TEXT,
  acknowledged_at    INTEGER,
  resolved_by        TEXT,
  resolved_at        INTEGER,
  resolve_due_at     INTEGER,                     -- all alarms resolved: auto-resolve after the quiet period
  flapping           INTEGER NOT NULL DEFAULT 0,
  card_ts            TEXT,
  card_posted_at     INTEGER,
  card_rendered_at   INTEGER,
  version            INTEGER NOT NULL DEFAULT 1,  -- bumped on every change the card shows
  rendered_version   INTEGER NOT NULL DEFAULT 0,
  repeats_sent       INTEGER NOT NULL DEFAULT 0
);
-- One open incident per group: a new alarm joins it instead of opening another.
CREATE UNIQUE INDEX incidents_open_group ON incidents (tenant_id, group_key) WHERE status != 'resolved';
CREATE INDEX incidents_card ON incidents (channel, card_ts);

CREATE TABLE incident_alarms (
  incident_id    INTEGER NOT NULL REFERENCES incidents (id),
  fingerprint    TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  component_kind TEXT    NOT NULL,
  component_id   TEXT    NOT NULL,
  severity       INTEGER NOT NULL,
  summary        TEXT    NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('firing', 'resolved')),
  suppressed_by  TEXT,             -- inhibited:<rule> (joined to the inhibiting incident) | silence:<id>
  labels         TEXT    NOT NULL, -- JSON, the label set used for matching
  first_seen     INTEGER NOT NULL,
  last_seen      INTEGER NOT NULL,
  occurrences    INTEGER NOT NULL DEFAULT 1,
  transitions    TEXT    NOT NULL DEFAULT '[]',  -- JSON epoch ms of firing<->resolved changes (flapping)
  PRIMARY KEY (incident_id, fingerprint)
);
CREATE INDEX incident_alarms_fingerprint ON incident_alarms (fingerprint);

-- Every normalized alarm occurrence, incident or not (unclassified ones feed the daily digest).
CREATE TABLE alarm_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  raw_id        INTEGER NOT NULL REFERENCES raw_alarms (id),
  tenant_id     TEXT    NOT NULL,
  incident_id   INTEGER REFERENCES incidents (id),
  fingerprint   TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  severity      INTEGER NOT NULL,
  category      TEXT    NOT NULL,
  cluster       TEXT    NOT NULL,
  format        TEXT    NOT NULL,
  summary       TEXT    NOT NULL,
  suppressed_by TEXT,
  received_at   INTEGER NOT NULL
);
CREATE INDEX alarm_events_tenant_time ON alarm_events (tenant_id, received_at);
CREATE INDEX alarm_events_unclassified ON alarm_events (tenant_id, received_at) WHERE category = 'unclassified';

CREATE TABLE timeline (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  at          INTEGER NOT NULL,
  kind        TEXT    NOT NULL,   -- opened | alarm | ack | severity | escalation | case | silence | resolve | comment | repeat | flapping
  actor       TEXT,               -- Slack user id; NULL for the bot
  text        TEXT    NOT NULL,
  data        TEXT                -- JSON details
);
CREATE INDEX timeline_incident ON timeline (incident_id, at);

CREATE TABLE silences (
  id          TEXT    PRIMARY KEY,  -- short id people type: S-xxxx
  tenant_id   TEXT,                 -- NULL: all tenants (staff only)
  matchers    TEXT    NOT NULL,     -- JSON Matcher[]
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  created_by  TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  expired_by  TEXT,                 -- who ended it early
  hits        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX silences_active ON silences (ends_at);
