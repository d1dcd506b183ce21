-- Every firing alarm asks "is this fingerprint already in an open incident?". Indexing the
-- fingerprint together with the incident lets SQLite answer newest-first straight from the index
-- instead of sorting matches in a temporary B-tree on the hot path.
DROP INDEX incident_alarms_fingerprint;
CREATE INDEX incident_alarms_fingerprint ON incident_alarms (fingerprint, incident_id);
