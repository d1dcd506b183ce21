import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Opsbot } from '../../../src/app.js';
import { CAPABILITIES } from '../../../src/capabilities/index.js';
import { parseEnv } from '../../../src/config/env.js';
import { loadConfigFile } from '../../../src/config/load.js';
import { createLogger } from '../../../src/logger.js';
import { requiredBotScopes } from '../../../src/slack/scopes.js';
import { tempDir } from '../../helpers/temp-db.js';

interface Manifest {
  features: {
    slash_commands?: Array<{ command: string; url?: string }>;
    shortcuts?: Array<{ callback_id: string; type: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { bot_events?: string[]; request_url?: string };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const read = (path: string) => parse(readFileSync(path, 'utf8')) as Manifest;
const socket = read('manifests/slack-app.yaml');
const http = read('manifests/slack-app.http.yaml');

let bot: Opsbot;
const tmp = tempDir();
beforeAll(() => {
  const env = parseEnv({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-test',
    DATABASE_PATH: tmp.dbPath,
  });
  const config = loadConfigFile('config/sandbox.yaml');
  if (!env.ok || !config.ok) throw new Error('test setup');
  bot = new Opsbot(
    { env: env.env, config: config.config, logger: createLogger({ level: 'silent' }) },
    CAPABILITIES,
  );
});
afterAll(async () => {
  await bot.stop();
  tmp.remove();
});

describe.each([
  ['slack-app.yaml', socket],
  ['slack-app.http.yaml', http],
])('manifests/%s', (_name, manifest) => {
  it('declares exactly the slash commands the app registers', () => {
    const declared = (manifest.features.slash_commands ?? []).map((c) => c.command).sort();
    expect(declared).toEqual([...bot.inspect().inventory.commands].sort());
  });

  it('declares exactly the shortcuts the app registers', () => {
    const declared = (manifest.features.shortcuts ?? []).map((s) => s.callback_id).sort();
    expect(declared).toEqual([...bot.inspect().inventory.shortcuts].sort());
  });

  it('subscribes to exactly the bot events the app listens to', () => {
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(
      [...bot.inspect().inventory.botEvents].sort(),
    );
  });

  it('requests exactly the bot scopes the app needs', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredBotScopes(bot.inspect().inventory));
  });

  it('enables interactivity (slash command replies, buttons)', () => {
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
  });
});

describe('transport-specific settings', () => {
  it('socket manifest enables Socket Mode and has no request URLs', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions?.request_url).toBeUndefined();
    expect(socket.settings.interactivity?.request_url).toBeUndefined();
  });

  it('HTTP manifest points events, interactivity and commands at /slack/events', () => {
    expect(http.settings.socket_mode_enabled).toBe(false);
    const urls = [
      http.settings.event_subscriptions?.request_url,
      http.settings.interactivity?.request_url,
      ...(http.features.slash_commands ?? []).map((c) => c.url),
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });
});
