-- Retention (bounded disk) and the scheduler under a backlog. Retention: pruning deletes old raw
-- alarms and resolved incidents in small batches. With foreign keys on, deleting a parent row makes SQLite look for children; without an
-- index on the child column that look-up scans the whole child table once per deleted row. These
-- indexes make each deleted row a B-tree probe, and find the oldest resolved incidents directly.
CREATE INDEX alarm_events_raw ON alarm_events (raw_id);
CREATE INDEX alarm_events_incident ON alarm_events (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX incidents_resolved ON incidents (resolved_at) WHERE status = 'resolved';

-- The scheduler under a backlog: "which jobs are due" must cost per lane, not per pending job.
-- Active jobs of each lane in order (the lane's head is found by a seek, lanes are enumerated by
-- skipping from one to the next), and due jobs outside any lane by run time.
CREATE INDEX jobs_active_lane ON jobs (lane, id) WHERE lane IS NOT NULL AND status IN ('pending', 'running');
CREATE INDEX jobs_due_unlaned ON jobs (run_at, id) WHERE status = 'pending' AND lane IS NULL;
