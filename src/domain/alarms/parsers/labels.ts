// Label conventions shared by the parsers: where the cluster, site and severity hide in
// Prometheus-style labels or loose text. Kept in one place so every door agrees.
import { own } from './text.js';

const CLUSTER_KEYS = ['cluster', 'cluster_name', 'vms_cluster'];
const SITE_KEYS = ['site', 'datacenter', 'data_center', 'dc', 'location'];

function firstLabel(labels: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = own(labels, key);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

export const clusterFromLabels = (labels: Record<string, string>) => firstLabel(labels, CLUSTER_KEYS);
export const siteFromLabels = (labels: Record<string, string>) => firstLabel(labels, SITE_KEYS);

// "cluster sjc-obj-01", "cluster: sjc-obj-01", "on cluster=phx-obj-01". The id must carry a
// digit or a separator so English ("cluster is unreachable") is not read as one.
const CLUSTER_IN_TEXT =
  /\bcluster(?:_name)?\s*[:=]?\s*["']?((?=[a-z0-9._-]*[\d._-])[a-z0-9][a-z0-9._-]{1,63})\b/i;

export function clusterFromText(text: string): string | undefined {
  return CLUSTER_IN_TEXT.exec(text.slice(0, 8192))?.[1];
}

/** Words sources use as severities; used to spot a severity among loose tokens. */
export const SEVERITY_WORD =
  /^(critical|crit|major|minor|warning|warn|error|info|informational|high|medium|low|page|p[0-4]|sev-?[0-4])$/i;

/** Copies only string values (labels from the wire may hold anything). */
export function stringRecord(value: unknown, maxEntries = 200): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' || key === '__proto__') continue;
    out[key] = v;
    if (++n >= maxEntries) break;
  }
  return out;
}
