// What an incident looks like to the outside systems: one place that writes the case subject
// and description and the Jira summary and ADF description, so both say the same thing.
import type { TenantConfig } from '../../config/schema.js';
import {
  adfBulletList,
  adfCodeBlock,
  adfDoc,
  adfHeading,
  adfParagraph,
} from '../../integrations/jira/adf.js';
import type { AdfDocument } from '../../integrations/ports.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';

export interface IncidentFacts {
  incident: Incident;
  tenant: TenantConfig;
  permalink: string;
  site: string | undefined;
  counts: { total: number; firing: number };
  excerpt: string[];
  caseNumber?: string;
  caseUrl?: string;
}

export function gatherFacts(
  incidents: IncidentStore,
  incident: Incident,
  tenant: TenantConfig,
  permalink: string,
): IncidentFacts {
  const members = incidents.members(incident.id);
  const counts = incidents.counts(incident.id);
  return {
    incident,
    tenant,
    permalink,
    site: tenant.clusters.find((c) => c.id === incident.cluster)?.site,
    counts: { total: counts.total, firing: counts.firing },
    excerpt: members
      .slice(0, 10)
      .map((m) => `${m.status.toUpperCase()} ${m.name} on ${m.componentId}: ${m.summary}`),
  };
}

export function caseSubject(f: IncidentFacts): string {
  return `[${f.incident.ref} Sev${f.incident.severity}] ${f.incident.cluster}: ${f.incident.title}`.slice(
    0,
    255,
  );
}

export function caseDescription(f: IncidentFacts): string {
  return [
    `${f.incident.ref} — ${f.incident.title}`,
    `Customer: ${f.tenant.name}`,
    `Cluster: ${f.incident.cluster}${f.site ? ` (${f.site})` : ''}`,
    `Category: ${f.incident.category}, severity Sev${f.incident.severity}`,
    `Alarms: ${f.counts.total} (${f.counts.firing} firing), opened ${new Date(f.incident.openedAt).toISOString()}`,
    '',
    'Recent alarms:',
    ...f.excerpt.map((line) => `- ${line}`),
    '',
    `Slack: ${f.permalink}`,
  ]
    .join('\n')
    .slice(0, 32_000);
}

export function issueSummary(f: IncidentFacts): string {
  return `${f.tenant.name} ${f.incident.cluster}: ${f.incident.title} (${f.incident.ref})`.slice(0, 250);
}

export function issueDescription(f: IncidentFacts, note: string | undefined): AdfDocument {
  return adfDoc(
    adfHeading(`${f.incident.ref}: ${f.incident.title}`, 3),
    adfBulletList([
      `Customer: ${f.tenant.name}`,
      `Cluster: ${f.incident.cluster}${f.site ? ` (${f.site})` : ''}`,
      `Category: ${f.incident.category} — Sev${f.incident.severity}`,
      `Alarms: ${f.counts.total} (${f.counts.firing} firing)`,
      f.caseNumber ? `Salesforce case: ${f.caseNumber}` : 'Salesforce case: none',
    ]),
    ...(note ? [adfParagraph(`Note from the escalating engineer: ${note}`)] : []),
    adfParagraph('Alarm excerpt:'),
    adfCodeBlock(f.excerpt.join('\n') || '(no alarms)'),
    adfParagraph('Slack thread', f.permalink),
  );
}
