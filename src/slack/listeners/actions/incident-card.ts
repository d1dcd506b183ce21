// Buttons and the severity menu on incident cards, and the severity modal. Thin: check who
// clicked, call IncidentActions, tell the clicker what happened (ephemeral, through the outbox).
import type { BlockAction, ButtonAction, OverflowAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Severity } from '../../../domain/alarms/types.js';
import { type Message, msg, plainText } from '../../../domain/message.js';
import type { ActionResult, ChatPort } from '../../../services/ports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { IncidentActions } from '../../../services/triage/incident-actions.js';
import type { IncidentStore } from '../../../store/incident-store.js';
import type { SlackSurface } from '../../surface.js';
import {
  renderSeverityModal,
  SEVERITY_AGREED_ACTION_ID,
  SEVERITY_AGREED_BLOCK_ID,
  SEVERITY_AGREED_VALUE,
} from '../../views/severity-modal.js';

export interface CardButtonDeps {
  staff: StaffDirectory;
  chat: ChatPort;
}

export interface IncidentCardDeps extends CardButtonDeps {
  actions: IncidentActions;
  incidents: IncidentStore;
  logger: Logger;
}

const HOUR = 3_600_000;

/**
 * One button of the incident card: staff only; the result goes to the clicker alone. Other
 * capabilities add their own buttons (open a case, escalate) with this.
 */
export function registerCardButton(
  surface: SlackSurface,
  deps: CardButtonDeps,
  actionId: string,
  run: (incidentId: number, user: string) => ActionResult | Promise<ActionResult>,
): void {
  surface.action(actionId, async ({ ack, body, action }) => {
    await ack();
    const click = body as BlockAction;
    const user = click.user.id;
    const channel = click.channel?.id ?? '';
    const incidentId = Number((action as ButtonAction).value);
    const result = deps.staff.isStaff(user)
      ? await run(incidentId, user)
      : { ok: false, message: msg('Only the vendor’s support staff can act on incident cards.') };
    tell(deps.chat, channel, user, result.message, `${actionId}:${click.trigger_id}`);
  });
}

export function register(surface: SlackSurface, deps: IncidentCardDeps): void {
  const button = (actionId: string, run: (incidentId: number, user: string) => ActionResult) =>
    registerCardButton(surface, deps, actionId, run);
  button('incident_ack', (id, user) => deps.actions.acknowledge(id, user));
  button('incident_resolve', (id, user) => deps.actions.resolve(id, user));
  button('incident_silence_1h', (id, user) => deps.actions.silenceGroup(id, user, HOUR));
  button('incident_silence_4h', (id, user) => deps.actions.silenceGroup(id, user, 4 * HOUR));

  surface.action('incident_severity', async ({ ack, body, action, client }) => {
    await ack();
    const click = body as BlockAction;
    const user = click.user.id;
    const [id, to] = String((action as OverflowAction).selected_option.value)
      .split(':')
      .map(Number);
    const incident = deps.incidents.get(id ?? Number.NaN);
    if (!deps.staff.isStaff(user) || !incident || !isSeverity(to)) {
      const why = !incident
        ? 'That incident no longer exists.'
        : 'Only the vendor’s support staff can change severity.';
      return tell(deps.chat, click.channel?.id ?? '', user, msg(why), `sev:${click.trigger_id}`);
    }
    // A modal must open within 3 s of the click (the trigger expires), so this call cannot wait
    // in the job queue: there is nothing durable to keep if Slack is down at this very moment.
    await openModal(
      client,
      click.trigger_id,
      renderSeverityModal({ incidentId: incident.id, ref: incident.ref, from: incident.severity, to }),
      deps.logger,
    );
  });

  surface.view('incident_severity_modal', async ({ ack, view, body }) => {
    const submit = body as ViewSubmitAction;
    const meta = readMetadata(view.private_metadata);
    const reason = view.state.values.reason?.reason_input?.value ?? '';
    const agreed = (
      view.state.values[SEVERITY_AGREED_BLOCK_ID]?.[SEVERITY_AGREED_ACTION_ID]?.selected_options ?? []
    ).some((o) => o.value === SEVERITY_AGREED_VALUE);
    if (!reason.trim()) {
      return void (await ack({
        response_action: 'errors',
        errors: { reason: 'Say why the severity changes.' },
      }));
    }
    if (!deps.staff.isStaff(submit.user.id) || !isSeverity(meta.to) || typeof meta.incidentId !== 'number') {
      return void (await ack({
        response_action: 'errors',
        errors: { reason: 'You cannot change this incident.' },
      }));
    }
    const result = deps.actions.changeSeverity(meta.incidentId, submit.user.id, meta.to, reason, agreed);
    if (!result.ok)
      return void (await ack({ response_action: 'errors', errors: { reason: plainText(result.message) } }));
    await ack();
  });
}

/** A modal's private metadata; a malformed one reads as empty (the checks below refuse it). */
function readMetadata(raw: string | undefined): { incidentId?: number; to?: number } {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as { incidentId?: number; to?: number })
      : {};
  } catch {
    return {};
  }
}

function isSeverity(n: unknown): n is Severity {
  return n === 1 || n === 2 || n === 3 || n === 4;
}

function tell(chat: ChatPort, channel: string, user: string, message: Message, key: string): void {
  chat.postEphemeral(channel, user, message, `ephemeral:${key}`);
}

async function openModal(
  client: WebClient,
  triggerId: string,
  view: Parameters<WebClient['views']['open']>[0]['view'],
  logger: Logger,
) {
  try {
    await client.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    logger.warn({ err: error }, 'could not open the severity modal');
  }
}
