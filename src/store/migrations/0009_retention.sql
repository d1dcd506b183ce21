-- Retention (bounded disk): pruning deletes old raw alarms and resolved incidents in small
-- batches. With foreign keys on, deleting a parent row makes SQLite look for children; without an
-- index on the child column that look-up scans the whole child table once per deleted row. These
-- indexes make each deleted row a B-tree probe, and find the oldest resolved incidents directly.
CREATE INDEX alarm_events_raw ON alarm_events (raw_id);
CREATE INDEX alarm_events_incident ON alarm_events (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX incidents_resolved ON incidents (resolved_at) WHERE status = 'resolved';
