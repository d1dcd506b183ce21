-- Timeline entries keep what was said as a structured message (JSON runs: text, mentions,
-- links), so each edge renders it in its own markup: mrkdwn in Slack, `@Name` in Salesforce
-- comments. `text` stays, as plain text, for older readers and for search. Rows written before
-- this migration have no message; readers parse their mrkdwn text instead. Additive only.
ALTER TABLE timeline ADD COLUMN message TEXT;
