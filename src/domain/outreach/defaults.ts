// Built-in outreach settings: what a tenant gets when its `outreach:` block names only what it
// changes. The config schema (config/outreach-schema.ts) uses these as its defaults, so tests of
// the domain and the config agree on them.
import type { OutreachSettings } from './types.js';

export const DEFAULT_OUTREACH_SETTINGS: OutreachSettings = {
  enabled: true,
  detectors: {
    impact: { enabled: true, severities: [1, 2], maxAgeMinutes: 240, computeNodesDown: 2 },
    recurring: {
      enabled: true,
      componentCount: 5,
      componentWindowMinutes: 60,
      componentKinds: [
        'nic',
        'link',
        'switch',
        'cnode',
        'dnode',
        'ssd',
        'nvram',
        'fan',
        'psu',
        'k8s-csi',
        'volume',
      ],
      nodeCount: 3,
      nodeWindowMinutes: 30,
      nodeCategories: ['network', 'compute-node', 'storage-node', 'kubernetes-csi'],
    },
    capacity: {
      enabled: true,
      thresholdPct: 90,
      horizonDays: 14,
      lookbackDays: 14,
      minSamples: 5,
      minSpanHours: 24,
    },
    performance: {
      enabled: true,
      windowHours: 24,
      priorDays: 3,
      minPeriodMinutes: 10,
      maxPeriodMinutes: 15,
      regularity: 0.6,
      tolerance: 0.2,
      minSpikes: 6,
      worseFactor: 1.5,
    },
  },
  rateLimit: { max: 3, windowMinutes: 60 },
  draftReminderMinutes: 15,
  draftExpiryMinutes: 60,
  updateIntervalMinutes: 60,
  customerTeamIds: [],
  firstContact: { leadInMinutes: 60, tailMinutes: 30, keywords: [] },
  templates: { initial: {}, update: {}, closing: {} },
};
