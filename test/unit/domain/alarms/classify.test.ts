import { describe, expect, it } from 'vitest';
import {
  alarmFingerprint,
  classify,
  compileRules,
  describeRuleProblem,
} from '../../../../src/domain/alarms/classify.js';
import { DEFAULT_CLASSIFICATION_RULES } from '../../../../src/domain/alarms/default-rules.js';
import { parseAlertmanagerWebhook, parseSlackMessage } from '../../../../src/domain/alarms/parsers/index.js';
import type { ClassificationRule, ParsedAlarm } from '../../../../src/domain/alarms/types.js';
import { alertmanagerPayload, NOW } from './fixtures.js';

const ctx = (rules: ClassificationRule[] = []) => ({
  tenantId: 'nimbus',
  source: 'slack' as const,
  rules,
  now: NOW,
});
const fromSlack = (text: string, rules: ClassificationRule[] = []) =>
  classify(parseSlackMessage({ text }, NOW), ctx(rules));

// One realistic alarm per default rule: [rule, input text, severity, category, componentKind].
const DEFAULT_CASES: Array<[string, string, 1 | 2 | 3 | 4, string, string]> = [
  [
    'network-partition',
    '[CRITICAL] sjc-obj-01 NETWORK_PARTITION: network partition detected between rack A and rack B',
    1,
    'network',
    'cluster',
  ],
  [
    'cnode-down',
    ':red_circle: [MAJOR] sjc-obj-01 CNODE_STATE cnode-17: C-node cnode-17 is not responding',
    1,
    'compute-node',
    'cnode',
  ],
  ['cnode-down-by-name', 'alert=CNODE_DOWN severity=major cluster=sjc-obj-01', 1, 'compute-node', 'cnode'],
  [
    'dnode-down',
    '[CRITICAL] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    1,
    'storage-node',
    'dnode',
  ],
  ['dnode-down-by-name', 'alert=DNODE_UNREACHABLE cluster=sjc-obj-01', 1, 'storage-node', 'dnode'],
  [
    'multiple-drives-failed',
    'alert=DRIVE_FAILURES failed_drives=3 cluster=sjc-obj-01 id=dnode-4',
    1,
    'storage-node',
    'ssd',
  ],
  [
    'multiple-drives-failed-text',
    '[MAJOR] sjc-obj-01 SSD_FAILED dnode-4: 2 SSDs failed on dnode-4',
    1,
    'storage-node',
    'ssd',
  ],
  [
    'nvram-failed',
    '[MAJOR] sjc-obj-01 NVRAM_FAILURE dnode-3/nvram-1: NVRAM nvram-1 failed',
    2,
    'storage-node',
    'nvram',
  ],
  [
    'switch-down',
    '[MAJOR] sjc-obj-01 SWITCH_DOWN switch-leaf-04: Switch switch-leaf-04 is not responding',
    2,
    'network',
    'switch',
  ],
  [
    'capacity-critical',
    '[MAJOR] sjc-obj-01 CAPACITY_HIGH: Cluster capacity at 93.4% (280 PB of 300 PB)',
    2,
    'capacity',
    'capacity',
  ],
  [
    'checkpoint-write-stall',
    '[MINOR] sjc-obj-01 CHECKPOINT_WRITE_STALL: Checkpoint writes stalled for 95s on view /ckpt',
    2,
    'performance',
    'performance',
  ],
  [
    'csi-mount-failure',
    'alert=KubeCSIMountFailure cluster=gpu-k8s-01 summary="MountVolume.SetUp failed for volume pvc-3f2a9c1e-1b2c : rpc error: deadline exceeded"',
    2,
    'kubernetes-csi',
    'k8s-csi',
  ],
  ['ssd-failed', '[MINOR] sjc-obj-01 SSD_FAILED dnode-4/ssd-17: SSD ssd-17 failed', 3, 'storage-node', 'ssd'],
  [
    'switch-port-link-down',
    'VMS | MINOR | cluster=sjc-obj-01 | PORT_LINK_DOWN | switch-leaf-04/Ethernet12 | Link down on Ethernet12',
    3,
    'network',
    'link',
  ],
  [
    'nic-link-down',
    'VMS | MAJOR | cluster=phx-obj-01 | NIC_LINK_FLAP | cnode-12/eth3 | Link flapping on port eth3 (6 changes in 5m)',
    3,
    'network',
    'nic',
  ],
  [
    'fan-failed',
    '[MINOR] sjc-obj-01 DNODE_FAN_FAILED dnode-3/fan-2: Fan fan-2 stopped',
    3,
    'storage-node',
    'fan',
  ],
  [
    'psu-failed',
    '[MINOR] sjc-obj-01 PSU_FAILURE dnode-5/psu-2: Power supply psu-2 lost input',
    3,
    'storage-node',
    'psu',
  ],
  [
    'capacity-warning',
    'alert=CapacityHigh cluster=sjc-obj-01 capacity_pct=84 summary="Cluster capacity above threshold"',
    3,
    'capacity',
    'capacity',
  ],
  [
    'performance-degradation',
    '[MINOR] sjc-obj-01 READ_LATENCY_HIGH: Read latency p99 is 48 ms (above 20 ms SLO)',
    3,
    'performance',
    'performance',
  ],
];

describe('default classification rules', () => {
  it('compile without problems and each has an example here', () => {
    expect(compileRules(DEFAULT_CLASSIFICATION_RULES).problems).toEqual([]);
    expect(DEFAULT_CASES.map(([name]) => name).sort()).toEqual(
      DEFAULT_CLASSIFICATION_RULES.map((r) => r.name).sort(),
    );
  });

  it.each(DEFAULT_CASES)('%s: %s → Sev%i %s/%s', (rule, text, severity, category, componentKind) => {
    const alarm = fromSlack(text);
    expect(alarm.matchedRules).toEqual([rule]);
    expect(alarm).toMatchObject({ severity, category, componentKind });
  });

  it('pages Sev1 for the Alertmanager NodeDown of a C-node', () => {
    const result = parseAlertmanagerWebhook(alertmanagerPayload);
    if (!result.ok) throw new Error(result.reason);
    const alarm = classify(result.alerts[0]!, { ...ctx(), source: 'alertmanager' });
    expect(alarm).toMatchObject({ severity: 1, category: 'compute-node', matchedRules: ['cnode-down'] });
  });

  it.each([
    [
      'a link on a C-node is a NIC problem, not the node',
      'alert=LINK_EVENT cluster=sjc-obj-01 cnode-12 eth3 link down',
      3,
      'nic-link-down',
    ],
    [
      'CPU usage is not capacity',
      '[MAJOR] sjc-obj-01 CNODE_HIGH_CPU cnode-3: CPU usage 95% on cnode-3',
      2,
      undefined,
    ],
    [
      'an NVRAM that went offline in a live D-node is Sev2',
      '[MAJOR] sjc-obj-01 NVRAM_STATE dnode-3: dnode-3 NVRAM is offline',
      2,
      'nvram-failed',
    ],
    [
      'a node down that also lost its links stays Sev1',
      '[MAJOR] sjc-obj-01 CNODE_DOWN cnode-17: C-node cnode-17 lost heartbeat, all links down',
      1,
      'cnode-down',
    ],
    [
      'below 80% is not a capacity alarm',
      'alert=CapacityReport cluster=sjc-obj-01 usage=71 summary="capacity report" severity=info',
      4,
      undefined,
    ],
  ])('%s', (_label, text, severity, rule) => {
    const alarm = fromSlack(text);
    expect(alarm.severity).toBe(severity);
    expect(alarm.matchedRules).toEqual(rule ? [rule] : []);
  });
});

describe('fallbacks', () => {
  const parsed = (over: Partial<ParsedAlarm>): ParsedAlarm => ({
    format: 'key-value',
    name: 'SOMETHING_ODD',
    status: 'firing',
    summary: 'something odd',
    labels: {},
    ...over,
  });

  it.each([
    ['critical', 1],
    ['P1', 1],
    ['sev1', 1],
    ['MAJOR', 2],
    ['error', 2],
    ['high', 2],
    ['minor', 3],
    ['warning', 3],
    ['medium', 3],
    ['info', 4],
    ['low', 4],
    ['whatever', 4],
    [undefined, 4],
  ])('severity from source %s → Sev%i', (sourceSeverity, severity) => {
    expect(classify(parsed({ sourceSeverity }), ctx()).severity).toBe(severity);
  });

  it.each([
    ['cnode', 'compute-node'],
    ['dnode', 'storage-node'],
    ['fan', 'storage-node'],
    ['nic', 'network'],
    ['switch', 'network'],
    ['k8s-csi', 'kubernetes-csi'],
    ['capacity', 'capacity'],
    ['performance', 'performance'],
    ['volume', 'other'],
    [undefined, 'other'],
  ] as const)('category from component kind %s → %s', (componentKind, category) => {
    expect(classify(parsed({ componentKind }), ctx()).category).toBe(category);
  });

  it('fills identity: cluster unknown, component from cluster, a stable fingerprint, now as start', () => {
    const firing = classify(parsed({ cluster: 'sjc-obj-01' }), ctx());
    expect(firing).toMatchObject({
      cluster: 'sjc-obj-01',
      componentKind: 'other',
      componentId: 'sjc-obj-01',
      startsAt: NOW,
    });
    expect(firing.endsAt).toBeUndefined();
    expect(firing.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(firing.fingerprint).toBe(alarmFingerprint('nimbus', 'sjc-obj-01', 'SOMETHING_ODD', 'sjc-obj-01'));
    const resolved = classify(parsed({ cluster: 'sjc-obj-01', status: 'resolved' }), ctx());
    expect(resolved.fingerprint).toBe(firing.fingerprint);
    expect(resolved.endsAt).toBe(NOW);
    expect(classify(parsed({}), { ...ctx(), tenantId: 'other' }).fingerprint).not.toBe(
      classify(parsed({}), ctx()).fingerprint,
    );
    expect(classify(parsed({}), ctx()).cluster).toBe('unknown');
  });

  it('keeps a source fingerprint and times', () => {
    const alarm = classify(parsed({ fingerprint: 'a3f1c2d4e5b60718', startsAt: 1, endsAt: 2 }), ctx());
    expect(alarm).toMatchObject({ fingerprint: 'a3f1c2d4e5b60718', startsAt: 1, endsAt: 2 });
  });

  it('leaves unparseable input unclassified at Sev4, whatever its words say', () => {
    const alarm = fromSlack('is dnode-3 down? 2 SSDs failed???');
    expect(alarm).toMatchObject({
      format: 'unparseable',
      category: 'unclassified',
      severity: 4,
      matchedRules: [],
    });
  });
});

describe('config rules', () => {
  it('run before the defaults and stop them', () => {
    const rules: ClassificationRule[] = [
      {
        name: 'nimbus-lab-switches',
        match: { cluster: '^lab-', name: 'SWITCH_' },
        set: { severity: 4, category: 'other' },
      },
    ];
    const alarm = fromSlack(
      '[MAJOR] lab-obj-01 SWITCH_DOWN switch-leaf-04: Switch switch-leaf-04 is not responding',
      rules,
    );
    expect(alarm).toMatchObject({
      severity: 4,
      category: 'other',
      componentKind: 'switch',
      matchedRules: ['nimbus-lab-switches'],
    });
  });

  it('with stop:false add to the defaults; the first rule to set a field wins', () => {
    const rules: ClassificationRule[] = [
      {
        name: 'tag-rma',
        match: { componentKind: ['^fan$', '^psu$'] },
        set: { labels: { rma: 'fru' } },
        stop: false,
      },
      { name: 'fans-matter-here', match: { 'labels.rack': 'r1[0-9]' }, set: { severity: 2 }, stop: false },
    ];
    const alarm = fromSlack(
      'alert=DNODE_FAN_FAILED cluster=sjc-obj-01 id=dnode-3/fan-2 rack=r12 summary="Fan fan-2 stopped"',
      rules,
    );
    expect(alarm).toMatchObject({
      severity: 2,
      category: 'storage-node',
      componentKind: 'fan',
      labels: { rma: 'fru', rack: 'r12' },
      matchedRules: ['tag-rma', 'fans-matter-here', 'fan-failed'],
    });
  });

  it('match labels, negations and numbers; a missing field reads as empty', () => {
    const rules: ClassificationRule[] = [
      {
        name: 'ckpt-capacity',
        match: { 'number:labels.usage,text': '>=70 <80', '!cluster': '^lab-', site: '^$' },
        set: { severity: 2, category: 'capacity' },
      },
    ];
    expect(
      fromSlack('alert=VIEW_QUOTA cluster=sjc-obj-01 usage=75% summary="ckpt view"', rules).matchedRules,
    ).toEqual(['ckpt-capacity']);
    expect(
      fromSlack('alert=VIEW_QUOTA cluster=sjc-obj-01 summary="ckpt view at 79.5 percent"', rules).severity,
    ).toBe(2);
    expect(fromSlack('alert=VIEW_QUOTA cluster=lab-obj-01 usage=75', rules).matchedRules).toEqual([]);
    expect(fromSlack('alert=VIEW_QUOTA cluster=sjc-obj-01 usage=85', rules).matchedRules).toEqual([]);
  });

  it('can teach the bot an unparseable format', () => {
    const rules: ClassificationRule[] = [
      {
        name: 'bmc-critical',
        match: { format: '^unparseable$', summary: 'BMC .* critical' },
        set: { severity: 2, category: 'storage-node' },
      },
    ];
    expect(fromSlack('BMC on dbox-7 reports critical temperature', rules)).toMatchObject({
      severity: 2,
      category: 'storage-node',
      matchedRules: ['bmc-critical'],
    });
  });
});

describe('compileRules', () => {
  it('reports bad regexes, fields and comparisons in plain words, and skips those rules', () => {
    const rules = [
      { name: 'ok', match: { name: 'X' }, set: {} },
      {
        name: 'broken',
        match: { name: ['fine', '(unclosed'], nmae: 'x', 'number:labels.pct': '>> 9' },
        set: {},
      },
    ] as ClassificationRule[];
    const { rules: usable, problems } = compileRules(rules);
    expect(usable.map((r) => r.name)).toEqual(['ok']);
    expect(problems.map((p) => describeRuleProblem(p, rules))).toEqual([
      'rules[1] (broken) match.name[1]: not a valid regular expression: "(unclosed" — missing closing ) (RE2 syntax)',
      'rules[1] (broken) match.nmae: unknown field "nmae"; expected one of name, summary, text, cluster, site, status, componentKind, componentId, sourceSeverity, format, labels.<key>, optionally prefixed by ! or number:',
      'rules[1] (broken) match.number:labels.pct: expected comparisons like ">=90" or ">=80 <90", got ">> 9"',
    ]);
  });

  it('classify ignores a broken config rule instead of throwing', () => {
    const rules = [{ name: 'broken', match: { name: '(' }, set: { severity: 1 } }] as ClassificationRule[];
    const alarm = fromSlack('[MINOR] sjc-obj-01 SSD_FAILED dnode-4/ssd-17: SSD ssd-17 failed', rules);
    expect(alarm).toMatchObject({ severity: 3, matchedRules: ['ssd-failed'] });
  });
});
