// All outreach detectors of one tenant in one call, and how much history they need. The caller
// (the outreach capability) reads `now` once, loads lookbackMs(settings) of incidents and alarm
// events, runs this, and drafts each finding whose key it has not seen yet.
import { detectCapacity } from './capacity.js';
import { detectImpact } from './impact.js';
import { detectPerformance } from './performance.js';
import { detectRecurring } from './recurring.js';
import { byKey } from './stream.js';
import {
  DAY_MS,
  type DetectorSettings,
  type Finding,
  HOUR_MS,
  MINUTE_MS,
  type OutreachStream,
} from './types.js';

/** Findings of every enabled detector, sorted by key. */
export function runDetectors(settings: DetectorSettings, stream: OutreachStream, now: number): Finding[] {
  return [
    ...(settings.impact.enabled ? detectImpact(settings.impact, stream, now) : []),
    ...(settings.recurring.enabled ? detectRecurring(settings.recurring, stream, now) : []),
    ...(settings.capacity.enabled ? detectCapacity(settings.capacity, stream, now) : []),
    ...(settings.performance.enabled ? detectPerformance(settings.performance, stream, now) : []),
  ].sort(byKey);
}

/**
 * History the enabled detectors read, ending at now: recurring keys look at the window before
 * the aligned one (so twice the window), performance compares with `priorDays` earlier days.
 */
export function lookbackMs(settings: DetectorSettings): number {
  const { impact, recurring, capacity, performance } = settings;
  return Math.max(
    impact.enabled ? impact.maxAgeMinutes * MINUTE_MS : 0,
    recurring.enabled
      ? 2 * Math.max(recurring.componentWindowMinutes, recurring.nodeWindowMinutes) * MINUTE_MS
      : 0,
    capacity.enabled ? capacity.lookbackDays * DAY_MS : 0,
    performance.enabled ? performance.priorDays * DAY_MS + performance.windowHours * HOUR_MS : 0,
  );
}
