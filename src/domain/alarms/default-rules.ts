// Built-in classification, as data in the same shape operators write in config (tried after
// the tenant's rules). Order matters — the first matching rule stops evaluation — so the most
// urgent and most specific come first: whole-cluster and whole-node outages (Sev1), then Sev2
// part failures and stalls, then single-part Sev3 problems. Table: docs/alarm-formats.md.
import type { ClassificationRule } from './types.js';

const r = String.raw;

// Patterns use RE2 syntax (src/domain/patterns.ts), which has no lookbehind. "Not preceded by a
// letter" (so NIC_LINK_FLAP and port-down match but uplink does not) is written as start-of-text
// or a non-letter instead; rules only ask whether a pattern matches, so the two are equivalent.
const NOT_AFTER_LETTER = '(?:^|[^a-z])';

// "link down", "LINK_DOWN", "NicLinkDown", "port eth3 flapping", "eth3 is down".
const LINK_DOWN = [
  r`${NOT_AFTER_LETTER}(link|port|interface|carrier)[ _-]?(is[ _-])?(down|flap\w*|lost)\b`,
  r`link[ _-]?(down|flap)`,
  r`\b(eth|ens|enp|ib|mlx5_|bond)\w*\s+(is\s+)?(down|flapping)\b`,
  r`\blink\s+(state\s+)?(changed|toggl\w*|bounc\w*)`,
];
// A whole node gone: "is down", "not responding", "NodeDown", "heartbeat lost".
const NODE_GONE = [
  r`node[ _-]?(is[ _-])?(down|unreachable|failed|failure|lost|offline|not[ _-]responding|unresponsive)\b`,
  r`\b(is|went|gone|marked|reported|detected|appears?)\s+(down|offline|unreachable)\b`,
  r`\b(not responding|unresponsive|no heartbeat|heartbeat (lost|missed|timed? ?out)|powered off|lost contact)\b`,
];
const nodeNamedGone = (letter: 'c' | 'd') => [
  r`\b${letter}[ _-]?node[ _-]?(is[ _-])?(down|unreachable|failed|failure|lost|offline|not[ _-]responding|unresponsive)\b`,
  r`\b${letter}[ _-]?node[ _-]?\d+\s+(is\s+|has\s+gone\s+|went\s+)?(down|unreachable|offline|not responding|unresponsive)\b`,
];
// A part that failed inside an otherwise healthy D-node ("dnode-3 NVRAM is offline").
const PART_GONE = r`\b(nvram|fan|psu|power[ _-]?supply|ssd|drive|disk)[ _-]?\d*\s+(is\s+)?(down|offline|unreachable|failed|missing)`;
const CAPACITY_WORDS = [
  r`capacity`,
  r`\bfull\b`,
  r`free[ _-]?space`,
  r`space[ _-]?(usage|used|low)`,
  r`(pool|cluster|storage|disk|quota|view|filesystem)[ _-]?(usage|used|utili[sz]ation)`,
];
const CAPACITY_NUMBER = 'number:labels.capacity_pct,labels.usage_pct,labels.used_pct,labels.usage,text';

export const DEFAULT_CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  {
    name: 'network-partition',
    match: {
      text: [
        r`net(work)?[ _-]?partition`,
        r`\bpartition(ed)?[ _-]?(detected|network)`,
        r`split[ _-]?brain`,
        r`cluster[ _-]?(is[ _-])?(unreachable|isolated|partitioned)`,
        r`\bcluster\s+\S+\s+(is\s+)?(unreachable|isolated|partitioned)\b`,
        r`\b(quorum[ _-]?lost|lost[ _-]quorum)\b`,
      ],
    },
    set: { category: 'network', severity: 1, componentKind: 'cluster' },
  },
  {
    name: 'cnode-down',
    match: { componentKind: '^cnode$', text: NODE_GONE, '!text': LINK_DOWN },
    set: { category: 'compute-node', severity: 1, componentKind: 'cnode' },
  },
  {
    name: 'cnode-down-by-name',
    match: { text: nodeNamedGone('c'), '!text': LINK_DOWN },
    set: { category: 'compute-node', severity: 1, componentKind: 'cnode' },
  },
  {
    name: 'dnode-down',
    match: { componentKind: '^dnode$', text: NODE_GONE, '!text': [...LINK_DOWN, PART_GONE] },
    set: { category: 'storage-node', severity: 1, componentKind: 'dnode' },
  },
  {
    name: 'dnode-down-by-name',
    match: { text: nodeNamedGone('d'), '!text': [...LINK_DOWN, PART_GONE] },
    set: { category: 'storage-node', severity: 1, componentKind: 'dnode' },
  },
  {
    name: 'multiple-drives-failed',
    match: { 'number:labels.failed_drives,labels.failed_ssds,labels.failed_disks': '>=2' },
    set: { category: 'storage-node', severity: 1, componentKind: 'ssd' },
  },
  {
    name: 'multiple-drives-failed-text',
    match: {
      text: [
        r`\b([2-9]|[1-9]\d+|two|three|four|five|several|multiple)\s+(ssds?|drives?|disks?|nvmes?)\b[^\n]{0,40}?\b(failed|failing|faulty|down|offline|missing|lost)\b`,
        r`\b(multiple|several)\s+(ssd|drive|disk)`,
        r`\b(ssds?|drives?|disks?)\s+failed:?\s*([2-9]|[1-9]\d+)\b`,
        r`multi(ple)?[ _-]?(ssd|drive|disk)s?[ _-]?fail`,
      ],
    },
    set: { category: 'storage-node', severity: 1, componentKind: 'ssd' },
  },
  {
    name: 'nvram-failed',
    match: {
      text: [
        r`nvram[ _-]?\d*[ _-]?(is[ _-])?(fail\w*|fault\w*|error\w*|degraded|missing|offline|down|unavailable)`,
        r`\bnvram\b[^\n]{0,60}?\b(failed|failure|faulty|errors?|degraded|missing|offline|down|unavailable)\b`,
      ],
    },
    set: { category: 'storage-node', severity: 2, componentKind: 'nvram' },
  },
  {
    name: 'switch-down',
    match: {
      text: [
        r`switch[ _-]?(is[ _-])?(down|unreachable|offline|fail\w*|not[ _-]responding|unresponsive|reboot\w*)`,
        r`\b(switch|leaf|spine|tor)\b[^\n]{0,40}?\b(is|went|gone)\s+(down|offline|unreachable)\b`,
        r`\b(switch|leaf|spine|tor)\b[^\n]{0,40}?\b(not responding|unresponsive|unreachable)\b`,
      ],
      '!text': LINK_DOWN,
    },
    set: { category: 'network', severity: 2, componentKind: 'switch' },
  },
  {
    name: 'capacity-critical',
    match: { text: CAPACITY_WORDS, [CAPACITY_NUMBER]: '>=90' },
    set: { category: 'capacity', severity: 2, componentKind: 'capacity' },
  },
  {
    name: 'checkpoint-write-stall',
    match: {
      text: [
        r`checkpoint\w*\b[^\n]{0,60}?\b(stall\w*|blocked|hung|hang\w*|slow\w*|timed? ?out|timeout|delayed|backlog)`,
        r`write[ _-]?stall`,
        r`checkpoint[ _-]?(stall|timeout|slow)`,
        r`\b(stall\w*|blocked|hung)\b[^\n]{0,40}?\bcheckpoint`,
      ],
    },
    set: { category: 'performance', severity: 2, componentKind: 'performance' },
  },
  {
    name: 'csi-mount-failure',
    match: {
      text: [
        r`Failed(Mount|Attach\w*|Map\w*)`,
        r`(MountVolume|AttachVolume|MapVolume|NodeStageVolume|NodePublishVolume|ControllerPublishVolume)[\w.]*\s+failed`,
        r`\bcsi\b[^\n]{0,80}?\b(mount|attach|publish|stage|provision)\w*\b[^\n]{0,60}?\b(fail\w*|errors?|timed? ?out|timeout|stuck)`,
        r`\b(mount|attach)\w*\b[^\n]{0,40}?\b(fail\w*|timed? ?out|timeout|stuck)\b[^\n]{0,80}?\b(pvc|volume|pod|csi)`,
        r`\b(pvc|persistentvolumeclaim|volume)\b[^\n]{0,80}?\b(mount|attach)\w*\s+(fail\w*|errors?|timed? ?out)`,
        r`csi[ _-]\w*(mount|attach)\w*[ _-](fail\w*|error|timeout)`,
      ],
    },
    set: { category: 'kubernetes-csi', severity: 2, componentKind: 'k8s-csi' },
  },
  {
    name: 'ssd-failed',
    match: {
      text: [
        r`${NOT_AFTER_LETTER}(ssd|drive|disk|nvme)[ _-]?(fail\w*|fault\w*|missing|removed|dead)`,
        r`${NOT_AFTER_LETTER}(ssd|drive|disk|nvme)\w*\b[^\n]{0,60}?\b(failed|failing|failure|faulty|missing|removed|dead)\b`,
      ],
    },
    set: { category: 'storage-node', severity: 3, componentKind: 'ssd' },
  },
  {
    name: 'switch-port-link-down',
    match: { componentKind: '^link$', text: LINK_DOWN },
    set: { category: 'network', severity: 3, componentKind: 'link' },
  },
  {
    name: 'nic-link-down',
    match: { text: LINK_DOWN },
    set: { category: 'network', severity: 3, componentKind: 'nic' },
  },
  {
    name: 'fan-failed',
    match: {
      text: [
        r`${NOT_AFTER_LETTER}fan[ _-]?\d*[ _-]?(is[ _-])?(fail\w*|fault\w*|stopped|missing|removed|dead|error|(speed|rpm)[ _-]?low)`,
        r`${NOT_AFTER_LETTER}fan\b[^\n]{0,60}?\b(failed|failure|faulty|stopped|missing|not spinning|below threshold)\b`,
      ],
    },
    set: { category: 'storage-node', severity: 3, componentKind: 'fan' },
  },
  {
    name: 'psu-failed',
    match: {
      text: [
        r`${NOT_AFTER_LETTER}(psu|power[ _-]?supply)[ _-]?\d*[ _-]?(is[ _-])?(fail\w*|fault\w*|missing|removed|lost|down|no[ _-]?input|input[ _-]?lost|error)`,
        r`${NOT_AFTER_LETTER}(psu|power supply)\b[^\n]{0,60}?\b(failed|failure|faulty|missing|lost power|no input|redundancy lost)\b`,
      ],
    },
    set: { category: 'storage-node', severity: 3, componentKind: 'psu' },
  },
  {
    name: 'capacity-warning',
    match: { text: CAPACITY_WORDS, [CAPACITY_NUMBER]: '>=80' },
    set: { category: 'capacity', severity: 3, componentKind: 'capacity' },
  },
  {
    name: 'performance-degradation',
    match: {
      text: [
        r`(high|elevated|increased|degraded)[ _-]?latency`,
        r`latency[ _-]?(high|spike\w*|increase\w*|degrad\w*|above|exceed\w*|slo)`,
        r`\b(throughput|bandwidth|iops)\b[^\n]{0,40}?\b(drop\w*|low|degrad\w*|below|decreas\w*|fell)`,
        r`(low|degraded|reduced)[ _-]?(throughput|bandwidth|iops)`,
        r`performance[ _-]?(degrad\w*|issue|problem)`,
        r`slow[ _-]?(io|i/o|ops|requests|reads|writes)\b`,
      ],
    },
    set: { category: 'performance', severity: 3, componentKind: 'performance' },
  },
];
