// A real Prometheus Alertmanager (Debian package prometheus-alertmanager) as the reference for the
// webhook door: started as a child process on a free loopback port with a minimal config (every
// alert routed to a 'null' receiver), clustering off, storage in a temp dir. Never installed here.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

export function alertmanagerInstalled(): boolean {
  return existsSync(ALERTMANAGER_BIN);
}

/** `0.25.0` from `prometheus-alertmanager --version`, or 'unknown'. */
export function alertmanagerVersion(): string {
  try {
    const out = execFileSync(ALERTMANAGER_BIN, ['--version'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: 'pipe',
    });
    return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

let ticks: number | undefined;
function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

const CONFIG = `route:
  receiver: 'null'
receivers:
  - name: 'null'
`;

/** A port nobody listens on right now (bind to 0, read it, release it). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class AlertmanagerProcess {
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly baseUrl: string,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep the tail only: enough to explain a failed start.
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
  }

  static async start(readyTimeoutMs = 20_000): Promise<AlertmanagerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-am-'));
    const configFile = join(dir, 'alertmanager.yml');
    writeFileSync(configFile, CONFIG);
    const port = await freeLoopbackPort();
    const child = spawn(
      ALERTMANAGER_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const am = new AlertmanagerProcess(child, dir, `http://127.0.0.1:${port}`);
    try {
      await am.waitReady(readyTimeoutMs);
      return am;
    } catch (error) {
      await am.stop();
      throw error;
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`alertmanager exited during start: ${this.stderr.trim()}`);
      try {
        const response = await fetch(`${this.baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`alertmanager not ready after ${timeoutMs} ms: ${this.stderr.trim()}`);
  }

  /** CPU time (user + system) the Alertmanager process has used so far, in µs (from /proc). */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based), in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicksPerSecond();
  }

  /** Number of alerts Alertmanager holds (GET /api/v2/alerts). */
  async alertCount(): Promise<number> {
    const response = await fetch(`${this.baseUrl}/api/v2/alerts?silenced=true&inhibited=true&active=true`);
    return ((await response.json()) as unknown[]).length;
  }

  /** SIGTERM, SIGKILL after 5 s, then removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
