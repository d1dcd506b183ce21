// The on-call schedule engine: pure functions of (schedule, overrides, instants in epoch ms).
// See docs/oncall.md for the model, the precedence rule and the DST rule.
export {
  escalationChain,
  MAX_SHIFT_SEARCH_MS,
  nextHandoffs,
  type OnCallOptions,
  onCallAt,
  shifts,
} from './engine.js';
export {
  type EngineerLoad,
  inWorkingHours,
  isWeekend,
  type LoadPage,
  type LoadReport,
  onCallLoad,
} from './load.js';
export { SEARCH_DAYS } from './rules.js';
export { formatLocal, formatRange, isValidZone, parseIsoDay, parseWallTime } from './time.js';
export * from './types.js';
export { conflicts, coverageGaps, validationHorizon } from './validation.js';
export { parseWhen, WHEN_EXAMPLES } from './when.js';
