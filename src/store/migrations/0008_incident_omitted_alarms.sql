-- Alertmanager caps the alerts of one notification (`max_alerts`) and reports how many it left
-- out in `truncatedAlerts`. The incident keeps the largest such count it was told about, so the
-- card can say that more alarms exist than it shows. Additive; 0 for every existing incident.
ALTER TABLE incidents ADD COLUMN omitted_alarms INTEGER NOT NULL DEFAULT 0;
