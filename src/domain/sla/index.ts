// The SLA domain: contract terms, response clocks and monthly reports. Pure; see docs/sla.md.
export * from './calendar.js';
export * from './clock.js';
export * from './policy.js';
export * from './report.js';
export * from './types.js';
