// The tenant rules (which incidents get a case and an escalation unasked) as their own module:
// they need both the cases and the escalations capability, so they install after both.
import type { CapabilityFactory } from '../app.js';
import { TenantRules } from '../services/tenant-rules.js';

export const tenantRules: CapabilityFactory = (k) => {
  new TenantRules({
    incidents: k.stores.incidents,
    tenants: k.tenants,
    cases: k.need('cases'),
    escalations: k.need('escalations'),
  }).listen(k.events);
  return { name: 'tenant-rules' };
};
