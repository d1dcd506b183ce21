// npm run db:migrate: applies pending migrations to DATABASE_PATH (the bot also does this at start).
import { openDatabase } from './db.js';

const path = process.env.DATABASE_PATH || './data/opsbot.db';
try {
  const db = openDatabase(path);
  const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
    version: number;
    name: string;
  }>;
  db.close();
  process.stdout.write(
    `${path}: schema at version ${rows.at(-1)?.version ?? 0} (${rows.map((r) => r.name).join(', ')})\n`,
  );
} catch (error) {
  process.stderr.write(`could not migrate ${path}: ${(error as Error).message}\n`);
  process.exit(1);
}
