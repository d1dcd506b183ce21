// npm run config:check [file] — validates a config file without starting the bot.
// Exit 0 and "ok: N tenants" when valid; every problem on stderr and exit 2 otherwise.
// A valid file can still be useless in this environment: a tenant naming a Jira site
// (jira.site: JIRA_HELIX) whose settings are not set gets a warning on stderr (exit stays 0).
// The npm script reads .env when present, so the warning sees what `npm start` would see.
// On-call rotations that leave coverage gaps in the next 14 days are accepted, with a warning
// per gap (team, level, the stretch in UTC and in the region's zone).
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { coverageGaps } from '../domain/oncall/index.js';
import { unconfiguredJiraSites, unconfiguredJiraSiteWarning } from '../integrations/from-env.js';
import { DEFAULT_CONFIG_FILE } from './env.js';
import { loadConfigFile } from './load.js';
import { yamlLineLocator } from './yaml-locate.js';

const file = process.argv[2] ?? process.env.CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
const result = loadConfigFile(file);
if (result.ok) {
  const ids = result.config.tenants.map((tenant) => tenant.id);
  console.log(`ok: ${ids.length} tenant${ids.length === 1 ? '' : 's'} (${ids.join(', ')}) in ${file}`);
  const unconfigured = unconfiguredJiraSites(result.config, process.env);
  if (unconfigured.length > 0) {
    // Re-read only to point at the line; the file was just read successfully.
    const lineCounter = new LineCounter();
    const lineOf = yamlLineLocator(parseDocument(readFileSync(file, 'utf8'), { lineCounter }), lineCounter);
    for (const use of unconfigured) {
      const line = lineOf(['tenants', use.tenantIndex, 'jira', 'site']);
      console.error(`warning: ${unconfiguredJiraSiteWarning(use, line ? `${file}:${line}` : file)}`);
    }
  }
  if (result.config.oncall) {
    const now = Date.now();
    for (const gap of coverageGaps(result.config.oncall, now, now + 14 * 86_400_000))
      console.error(`warning: ${file}: oncall: ${gap.message}`);
  }
} else {
  for (const problem of result.problems) console.error(problem);
  console.error(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${file}`);
  process.exitCode = 2;
}
