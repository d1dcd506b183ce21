-- Links from incidents to the outside systems (the Salesforce case, the Jira/Orion issue) and
-- what we last saw of them there; plus a small key-value table for poll watermarks.
CREATE TABLE incident_links (
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  system       TEXT    NOT NULL CHECK (system IN ('salesforce', 'jira')),
  external_id  TEXT    NOT NULL,   -- Salesforce Case Id (500…) or Jira issue id
  ref          TEXT    NOT NULL,   -- what people read: case number 00001234, issue key ORION-12
  url          TEXT    NOT NULL,
  status       TEXT,
  owner        TEXT,
  priority     TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (incident_id, system)
);
CREATE UNIQUE INDEX incident_links_ref ON incident_links (system, ref);

CREATE TABLE kv (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
