// Impact detector: a new Sev1/Sev2 incident the customer feels. Severity alone is not enough
// (a single stateless C-node down is absorbed by the others), so impact is decided from the
// category, the firing components, their labels and their text — in this order, first match wins:
//   1. label customer_impact=false|no|none on any firing member → no impact (an operator's rule said so);
//      customer_impact=true|yes → impact ("labelled");
//   2. network partition: category network and a cluster-level component, or partition/split-brain/
//      quorum-lost/cluster-unreachable text;
//   3. storage node down: a firing D-node, NVRAM or SSD member (D-nodes hold the data, so losing one
//      degrades data redundancy by construction);
//   4. compute nodes down with degraded redundancy: `computeNodesDown` distinct C-nodes firing, or
//      one C-node with redundancy/degraded/failover-failed text or a redundancy=degraded label;
//   5. data-path errors: I/O errors, EIO, read/write errors, checksum/corruption, mount failures,
//      write stalls, "data unavailable" in text; a Kubernetes CSI incident (pods cannot mount);
//      a Sev1/Sev2 performance incident (checkpoint write stall).
// Pure: the caller passes `now`.
import {
  type Finding,
  type ImpactDetectorSettings,
  MINUTE_MS,
  type OutreachIncident,
  type OutreachIncidentMember,
  type OutreachStream,
} from './types.js';

export type ImpactReason =
  | 'labelled'
  | 'network-partition'
  | 'storage-redundancy-degraded'
  | 'compute-redundancy-degraded'
  | 'data-path-errors';

const PARTITION =
  /partition|split[ _-]?brain|quorum[ _-]?lost|lost[ _-]?quorum|cluster\S*[ _-]+(is[ _-]+)?(unreachable|isolated)/i;
const REDUNDANCY = /redundan|degraded|failover[ _-]?(failed|failure)|no[ _-]?spare|single[ _-]?point/i;
const DATA_PATH =
  /\b(i\/o|io)[ _-]?errors?\b|\beio\b|(read|write)[ _-]?(errors?|failures?|failed)|checksum|corrupt|data[ _-]?(unavailable|loss|path)|mount\w*[ _-]+(fail\w*|timed?[ _-]?out)|failed[ _-]?mount|write[ _-]?stall|stale[ _-]?file[ _-]?handle/i;

function textOf(m: OutreachIncidentMember): string {
  return [m.name, m.summary ?? '', ...Object.values(m.labels)].join(' ');
}

/** Why this incident affects the customer, or undefined when it does not (see the header). */
export function impactReason(
  incident: OutreachIncident,
  settings: ImpactDetectorSettings,
): ImpactReason | undefined {
  const firing = incident.members.filter((m) => m.status === 'firing');
  const said = firing.map((m) => m.labels.customer_impact?.toLowerCase()).filter((v) => v !== undefined);
  if (said.some((v) => v === 'false' || v === 'no' || v === 'none')) return undefined;
  if (said.some((v) => v === 'true' || v === 'yes')) return 'labelled';

  const texts = [incident.title, ...firing.map(textOf)];
  if (
    incident.category === 'network' &&
    (firing.some((m) => m.componentKind === 'cluster') || texts.some((t) => PARTITION.test(t)))
  ) {
    return 'network-partition';
  }
  if (
    firing.some(
      (m) => m.componentKind === 'dnode' || m.componentKind === 'nvram' || m.componentKind === 'ssd',
    )
  ) {
    return 'storage-redundancy-degraded';
  }
  const cnodes = new Set(firing.filter((m) => m.componentKind === 'cnode').map((m) => m.componentId));
  if (
    cnodes.size >= settings.computeNodesDown ||
    (cnodes.size > 0 &&
      (texts.some((t) => REDUNDANCY.test(t)) || firing.some((m) => m.labels.redundancy === 'degraded')))
  ) {
    return 'compute-redundancy-degraded';
  }
  if (
    texts.some((t) => DATA_PATH.test(t)) ||
    (incident.category === 'kubernetes-csi' && firing.length > 0) ||
    (incident.category === 'performance' && firing.length > 0)
  ) {
    return 'data-path-errors';
  }
  return undefined;
}

const REASON_TEXT: Record<ImpactReason, string> = {
  labelled: 'an alarm marked as customer-impacting',
  'network-partition': 'a network partition',
  'storage-redundancy-degraded': 'a storage node problem that reduces data redundancy',
  'compute-redundancy-degraded': 'compute nodes down, reducing protocol-serving redundancy',
  'data-path-errors': 'errors on the data path',
};

/** One finding per new, customer-impacting incident of a watched severity. Key: impact:<tenant>:<incident>. */
export function detectImpact(
  settings: ImpactDetectorSettings,
  stream: OutreachStream,
  now: number,
): Finding[] {
  const findings: Finding[] = [];
  for (const incident of stream.incidents) {
    if (!settings.severities.includes(incident.severity)) continue;
    // Opened in (now − maxAge, now]: new, and not from this cycle's future.
    if (incident.openedAt > now || incident.openedAt <= now - settings.maxAgeMinutes * MINUTE_MS) continue;
    const reason = impactReason(incident, settings);
    if (!reason) continue;
    const components = [
      ...new Set(incident.members.filter((m) => m.status === 'firing').map((m) => m.componentId)),
    ].sort();
    findings.push({
      detector: 'impact',
      tenantId: incident.tenantId,
      incidentId: incident.incidentId,
      key: `impact:${incident.tenantId}:${incident.incidentId}`,
      category: incident.category,
      cluster: incident.cluster,
      observation: `${REASON_TEXT[reason]} on cluster ${incident.cluster}`,
      facts: {
        reason,
        severity: incident.severity,
        title: incident.title,
        components,
        openedAt: incident.openedAt,
      },
    });
  }
  return findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
