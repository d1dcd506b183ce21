// Public surface of the Jira integration (the EscalationTracker adapter and its helpers).

export { type JiraCallContext, JiraEscalationTracker, OPSBOT_PROPERTY } from './adapter.js';
export {
  type AdfNode,
  adfBulletList,
  adfCodeBlock,
  adfDoc,
  adfHeading,
  adfParagraph,
  adfToText,
} from './adf.js';
export { explainBadRequest, type JiraErrorContext, toJiraError } from './errors.js';
export {
  assertProjectKey,
  changedSinceJql,
  incidentIdFromLabels,
  incidentLabel,
  incidentLookupJql,
  jqlDate,
  jqlString,
  OPSBOT_LABEL,
} from './jql.js';
export {
  type JiraAuth,
  type JiraSettings,
  type JiraSettingsResult,
  jiraSettingsFromEnv,
} from './settings.js';
export { type JiraWebhookEvent, type JiraWebhookParse, parseJiraWebhook } from './webhook.js';
