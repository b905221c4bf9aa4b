/**
 * `skychoir run` as a user starts it (the built CLI in its own process, so its CPU and
 * memory can be read from /proc apart from the bench's), with a temporary config: a local
 * weather server, optionally a local camera, FastestDet from ../shared/models, one HTTP
 * listener address. Its JSON log lines are kept for the figures that need them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DaemonStatus } from '../src/server/status.js';
import { freePort } from '../test/support/camera-servers.js';

const REPO_DIR = resolve(import.meta.dirname, '..');
const SHARED_DIR = resolve(REPO_DIR, '../shared');
const CLI = join(REPO_DIR, 'bin/skychoir.js');

export interface DaemonSetup {
  /** A folder for the config file. */
  workDir: string;
  /** Name of the run, for the config file and messages. */
  name: string;
  /** The weather server's forecast URL. */
  weatherUrl: string;
  /** The camera's URL; none runs the daemon without a camera. */
  cameraUrl?: string;
  /** Frames analysed per second (camera.analysisFps). */
  analysisFps?: number;
  /** Audio seconds rendered ahead of real time (run.leadS); the daemon's default when absent. */
  leadS?: number;
  /** More YAML lines (top-level keys not set above). */
  extraYaml?: string[];
  /** Called with the daemon's base URL as soon as its process is spawned (before it listens). */
  onSpawned?: (base: string) => void;
}

/** One JSON log line of the daemon, with pino's `time` (epoch ms) and `msg`. */
export type LogLine = Record<string, unknown> & { time: number; msg: string };

export class LiveDaemon {
  readonly logLines: LogLine[] = [];
  private stderrTail = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess, readonly base: string, readonly name: string) {
    let pending = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.keep(line);
    });
    child.once('exit', () => (this.exited = true));
  }

  /** Starts the daemon and resolves once its HTTP server answers /status. */
  static async start(setup: DaemonSetup): Promise<LiveDaemon> {
    warnIfStale();
    const port = await freePort();
    const config = join(setup.workDir, `${setup.name}.yaml`);
    writeFileSync(config, [
      'place: { name: Bruges, latitude: 51.2, longitude: 3.2, timezone: Europe/Brussels }',
      `weather: { baseUrl: "${setup.weatherUrl}" }`,
      `camera: { analysisFps: ${setup.analysisFps ?? 1} }`,
      `vision: { modelDir: ${join(SHARED_DIR, 'models')}, detector: fastestdet }`,
      `output: { port: ${port} }`,
      `run: { fadeOutS: 0.5${setup.leadS === undefined ? '' : `, leadS: ${setup.leadS}`} }`,
      ...(setup.extraYaml ?? []),
    ].join('\n'));

    const { SKYCHOIR_CAMERA_URL: _unused, ...inherited } = process.env;
    const env = setup.cameraUrl ? { ...inherited, SKYCHOIR_CAMERA_URL: setup.cameraUrl } : inherited;
    const child = spawn(process.execPath, [CLI, 'run', '-c', config], { cwd: REPO_DIR, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const daemon = new LiveDaemon(child, `http://127.0.0.1:${port}`, setup.name);
    setup.onSpawned?.(daemon.base);
    await daemon.waitFor('its HTTP server', async () => (await daemon.status()) !== null, 60_000);
    return daemon;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** GET /status, or null while it does not answer. */
  async status(): Promise<DaemonStatus | null> {
    try {
      const response = await fetch(`${this.base}/status`);
      return response.ok ? ((await response.json()) as DaemonStatus) : null;
    } catch {
      return null;
    }
  }

  /** One Prometheus sample from /metrics (the first line with that name), or null. */
  async metric(name: string): Promise<number | null> {
    try {
      const text = await (await fetch(`${this.base}/metrics`)).text();
      const line = text.split('\n').find((each) => each.startsWith(`${name} `) || each.startsWith(`${name}{`));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
    } catch {
      return null;
    }
  }

  /** Polls `condition` every 200 ms; throws with the log's tail when the daemon exits or `limitMs` passes. */
  async waitFor(what: string, condition: () => Promise<boolean> | boolean, limitMs = 30_000): Promise<void> {
    const started = performance.now();
    for (;;) {
      if (this.exited) throw new Error(`daemon ${this.name} exited while waiting for ${what}:\n${this.stderrTail}`);
      if (await condition()) return;
      if (performance.now() - started > limitMs) throw new Error(`daemon ${this.name}: gave up waiting for ${what}:\n${this.stderrTail}`);
      await sleep(200);
    }
  }

  /** SIGTERM (a fade-out, then a clean stop); SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  }

  private keep(line: string): void {
    this.stderrTail = (this.stderrTail + line + '\n').slice(-4000);
    if (!line.startsWith('{')) return;
    try {
      this.logLines.push(JSON.parse(line) as LogLine);
    } catch {
      // A line cut by a crash: the tail keeps it for the error message.
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The bench runs the built CLI: say so when dist/ is missing or older than the daemon's source. */
function warnIfStale(): void {
  const built = join(REPO_DIR, 'dist/app/daemon.js');
  const source = join(REPO_DIR, 'src/app/daemon.ts');
  if (!existsSync(built)) throw new Error('dist/ is not built: run `npm run build` before the bench');
  if (statSync(built).mtimeMs < statSync(source).mtimeMs) {
    process.stderr.write('bench: dist/ is older than src/app/daemon.ts; the live figures are of the last build (`npm run build`)\n');
  }
}
