-- Webhook alarms stored and acknowledged but not yet triaged. The Alertmanager and VMS doors
-- answer 202 once the raw alarm (raw_alarms) and its row here are committed; triage then takes
-- these rows oldest first, in batches, and deletes each one in the same transaction that records
-- what became of its alarm. A crash in between leaves the row, and the next start triages it.
-- `parsed` is the alarm as the door read it (the webhook's group status is not in the raw alert).
CREATE TABLE triage_pending (
  raw_id     INTEGER PRIMARY KEY REFERENCES raw_alarms (id),
  parsed     TEXT    NOT NULL,
  channel    TEXT,
  omitted    INTEGER,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
