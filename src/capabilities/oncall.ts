// On-call: who is on duty for each team, region and level (src/domain/oncall), and the shift
// handoff message other capabilities add sections to (running response clocks, ...).
// PLACEHOLDER until issue 9 lands: only the contract other capabilities build on — the handoff
// sections — is here; responders stay the tenants' contacts.
import type { CapabilityFactory } from '../app.js';
import { Sections } from '../services/sections.js';

/** What a handoff section is asked about: the team handing over, at the boundary instant. */
export interface HandoffContext {
  team: string;
  /** Tenants this team covers. */
  tenantIds: string[];
  /** The boundary instant. */
  at: number;
  /** The weekend handoff carries the week's summary. */
  weekend: boolean;
}

declare module '../app.js' {
  interface CapabilityApis {
    oncall: { handoffSections: Sections<HandoffContext> };
  }
}

export const oncall: CapabilityFactory = (k) => {
  k.provide('oncall', { handoffSections: new Sections<HandoffContext>() });
  return { name: 'oncall' };
};
