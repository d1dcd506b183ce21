// What an incident looks like to the outside systems: one place that writes the case subject
// and description and the Jira summary and description, so both say the same thing. The Jira
// description is a neutral document; the Jira adapter renders it as ADF (v3) or wiki text (v2).
import type { TenantConfig } from '../../config/schema.js';
import { type Doc, doc, link, msg } from '../../domain/message.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import type { Permalinks } from '../ports.js';

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

/** A link people can click to the incident's card (or its channel before the card exists). */
export async function incidentPermalink(links: Permalinks, incident: Incident): Promise<string> {
  const direct = incident.cardTs ? await links.permalink(incident.channel, incident.cardTs) : undefined;
  return direct ?? links.channelLink(incident.channel);
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

export function issueDescription(f: IncidentFacts, note: string | undefined): Doc {
  return doc(
    { heading: msg(`${f.incident.ref}: ${f.incident.title}`), level: 3 },
    {
      bullets: [
        msg(`Customer: ${f.tenant.name}`),
        msg(`Cluster: ${f.incident.cluster}${f.site ? ` (${f.site})` : ''}`),
        msg(`Category: ${f.incident.category} — Sev${f.incident.severity}`),
        msg(`Alarms: ${f.counts.total} (${f.counts.firing} firing)`),
        f.caseNumber
          ? msg('Salesforce case: ', f.caseUrl ? link(f.caseUrl, f.caseNumber) : f.caseNumber)
          : msg('Salesforce case: none'),
      ],
    },
    ...(note ? [{ paragraph: msg(`Note from the escalating engineer: ${note}`) }] : []),
    { paragraph: msg('Alarm excerpt:') },
    { codeBlock: f.excerpt.join('\n') || '(no alarms)' },
    { paragraph: msg(link(f.permalink, 'Slack thread')) },
  );
}
