// Proactive outreach, the pure part: detectors over the incident and alarm stream, message
// templates, quiet hours and rate limit, and the "who was first" measurement. The outreach
// capability (drafts, approval, Slack) is built on these; see docs/outreach.md.
export * from './capacity.js';
export * from './defaults.js';
export * from './detect.js';
export * from './first-contact.js';
export * from './impact.js';
export * from './pacing.js';
export * from './performance.js';
export * from './recurring.js';
export { compareEvents, firingTransitions, nodeOf } from './stream.js';
export * from './templates.js';
export * from './types.js';
