import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';

/** A real pino logger writing JSON lines into memory, so tests can read what was logged. */
export function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
