-- The firing members of each incident. A resolve asks "is anything of this incident still
-- firing?" and must not read every member to answer: an incident of a busy cluster collects
-- tens of thousands of resolved members over weeks, and reading them all on every resolve made
-- intake quadratic (the long-run benchmark spent half its CPU there).
CREATE INDEX incident_alarms_firing ON incident_alarms (incident_id) WHERE status = 'firing';
