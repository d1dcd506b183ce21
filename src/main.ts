// Composition root: read env + config, build the bot, start it, stop it on a signal. Nothing else.
import { WebClient } from '@slack/web-api';
import { Opsbot } from './app.js';
import { CAPABILITIES } from './capabilities/index.js';
import { createLogger } from './logger.js';
import { verifySlackToken } from './slack/verify-token.js';
import { readStartup } from './startup.js';

const EXIT_CONFIG = 2;

async function main(): Promise<void> {
  const startup = await readStartup(process.env);
  if (!startup.ok) {
    process.stderr.write('vaas-opsbot cannot start; fix these and try again:\n');
    for (const problem of startup.problems) process.stderr.write(`  - ${problem}\n`);
    process.exit(EXIT_CONFIG);
  }
  const { env, config, caseTracker, escalationTrackers } = startup;
  const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  for (const warning of startup.warnings) logger.warn(warning);
  // A token that can never work is an operator problem: one line, exit 2. An outage is not: the
  // bot starts and its Slack health job keeps trying.
  const web = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
  });
  const token = await verifySlackToken((method) => web.apiCall(method));
  if (!token.ok && token.fatal) {
    process.stderr.write(`vaas-opsbot cannot start; fix these and try again:\n  - ${token.problem}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (token.ok) logger.info({ team: token.team, botUser: token.botUser }, 'Slack token verified');
  else logger.warn({ problem: token.problem }, 'Slack is not answering yet; the bot starts and keeps trying');
  const bot = new Opsbot(
    { env, config, logger, caseTracker, escalationTrackers, slackTokenVerified: token.ok },
    CAPABILITIES,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  await bot.start();
  logger.info(
    {
      tenants: config.tenants.map((t) => t.id),
      mode: env.SLACK_MODE,
      salesforce: caseTracker ? 'on' : 'off',
      jira: [...escalationTrackers.keys()],
    },
    'vaas-opsbot is running',
  );
}

main().catch((error: unknown) => {
  // Startup failures (port in use, unreadable database) are operator problems: one line, no stack.
  process.stderr.write(
    `vaas-opsbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
