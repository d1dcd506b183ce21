-- Every request Slack delivers (HTTP or Socket Mode) is written here before it is
-- acknowledged. The key is Slack's event_id (or trigger_id / envelope id), so a re-delivery
-- (X-Slack-Retry-Num, Socket Mode retry_attempt) hits the primary key and becomes a no-op.
-- processed_at stays NULL until the listeners have run, so a delivery that was acked but
-- interrupted by a crash is replayed at the next start instead of being lost.
CREATE TABLE slack_inbound (
  delivery_key TEXT    PRIMARY KEY,
  kind         TEXT    NOT NULL,   -- event_callback | slash_command | interactive | ...
  transport    TEXT    NOT NULL,   -- http | socket
  received_at  INTEGER NOT NULL,
  retries_seen INTEGER NOT NULL DEFAULT 0,
  body         TEXT    NOT NULL,   -- JSON, as received
  processed_at INTEGER
);

CREATE INDEX slack_inbound_received ON slack_inbound (received_at);
CREATE INDEX slack_inbound_unprocessed ON slack_inbound (received_at) WHERE processed_at IS NULL;
