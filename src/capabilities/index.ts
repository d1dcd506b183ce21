// The capabilities the bot runs, in install order (a capability may use what an earlier one
// provides). Adding one is a new module in this folder and one line here.
import type { CapabilityFactory } from '../app.js';
import { cases } from './cases.js';
import { escalations } from './escalations.js';
import { oncall } from './oncall.js';
import { outreach } from './outreach.js';
import { platform } from './platform.js';
import { sla } from './sla.js';
import { tenantRules } from './tenant-rules.js';
import { triage } from './triage.js';
import { weeklyDigest } from './weekly-digest.js';

export const CAPABILITIES: CapabilityFactory[] = [
  platform,
  weeklyDigest,
  triage,
  oncall,
  cases,
  escalations,
  tenantRules,
  sla,
  outreach,
];
