// npm run config:schema — regenerates config/opsbot.schema.json (editors validate the YAML
// with it). A unit test fails when the checked-in file is stale, so rerun this after schema edits.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildConfigJsonSchema } from './schema.js';

const target = fileURLToPath(new URL('../../config/opsbot.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
