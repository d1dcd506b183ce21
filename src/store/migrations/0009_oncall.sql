-- On-call (issue 9). The schedule itself lives in the config file; what people change in Slack
-- lives here so it survives restarts and is effective everywhere at once: overrides and swaps
-- (a swap is two overrides sharing a pair id), swap requests with their Take it button, handoff
-- notes and weekend plans, an audit of every change, the pages each engineer received (the
-- on-call load report counts them) and the secret token of each calendar feed. Additive: new
-- tables only, nothing existing changes.
CREATE TABLE oncall_overrides (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team TEXT NOT NULL,
  level TEXT NOT NULL,
  user_id TEXT NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  replaces TEXT,
  kind TEXT NOT NULL,
  pair_id INTEGER,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  cancelled_by TEXT,
  cancelled_at INTEGER
);
CREATE INDEX oncall_overrides_live ON oncall_overrides (to_ms) WHERE cancelled_at IS NULL;

CREATE TABLE oncall_swap_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team TEXT NOT NULL,
  level TEXT NOT NULL,
  requester TEXT NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  taken_by TEXT,
  taken_at INTEGER,
  override_id INTEGER
);

CREATE TABLE oncall_notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team TEXT NOT NULL,
  kind TEXT NOT NULL, -- note: for the next shift handoff; plan: for the next weekend handoff
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_by TEXT -- the handoff post (job key) that carried it
);

CREATE TABLE oncall_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);

CREATE TABLE oncall_pages (
  key TEXT PRIMARY KEY, -- the notification's identity (card:<incident>, repeat:<incident>:<n>): counted once
  incident_id INTEGER NOT NULL,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  severity INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX oncall_pages_at ON oncall_pages (at);

CREATE TABLE oncall_feed_tokens (
  feed TEXT PRIMARY KEY, -- schedule:<team> or person:<user id>
  token TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
