// npm run config:check [file] — validates a config file without starting the bot.
// Exit 0 and "ok: N tenants" when valid; every problem on stderr and exit 2 otherwise.
import { DEFAULT_CONFIG_FILE } from './env.js';
import { loadConfigFile } from './load.js';

const file = process.argv[2] ?? process.env.CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
const result = loadConfigFile(file);
if (result.ok) {
  const ids = result.config.tenants.map((tenant) => tenant.id);
  console.log(`ok: ${ids.length} tenant${ids.length === 1 ? '' : 's'} (${ids.join(', ')}) in ${file}`);
} else {
  for (const problem of result.problems) console.error(problem);
  console.error(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${file}`);
  process.exitCode = 2;
}
