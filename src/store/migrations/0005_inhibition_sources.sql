-- Only alarms that match some inhibition rule's source side can inhibit others. Marking them
-- when they join lets intake read just those (usually none or one) instead of every firing
-- member of every open incident, which made a storm's cost grow with the square of its size.
ALTER TABLE incident_alarms ADD COLUMN can_inhibit INTEGER NOT NULL DEFAULT 0;
CREATE INDEX incident_alarms_sources ON incident_alarms (incident_id) WHERE can_inhibit = 1 AND status = 'firing';
