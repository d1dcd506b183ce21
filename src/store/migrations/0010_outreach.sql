-- Proactive outreach (issue 11): drafts a detector (or a promised update, or a resolution) wrote
-- for a human to approve, what happened to each (audit), the customer's own signals (a message
-- in the shared channel, a case they opened) and the staff overrides on who was first. A draft's
-- `finding_key` is the detector's finding key (or update:/closing: keys): the same trouble seen on
-- the next detection cycle finds its draft and drafts nothing new. Additive only.

CREATE TABLE outreach_drafts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id      TEXT    NOT NULL,
  incident_id    INTEGER REFERENCES incidents (id),
  finding_key    TEXT    NOT NULL UNIQUE,
  kind           TEXT    NOT NULL CHECK (kind IN ('initial', 'update', 'closing')),
  detector       TEXT,                -- impact | recurring | capacity | performance; NULL for update/closing
  category       TEXT    NOT NULL,
  cluster        TEXT    NOT NULL,
  observation    TEXT    NOT NULL,   -- the detector's sentence, shown to the approver only
  text           TEXT    NOT NULL,   -- what would be posted (the template, as edited by the approver)
  status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'sent', 'discarded', 'expired', 'retracted')),
  generation     INTEGER NOT NULL DEFAULT 0,  -- bumped by snooze: reminders/expiry of older generations are void
  send_attempt   INTEGER NOT NULL DEFAULT 0,  -- bumped per approval: the send job key
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  ops_channel    TEXT    NOT NULL,
  ops_ts         TEXT,
  approved_by    TEXT,
  approved_at    INTEGER,
  send_at        INTEGER,            -- held by quiet hours / rate limit until then
  sent_channel   TEXT,
  sent_ts        TEXT,
  sent_at        INTEGER,
  next_update_at INTEGER,
  last_error     TEXT
);
CREATE INDEX outreach_drafts_tenant ON outreach_drafts (tenant_id, created_at);
CREATE INDEX outreach_drafts_incident ON outreach_drafts (incident_id);

CREATE TABLE outreach_audit (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  draft_id  INTEGER NOT NULL REFERENCES outreach_drafts (id),
  at        INTEGER NOT NULL,
  actor     TEXT,                    -- Slack user id; NULL for the bot
  action    TEXT    NOT NULL,        -- created | edited | snoozed | discarded | approved | sent | corrected | retracted | expired | failed | reminded
  detail    TEXT                     -- JSON (previous text of an edit or correction, the error of a failure)
);
CREATE INDEX outreach_audit_draft ON outreach_audit (draft_id, at);

CREATE TABLE outreach_signals (
  id            TEXT    PRIMARY KEY, -- slack:<channel>:<ts> | sf:<case id>
  tenant_id     TEXT    NOT NULL,
  at            INTEGER NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('customer-message', 'customer-case')),
  text          TEXT    NOT NULL,
  cluster_hints TEXT    NOT NULL,    -- JSON string[]
  link          TEXT
);
CREATE INDEX outreach_signals_tenant ON outreach_signals (tenant_id, at);

CREATE TABLE outreach_overrides (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  kind        TEXT    NOT NULL CHECK (kind IN ('customer-reported', 'not-related')),
  at          INTEGER NOT NULL,
  actor       TEXT    NOT NULL
);
CREATE INDEX outreach_overrides_incident ON outreach_overrides (incident_id);
