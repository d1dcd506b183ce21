-- The durable job table: the one mechanism for everything that must happen later or must
-- reach an outside system (Slack/Salesforce/Jira calls, reminders, handoffs, retries).
-- idempotency_key is UNIQUE so enqueueing the same logical action twice is a no-op, and a
-- finished job keeps its key so a replay after a crash cannot run it again.
-- lane serialises jobs that must happen in order (e.g. messages to one channel).
CREATE TABLE jobs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT    NOT NULL,
  payload         TEXT    NOT NULL,            -- JSON
  idempotency_key TEXT    NOT NULL UNIQUE,
  lane            TEXT,
  run_at          INTEGER NOT NULL,            -- epoch ms
  status          TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  max_attempts    INTEGER NOT NULL,
  last_error      TEXT,
  result          TEXT,                        -- JSON, what the handler returned
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_lane ON jobs (lane, status, id) WHERE lane IS NOT NULL;
