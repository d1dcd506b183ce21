// The modal opened from the card's "Change to SevN" overflow: a severity change moves SLA clocks
// and who gets paged, so it always carries a reason on the timeline. Pure.
import type { View } from '@slack/types';
import { type Severity, severityLabel } from '../../domain/alarms/types.js';
import { LIMITS, plain } from './mrkdwn.js';

export const SEVERITY_MODAL_CALLBACK_ID = 'incident_severity_modal';
export const SEVERITY_REASON_BLOCK_ID = 'reason';
export const SEVERITY_REASON_ACTION_ID = 'reason_input';
export const SEVERITY_REASON_MAX = 500;
export const SEVERITY_AGREED_BLOCK_ID = 'agreement';
export const SEVERITY_AGREED_ACTION_ID = 'agreement_input';
export const SEVERITY_AGREED_VALUE = 'customer-agreed';

export interface SeverityModalInput {
  incidentId: number;
  ref: string;
  from: Severity;
  to: Severity;
}

/** What the view_submission handler reads back from private_metadata. */
export interface SeverityModalMetadata {
  incidentId: number;
  to: Severity;
}

export function renderSeverityModal(input: SeverityModalInput): View {
  const { incidentId, ref, from, to } = input;
  const direction = to < from ? 'Raise' : 'Lower';
  const metadata: SeverityModalMetadata = { incidentId, to };
  return {
    type: 'modal',
    callback_id: SEVERITY_MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain('Change severity', LIMITS.modalTitle),
    submit: plain('Change severity', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${direction} *${ref}* from *${severityLabel(from)}* to *${severityLabel(to)}*?`,
        },
      },
      {
        type: 'input',
        block_id: SEVERITY_REASON_BLOCK_ID,
        label: plain('Why?', LIMITS.inputLabel),
        hint: plain('Recorded on the incident timeline and shown on the card.', LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: SEVERITY_REASON_ACTION_ID,
          multiline: true,
          max_length: SEVERITY_REASON_MAX,
          placeholder: plain('e.g. customer confirms training jobs are stalled', 150),
        },
      },
      // Contracts let severity drop only with the customer's agreement: without it the stricter
      // response target keeps running. Asked only when lowering; the answer goes on the timeline.
      ...(to > from
        ? [
            {
              type: 'input' as const,
              block_id: SEVERITY_AGREED_BLOCK_ID,
              optional: true,
              label: plain('Customer agreement', LIMITS.inputLabel),
              hint: plain(
                `Without it, the ${severityLabel(from)} response target still applies.`,
                LIMITS.inputLabel,
              ),
              element: {
                type: 'checkboxes' as const,
                action_id: SEVERITY_AGREED_ACTION_ID,
                options: [
                  {
                    text: plain('The customer agreed to the lower severity', 75),
                    value: SEVERITY_AGREED_VALUE,
                  },
                ],
              },
            },
          ]
        : []),
    ],
  };
}

/** Parses private_metadata back; undefined when it is not what renderSeverityModal wrote. */
export function parseSeverityModalMetadata(text: string): SeverityModalMetadata | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: not our modal's metadata. The caller answers "unknown request".
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { incidentId, to } = data as Record<string, unknown>;
  if (!Number.isSafeInteger(incidentId) || (incidentId as number) <= 0) return undefined;
  if (to !== 1 && to !== 2 && to !== 3 && to !== 4) return undefined;
  return { incidentId: incidentId as number, to };
}
