// Which part of the cluster an alarm is about, read from free text, an object string or
// labels. One implementation for every intake door, so the same part gets the same id
// whether it arrived from VMS, Alertmanager or a Slack post — and firing/resolved pair up.
import type { ComponentKind } from '../types.js';
import { own } from './text.js';

export interface Component {
  kind: ComponentKind;
  id: string;
}

interface Token {
  kind: ComponentKind;
  id: string;
  at: number;
  end: number;
}

// Components are named early in alarm text; scanning a bounded prefix keeps this cheap.
const SCAN_CHARS = 8192;

// C-nodes and D-nodes; ids are normalised (`C-Node 17`, `cnode17` → `cnode-17`); digits are
// kept as written (`cnode-09` stays `cnode-09`, it is what people see on the rack label).
const NODE = /\b([cd])-?node[-_ ]?(\d{1,5})\b/gi;
// Switches need a digit in the name so the English word "switch-over" is not one.
const SWITCH =
  /\b(?:(?:switch|sw)[-_][a-z0-9-]{0,40}\d[a-z0-9-]{0,40}|(?:leaf|spine|tor)[-_]?\d{1,4}[a-z]?)\b/gi;
const PVC = /\bpvc-[0-9a-z][0-9a-z-]{3,62}/gi;

// Parts inside a node or switch. `numbered` parts get a normalised `<prefix>-<n>` id.
const PARTS: ReadonlyArray<{ kind: ComponentKind; re: RegExp; numbered?: true }> = [
  { kind: 'ssd', re: /\b(ssd|drive|disk)[-_ ]?#?(\d{1,4})\b/gi, numbered: true },
  { kind: 'ssd', re: /\bnvme\d{1,3}(?:n\d{1,3})?\b/gi },
  { kind: 'nvram', re: /\b(nvram)[-_ ]?(\d{1,3})\b/gi, numbered: true },
  { kind: 'fan', re: /\b(fan)[-_ ]?(\d{1,3})\b/gi, numbered: true },
  { kind: 'psu', re: /\b(psu|power[-_ ]supply)[-_ ]?(\d{1,3})\b/gi, numbered: true },
  {
    kind: 'nic',
    re: /\b(?:eth\d{1,3}(?:\.\d{1,4})?|en[ops]\d\w{0,12}|ib\d{1,2}|mlx5_\d{1,2}|bond\d{1,2})\b/g,
  },
  {
    kind: 'link',
    re: /\b(?:Ethernet\d{1,3}(?:\/\d{1,3}){0,2}|Eth\d{1,3}\/\d{1,3}(?:\/\d{1,3})?|swp\d{1,3}(?:s\d)?)\b/g,
  },
];

// Parent and part must be this close to be read as one component ("ssd-17 in dnode-4").
const NEAR_CHARS = 48;

// exec on the shared global regex rather than matchAll, which clones the regex on every call
// (ten of them per alarm). Synchronous, and lastIndex is reset first, so sharing is safe.
function allMatches(text: string, re: RegExp, make: (m: RegExpExecArray) => Omit<Token, 'at' | 'end'>) {
  const tokens: Token[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') re.lastIndex++;
    tokens.push({ ...make(m), at: m.index, end: m.index + m[0].length });
    if (tokens.length >= 32) break;
  }
  re.lastIndex = 0;
  return tokens;
}

function parents(text: string): Token[] {
  const nodes = allMatches(text, NODE, (m) => ({
    kind: m[1]?.toLowerCase() === 'c' ? 'cnode' : 'dnode',
    id: `${m[1]?.toLowerCase()}node-${m[2]}`,
  }));
  const switches = allMatches(text, SWITCH, (m) => ({ kind: 'switch', id: m[0] }));
  return [...nodes, ...switches].sort((a, b) => a.at - b.at);
}

function parts(text: string): Token[] {
  const found = PARTS.flatMap(({ kind, re, numbered }) =>
    allMatches(text, re, (m) => ({
      kind,
      id: numbered ? `${kind === 'psu' ? 'psu' : (m[1] ?? '').toLowerCase()}-${m[2]}` : m[0],
    })),
  );
  return found.sort((a, b) => a.at - b.at);
}

function combine(parent: Token, part: Token): Component {
  // A port on a switch is a link; the same port name on a node is that node's NIC.
  const isPort = part.kind === 'nic' || part.kind === 'link';
  const kind = isPort ? (parent.kind === 'switch' ? 'link' : 'nic') : part.kind;
  return { kind, id: `${parent.id}/${part.id}` };
}

function gap(a: Token, b: Token): number {
  return a.at < b.at ? b.at - a.end : a.at - b.end;
}

/**
 * The most specific component named in `text`: `parent/part` (`dnode-4/ssd-17`,
 * `cnode-12/eth3`, `switch-leaf-04/Ethernet12`), a PVC, a part next to its node
 * ("Link down on port eth3 of cnode-12" → `cnode-12/eth3`), a lone part, then a node or switch.
 */
export function inferComponent(text: unknown): Component | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const scan = text.slice(0, SCAN_CHARS);
  const ps = parents(scan);
  const qs = parts(scan);
  for (const p of ps) {
    const q = qs.find((candidate) => candidate.at === p.end + 1 && scan[p.end] === '/');
    if (q) return combine(p, q);
  }
  const pvc = allMatches(scan, PVC, (m) => ({ kind: 'k8s-csi', id: m[0].toLowerCase() }))[0];
  if (pvc) return { kind: pvc.kind, id: pvc.id };
  const part = qs[0];
  if (part) {
    const near = ps.filter((p) => gap(p, part) <= NEAR_CHARS).sort((a, b) => gap(a, part) - gap(b, part))[0];
    if (near) return combine(near, part);
    return { kind: part.kind, id: part.id };
  }
  const parent = ps[0];
  return parent ? { kind: parent.kind, id: parent.id } : undefined;
}

const KIND_WORDS: ReadonlyArray<[RegExp, ComponentKind]> = [
  [/^(c-?node|cnodes?|compute(-node)?|cbox)$/, 'cnode'],
  [/^(d-?node|dnodes?|dbox|enclosure|storage-node)$/, 'dnode'],
  [/^(ssd|drive|disk|nvme)s?$/, 'ssd'],
  [/^nvram$/, 'nvram'],
  [/^fans?$/, 'fan'],
  [/^(psu|power|power-supply)s?$/, 'psu'],
  [/^(nic|port|interface|eth|network-interface)s?$/, 'nic'],
  [/^switch(es)?$/, 'switch'],
  [/^links?$/, 'link'],
  [/^(csi|k8s|k8s-csi|kubernetes|pvc|pod)$/, 'k8s-csi'],
  [/^(volume|view|pv|bucket)s?$/, 'volume'],
  [/^(capacity|space|quota)$/, 'capacity'],
  [/^(performance|latency|throughput|iops)$/, 'performance'],
  [/^cluster$/, 'cluster'],
];

/** A component kind from a word a human or template wrote (`component=dnode`, `C-Node`). */
export function kindFromWord(word: unknown): ComponentKind | undefined {
  if (typeof word !== 'string') return undefined;
  const w = word
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return KIND_WORDS.find(([re]) => re.test(w))?.[1];
}

const first = (labels: Record<string, string>, keys: readonly string[]) => {
  for (const key of keys) {
    const value = own(labels, key);
    if (typeof value === 'string' && value.trim() !== '') return { key, value: value.trim() };
  }
  return undefined;
};

const HOST_KEYS = ['cnode', 'dnode', 'switch', 'node', 'instance', 'host', 'hostname', 'nodename', 'object'];
const PART_KEYS = ['interface', 'device', 'ifname', 'port', 'drive', 'ssd', 'disk', 'fan', 'psu', 'nvram'];
const KIND_OF_KEY: Record<string, ComponentKind> = { cnode: 'cnode', dnode: 'dnode', switch: 'switch' };

/**
 * Component from Prometheus-style labels: a PVC, else host (`cnode`, `dnode`, `node`,
 * `instance` without its port…) plus part (`interface`, `device`…), read with
 * {@link inferComponent} so ids match the ones text alarms produce.
 */
export function inferComponentFromLabels(labels: Record<string, string>): Component | undefined {
  const pvc = first(labels, ['persistentvolumeclaim', 'pvc']);
  if (pvc) {
    const ns = first(labels, ['namespace', 'exported_namespace']);
    return { kind: 'k8s-csi', id: ns ? `${ns.value}/${pvc.value}` : pvc.value };
  }
  const host = first(labels, HOST_KEYS);
  const part = first(labels, PART_KEYS);
  const hostName = host?.value.replace(/:\d{1,5}$/, '');
  const joined = [hostName, part?.value].filter(Boolean).join('/');
  const inferred = inferComponent(joined);
  if (inferred) return inferred;
  const named = kindFromWord(own(labels, 'component')) ?? kindFromWord(own(labels, 'kind'));
  if (hostName) {
    const kind = (host && KIND_OF_KEY[host.key]) ?? named;
    return kind ? { kind, id: joined } : { kind: 'other', id: joined };
  }
  return undefined;
}
