// tsc only emits JavaScript; the SQL migrations must travel with the build.
import { cpSync } from 'node:fs';

cpSync('src/store/migrations', 'dist/store/migrations', { recursive: true });
