// The triage policy the services use: the validated `triage:` config in milliseconds.
export type { TriagePolicy } from '../../config/triage-schema.js';
