// The built program as a subprocess (Probot's e2e style): real env, real signals, real exit codes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../sandbox/slack-standin/index.js';
import { signSlackRequest, slashCommandForm } from '../../sandbox/slack-wire.js';
import { tempDir } from '../helpers/temp-db.js';

const MAIN = 'dist/main.js';
const SECRET = 'process-test-signing-secret';

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d) => stdout.push(String(d)));
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

async function waitForLog(r: Run, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = r.stdout
      .join('')
      .split('\n')
      .find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(
    `no log line matching ${pattern}; stdout:\n${r.stdout.join('')}\nstderr:\n${r.stderr.join('')}`,
  );
}

const running: Run[] = [];
const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const r of running.splice(0)) r.child.kill('SIGKILL');
  for (const t of temps.splice(0)) t.remove();
});

beforeAll(() => {
  // test/setup/build.ts (vitest globalSetup) builds it when missing or stale.
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build`);
});

describe('the built program', () => {
  it('refuses a bad environment and config with one line per problem, exit code 2, no stack trace', async () => {
    const t = tempDir();
    temps.push(t);
    const badConfig = join(t.dir, 'opsbot.yaml');
    writeFileSync(badConfig, 'staff:\n  userIds: [U0STAFF001]\ntenants:\n  - id: Nimbus\n');
    const r = run({ SLACK_BOT_TOKEN: 'xoxp-wrong-kind', PORT: 'eighty', CONFIG_FILE: badConfig });
    expect(await r.exited).toBe(2);
    const err = r.stderr.join('');
    expect(err).toMatch(/SLACK_BOT_TOKEN: .*xoxb-/);
    expect(err).toMatch(/SLACK_APP_TOKEN/);
    expect(err).toMatch(/PORT: .*"eighty"/);
    expect(err).toMatch(/opsbot\.yaml:4: tenants\[0\]\.id/);
    expect(err).not.toContain('xoxp-wrong-kind');
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('serves signed Slack requests over HTTP and shuts down gracefully on SIGTERM', async () => {
    const t = tempDir();
    temps.push(t);
    const slack = await SlackStandIn.start();
    try {
      const r = run({
        SLACK_MODE: 'http',
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_PATH: t.dbPath,
        CONFIG_FILE: 'config/sandbox.yaml',
        LOG_LEVEL: 'info',
      });
      running.push(r);
      const listening = JSON.parse(await waitForLog(r, /HTTP server listening/)) as { port: number };
      const base = `http://127.0.0.1:${listening.port}`;
      await waitForLog(r, /Slack token verified/);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      const body = slashCommandForm({
        command: '/opsbot',
        text: 'help',
        user_id: 'U0STAFF001',
        channel_id: 'C0NIMBOPS1',
      });
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      const signed = await fetch(`${base}/slack/events`, {
        method: 'POST',
        body,
        headers: { ...headers, ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000)) },
      });
      expect(signed.status).toBe(200);
      expect(((await signed.json()) as { text: string }).text).toContain('/opsbot help');
      const forged = await fetch(`${base}/slack/events`, {
        method: 'POST',
        body,
        headers: { ...headers, ...signSlackRequest('wrong', body, Math.floor(Date.now() / 1000)) },
      });
      expect(forged.status).toBe(401);

      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      await waitForLog(r, /"msg":"stopped"/);
      const logs = r.stdout.join('');
      expect(logs).not.toContain(slack.botToken);
      expect(logs).not.toContain(SECRET);
    } finally {
      await slack.stop();
    }
  });
});
