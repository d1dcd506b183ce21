// The incident card posted in a tenant's ops channel and updated in place as the incident moves.
// It must let the person woken at 3 a.m. act from the card alone: what, where, how bad, who,
// what is suppressed and why, and the buttons to act. Pure: the view model comes in, blocks go out.
import type {
  ActionsBlockElement,
  Button,
  ContextBlock,
  KnownBlock,
  MrkdwnElement,
  Overflow,
} from '@slack/types';
import { SEVERITIES, type Severity, severityLabel } from '../../domain/alarms/types.js';
import { formatDuration } from '../../domain/clock.js';
import type { IncidentCardView } from '../../services/triage/card-view.js';

export type { IncidentCardView };

import {
  capBlocks,
  code,
  escapeMrkdwn,
  formatInstant,
  formatTimeShort,
  LIMITS,
  link,
  mention,
  plain,
  SEVERITY_EMOJI,
  truncate,
  truncateMrkdwn,
} from './mrkdwn.js';

/** The action ids the card's buttons send; listeners register exactly these. */
export const INCIDENT_ACTION_IDS = {
  ack: 'incident_ack',
  escalate: 'incident_escalate',
  case: 'incident_case',
  resolve: 'incident_resolve',
  silence1h: 'incident_silence_1h',
  silence4h: 'incident_silence_4h',
  severity: 'incident_severity',
} as const;

const MAX_RECENT = 5;

export function renderIncidentCard(v: IncidentCardView): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(headerText(v), LIMITS.headerText) },
    {
      type: 'section',
      fields: fields(v).map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(text, LIMITS.fieldText) })),
    },
  ];
  const notes = noteLines(v);
  if (notes.length > 0) blocks.push(context(notes));
  const recent = recentAlarmsText(v);
  if (recent) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: recent } });
  const links = linkLines(v);
  if (links.length > 0) blocks.push(context(links));

  if (v.status === 'resolved') {
    // A resolved card keeps its history but offers nothing to click: acting on it would be a mistake.
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${resolvedLine(v)}` } });
  } else {
    blocks.push({ type: 'actions', elements: actionElements(v) });
    const unavailable = unavailableLines(v);
    if (unavailable.length > 0) blocks.push(context(unavailable));
  }
  return { text: fallbackText(v), blocks: capBlocks(blocks) };
}

/** Reads the overflow option value `"<id>:<sev>"` back; undefined when it is not one of ours. */
export function parseSeverityOptionValue(
  value: string,
): { incidentId: number; severity: Severity } | undefined {
  const m = /^(\d+):([1-4])$/.exec(value);
  if (!m) return undefined;
  return { incidentId: Number(m[1]), severity: Number(m[2]) as Severity };
}

function headerText(v: IncidentCardView): string {
  const lead = v.status === 'resolved' ? ':white_check_mark: Resolved ·' : SEVERITY_EMOJI[v.severity];
  return `${lead} ${severityLabel(v.severity)} · ${v.ref} · ${oneLine(v.title)}`;
}

function fields(v: IncidentCardView): string[] {
  const place = v.site ? `${code(v.cluster)} · ${escapeMrkdwn(v.site)}` : code(v.cluster);
  const out = [
    `*Customer*\n${escapeMrkdwn(v.tenantName)}`,
    `*Cluster / site*\n${place}`,
    `*Category*\n${v.category}`,
    `*Alarms*\n${v.alarmCount} (${v.firingCount} firing)${v.omittedCount > 0 ? ` + ${v.omittedCount} more Alertmanager left out` : ''}`,
  ];
  const suppressed = suppressedText(v);
  if (suppressed) out.push(`*Suppressed*\n${suppressed}`);
  out.push(
    `*First seen*\n${formatInstant(v.firstSeen, v.timezone)}`,
    `*Last seen*\n${formatInstant(v.lastSeen, v.timezone)}`,
    `*Responsible*\n${mention(v.responsible)}`,
    `*Status*\n${statusText(v)}`,
  );
  return out;
}

// Suppression is never silent: counts show when non-zero, and an inhibited incident always says so.
export function suppressedText(v: IncidentCardView): string | undefined {
  const parts: string[] = [];
  if (v.suppressedCount > 0) parts.push(`${v.suppressedCount} inhibited`);
  if (v.silencedCount > 0) parts.push(`${v.silencedCount} silenced`);
  if (parts.length === 0 && v.inhibitedBy) parts.push('inhibited');
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** Who acknowledged / resolved, and how long after the first alarm (the response clock). */
export function statusText(v: IncidentCardView): string {
  const lines: string[] = [];
  if (v.status === 'resolved') lines.push(resolvedLine(v));
  else if (v.status === 'open') lines.push('Open, not acknowledged yet');
  if (v.acknowledgedBy) {
    const after = formatDuration(Math.max(0, v.acknowledgedBy.at - v.firstSeen));
    lines.push(`Acknowledged by ${mention(v.acknowledgedBy.user)} after ${after}`);
  } else if (v.status === 'acknowledged') {
    lines.push('Acknowledged');
  }
  return lines.join('\n');
}

function resolvedLine(v: IncidentCardView): string {
  const r = v.resolvedBy;
  if (!r) return 'Resolved';
  const after = formatDuration(Math.max(0, r.at - v.firstSeen));
  if (r.user) return `Resolved by ${mention(r.user)} after ${after}`;
  return r.auto ? `Resolved automatically after ${after} (all alarms cleared)` : `Resolved after ${after}`;
}

/** Suppression, flapping and severity-change notes, one line each. */
export function noteLines(v: IncidentCardView): string[] {
  const notes: string[] = [];
  if (v.inhibitedBy) {
    notes.push(
      `:mute: Inhibited by ${escapeMrkdwn(v.inhibitedBy)}: alarms join this incident but do not page.`,
    );
  }
  if (v.silencedUntil) {
    const until = formatInstant(v.silencedUntil.until, v.timezone);
    notes.push(`:zipper_mouth_face: Silenced until ${until} by ${mention(v.silencedUntil.by)}.`);
  }
  if (v.flapping) {
    notes.push(':repeat: Flapping: alarms keep switching between firing and resolved; bounces do not page.');
  }
  if (v.severityChangedBy) {
    const c = v.severityChangedBy;
    notes.push(
      `:arrows_counterclockwise: ${mention(c.user)} changed severity ${severityLabel(c.from)} → ` +
        `${severityLabel(v.severity)}: ${escapeMrkdwn(oneLine(c.reason))}`,
    );
  }
  notes.push(...v.extraNotes);
  return notes;
}

function recentAlarmsText(v: IncidentCardView): string | undefined {
  const shown = v.recentAlarms.slice(0, MAX_RECENT);
  if (shown.length === 0) return undefined;
  // Each line is capped so five of them plus the heading always fit the section limit.
  const lines = shown.map((a) => {
    const icon = a.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
    const when = formatTimeShort(a.at, v.timezone);
    return truncateMrkdwn(
      `• ${icon} ${code(a.componentId)} ${escapeMrkdwn(oneLine(a.summary))} · ${when}`,
      500,
    );
  });
  const hidden = v.alarmCount - shown.length;
  if (hidden > 0) lines.push(`_+${hidden} more: \`/opsbot incident ${v.id}\`_`);
  return truncateMrkdwn(`*Recent alarms*\n${lines.join('\n')}`, LIMITS.sectionText);
}

export function linkLines(v: IncidentCardView): string[] {
  const out: string[] = [];
  if (v.caseLink) out.push(`:briefcase: Salesforce ${link(v.caseLink.url, v.caseLink.label)}`);
  if (v.jiraLink) out.push(`:jigsaw: Orion ${link(v.jiraLink.url, v.jiraLink.label)}`);
  return out;
}

/**
 * Slack buttons cannot be disabled. A button that only explains itself wastes a click during an
 * incident, so an unavailable integration's button is left out and this line says why instead.
 */
function unavailableLines(v: IncidentCardView): string[] {
  const out: string[] = [];
  if (!v.actions.case.enabled) out.push(unavailable('Open Salesforce case', v.actions.case.why));
  if (!v.actions.escalate.enabled) out.push(unavailable('Escalate to Orion', v.actions.escalate.why));
  return out;
}

function unavailable(what: string, why: string | undefined): string {
  return `:no_entry_sign: ${what}: not available — ${escapeMrkdwn(oneLine(why ?? 'not configured'))}`;
}

function actionElements(v: IncidentCardView): ActionsBlockElement[] {
  const value = String(v.id);
  const ids = INCIDENT_ACTION_IDS;
  const out: ActionsBlockElement[] = [];
  if (v.status === 'open') out.push(button(ids.ack, 'Acknowledge', value, 'primary'));
  if (v.actions.escalate.enabled) out.push(button(ids.escalate, 'Escalate to Orion', value));
  if (v.actions.case.enabled) out.push(button(ids.case, 'Open Salesforce case', value));
  const resolve = button(ids.resolve, 'Resolve', value);
  if (v.firingCount > 0) {
    const n = v.firingCount;
    resolve.confirm = {
      title: plain(`Resolve ${v.ref}?`, LIMITS.confirmTitle),
      text: plain(
        `${n} alarm${n === 1 ? ' is' : 's are'} still firing. Resolve ${v.ref} anyway?`,
        LIMITS.confirmText,
      ),
      confirm: plain('Resolve', LIMITS.confirmButton),
      deny: plain('Keep open', LIMITS.confirmButton),
    };
  }
  out.push(resolve);
  out.push(button(ids.silence1h, 'Silence 1h', value), button(ids.silence4h, 'Silence 4h', value));
  for (const extra of v.extraButtons) out.push(button(extra.actionId, extra.text, value));
  out.push(severityOverflow(v));
  return out;
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', action_id: actionId, text: plain(text, LIMITS.buttonText), value };
  if (style) b.style = style;
  return b;
}

function severityOverflow(v: IncidentCardView): Overflow {
  return {
    type: 'overflow',
    action_id: INCIDENT_ACTION_IDS.severity,
    options: SEVERITIES.filter((s) => s !== v.severity).map((s) => ({
      text: plain(`Change to ${severityLabel(s)}`, LIMITS.optionText),
      value: `${v.id}:${s}`,
    })),
  };
}

function context(lines: string[]): ContextBlock {
  const elements: MrkdwnElement[] = lines
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(text, 1000) }));
  return { type: 'context', elements };
}

/** The notification text: readable on a lock screen, and it pings the responsible person while open. */
function fallbackText(v: IncidentCardView): string {
  const state =
    v.status === 'resolved'
      ? 'resolved'
      : `${v.status}, ${v.alarmCount} alarm${v.alarmCount === 1 ? '' : 's'} (${v.firingCount} firing)`;
  const who = v.status === 'open' ? ` ${mention(v.responsible)}` : '';
  const where = `${escapeMrkdwn(v.tenantName)} ${escapeMrkdwn(v.cluster)}`;
  const text = `${severityLabel(v.severity)} ${v.ref} ${where}: ${escapeMrkdwn(oneLine(v.title))} — ${state}${who}`;
  return truncateMrkdwn(text, LIMITS.fallbackText);
}

function oneLine(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), 1000);
}
