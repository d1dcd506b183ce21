// Small builders for outreach detector inputs; plain epoch-ms clocks.
import { DEFAULT_OUTREACH_SETTINGS } from '../../../../src/domain/outreach/defaults.js';
import type {
  OutreachAlarmEvent,
  OutreachIncident,
  OutreachIncidentMember,
} from '../../../../src/domain/outreach/types.js';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Monday 5 January 2026, 00:00 UTC: aligned to every window size the tests use. */
export const T0 = Date.UTC(2026, 0, 5);

export const defaults = structuredClone(DEFAULT_OUTREACH_SETTINGS);

export function event(at: number, overrides: Partial<OutreachAlarmEvent> = {}): OutreachAlarmEvent {
  return {
    at,
    tenantId: 'nimbus',
    cluster: 'sjc-obj-01',
    category: 'network',
    componentKind: 'nic',
    componentId: 'cnode-4/eth3',
    name: 'NIC_LINK_DOWN',
    status: 'firing',
    summary: 'eth3 on cnode-4 link down',
    labels: {},
    ...overrides,
  };
}

/** A flap: firing at `at`, resolved a minute later. */
export function flap(at: number, overrides: Partial<OutreachAlarmEvent> = {}): OutreachAlarmEvent[] {
  return [event(at, overrides), event(at + MIN, { ...overrides, status: 'resolved' })];
}

export function member(overrides: Partial<OutreachIncidentMember> = {}): OutreachIncidentMember {
  return {
    name: 'DNODE_DOWN',
    componentKind: 'dnode',
    componentId: 'dnode-3',
    status: 'firing',
    firstSeen: T0,
    lastSeen: T0,
    labels: {},
    transitions: [T0],
    ...overrides,
  };
}

export function incident(overrides: Partial<OutreachIncident> = {}): OutreachIncident {
  return {
    incidentId: 7,
    tenantId: 'nimbus',
    cluster: 'sjc-obj-01',
    category: 'storage-node',
    severity: 1,
    openedAt: T0,
    title: 'dnode-3 is down',
    members: [member()],
    ...overrides,
  };
}

export const noIncidents = { incidents: [] };
