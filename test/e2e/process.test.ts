// The built program as a subprocess (Probot's e2e style): real env, real signals, real exit codes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { parseEnv as parseDotenv } from 'node:util';
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

function run(env: Record<string, string>, command: readonly string[] = [process.execPath, MAIN]): Run {
  const [file = process.execPath, ...args] = command;
  const child = spawn(file, args, {
    // This Node first, so `npm start` runs the same Node as the test.
    env: { PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), ...env },
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

/** Every process below `pid`, read from /proc (Linux), so a test can see the whole tree exit. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Alive = has a /proc entry that is not a zombie (an exited child nobody has reaped yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

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

  it('stops with one clear line and exit code 2 when Slack refuses the token (invalid_auth), instead of retrying forever', async () => {
    const t = tempDir();
    temps.push(t);
    const slack = await SlackStandIn.start();
    try {
      const r = run({
        SLACK_MODE: 'http',
        SLACK_BOT_TOKEN: 'xoxb-1234-5678-revokedtokenvalue',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_PATH: t.dbPath,
        CONFIG_FILE: 'config/sandbox.yaml',
      });
      running.push(r);
      expect(await r.exited).toBe(2);
      const err = r.stderr.join('');
      expect(err).toMatch(/SLACK_BOT_TOKEN.*invalid_auth/);
      expect(err).not.toMatch(/\n\s+at /);
      expect(err).not.toContain('revokedtokenvalue');
    } finally {
      await slack.stop();
    }
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

  it('refuses an unedited copy of .env.example with exit code 2, naming the placeholder tokens', async () => {
    const t = tempDir();
    temps.push(t);
    const example = parseDotenv(readFileSync('.env.example', 'utf8'));
    const r = run({ ...example, CONFIG_FILE: 'config/opsbot.example.yaml', DATABASE_PATH: t.dbPath });
    running.push(r);
    expect(await r.exited).toBe(2);
    const err = r.stderr.join('');
    expect(err).toMatch(/^ {2}- SLACK_BOT_TOKEN: still holds the example value from \.env\.example/m);
    expect(err).toMatch(/^ {2}- SLACK_APP_TOKEN: still holds the example value from \.env\.example/m);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('stops the whole `npm start` process tree on SIGTERM and frees the port', async () => {
    const t = tempDir();
    temps.push(t);
    const slack = await SlackStandIn.start();
    const tree: number[] = [];
    try {
      // `npm start` exactly as documented, minus its prestart build: npm test built dist/ already.
      const r = run(
        {
          HOME: process.env.HOME ?? t.dir,
          SLACK_MODE: 'http',
          SLACK_BOT_TOKEN: slack.botToken,
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: slack.apiUrl,
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_PATH: t.dbPath,
          CONFIG_FILE: 'config/sandbox.yaml',
          LOG_LEVEL: 'info',
        },
        ['npm', 'start', '--ignore-scripts', '--silent'],
      );
      running.push(r);
      const listening = JSON.parse(await waitForLog(r, /HTTP server listening/)) as { port: number };
      const pid = r.child.pid ?? 0;
      tree.push(pid, ...descendants(pid));
      // The bot is in the tree (the bug: npm → sh → node, and sh's death left node running).
      expect(tree.some((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(MAIN))).toBe(true);
      expect(await portIsFree(listening.port)).toBe(false);

      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      await waitForLog(r, /"msg":"stopped"/);
      expect(await eventually(() => tree.every((p) => !alive(p)))).toBe(true);
      expect(await eventually(() => portIsFree(listening.port))).toBe(true);
    } finally {
      // Should the test fail, leave no orphaned bot behind holding a port and a database.
      for (const p of tree.filter(alive)) process.kill(p, 'SIGKILL');
      await slack.stop();
    }
  });
});
