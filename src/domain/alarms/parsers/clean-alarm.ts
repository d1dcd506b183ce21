// The last step of every door (Slack message, Alertmanager webhook, VMS webhook): whatever a
// parser read, no field of the ParsedAlarm it hands on may carry a control character, a bidi
// control or a broken surrogate. Labels especially: they are stored, matched by rules, shown
// on cards and in Jira, and used in fingerprints, so `node\u202e3-edond` must not survive as
// a label that displays as something else. One function, so no parser can forget a field.
import type { ParsedAlarm } from '../types.js';
import { stripControls } from './text.js';

const OPTIONAL_TEXT = ['cluster', 'site', 'componentId', 'sourceSeverity', 'fingerprint'] as const;

/** A copy of `alarm` with every text field and every label key and value stripped of controls. */
export function cleanAlarm(alarm: ParsedAlarm): ParsedAlarm {
  const out: ParsedAlarm = {
    ...alarm,
    name: stripControls(alarm.name).trim() || 'unnamed',
    summary: stripControls(alarm.summary),
    labels: cleanLabels(alarm.labels),
  };
  for (const field of OPTIONAL_TEXT) {
    const value = alarm[field];
    if (value === undefined) continue;
    const clean = stripControls(value).trim();
    if (clean === '') delete out[field];
    else out[field] = clean;
  }
  return out;
}

/** Labels with clean keys and values; a key that is empty once clean, or already taken, is dropped. */
export function cleanLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const k = stripControls(key);
    if (k === '' || k === '__proto__' || Object.hasOwn(out, k)) continue;
    out[k] = stripControls(value);
  }
  return out;
}
