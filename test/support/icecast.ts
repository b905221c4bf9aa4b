import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './camera-servers.js';

/** A local Icecast server for tests, on loopback. */
export interface LocalIcecast {
  port: number;
  /** Where a listener GETs a mount, e.g. url('/sky.mp3'). */
  url(mount: string): string;
  /** Where a source pushes a mount: icecast://source:PASSWORD@127.0.0.1:PORT/mount (ffmpeg's form). */
  sourceUrl(mount: string): string;
  /** Starts it again on the same port (after stop). */
  start(): Promise<void>;
  /** Stops it (SIGTERM, SIGKILL after 3 s); sources and listeners are cut. Idempotent. */
  stop(): Promise<void>;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
  /** Its error log so far (for a failing test's message). */
  errorLog(): string;
}

/**
 * Starts Debian's icecast2 (package icecast2) on a free loopback port with a config written to
 * a temp dir, and waits until it answers HTTP. Icecast refuses to run as root: as root, it is
 * told to change to nobody:nogroup after binding (the temp dir is made writable for that).
 */
export async function startIcecast(options: { port?: number; sourcePassword: string }): Promise<LocalIcecast> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'skychoir-icecast-'));
  chmodSync(dir, 0o777);
  const configPath = join(dir, 'icecast.xml');
  writeFileSync(configPath, icecastConfig(port, dir, options.sourcePassword));

  let child: ChildProcess | null = null;
  const errorLog = (): string => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };

  const start = async (): Promise<void> => {
    if (child) return;
    const started = spawn('icecast2', ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    started.once('error', (error) => (stderr += `${error.message} (is the icecast2 package installed?)`));
    child = started;
    await waitForHttp(port, () => started.exitCode !== null || started.signalCode !== null || stderr.includes('ENOENT'),
      () => `icecast2 did not start on port ${port}: ${stderr}\n${errorLog().slice(-2000)}`);
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const closed = once(running, 'close');
    running.kill('SIGTERM');
    const hardStop = setTimeout(() => running.kill('SIGKILL'), 3_000);
    await closed;
    clearTimeout(hardStop);
  };

  await start();
  return {
    port,
    url: (mount) => `http://127.0.0.1:${port}${mount}`,
    sourceUrl: (mount) => `icecast://source:${options.sourcePassword}@127.0.0.1:${port}${mount}`,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    errorLog,
  };
}

/** Polls HTTP until Icecast answers; throws `why()` if `gaveUp()` or after 10 s. */
async function waitForHttp(port: number, gaveUp: () => boolean, why: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    if (gaveUp()) break;
    try {
      // Any answer will do (Debian's status-json.xsl is broken: it imports a file not shipped).
      const response = await fetch(`http://127.0.0.1:${port}/skychoir-probe`);
      await response.arrayBuffer();
      return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(why());
}

function icecastConfig(port: number, dir: string, sourcePassword: string): string {
  const asRoot = process.getuid?.() === 0;
  const changeOwner = asRoot ? '<changeowner><user>nobody</user><group>nogroup</group></changeowner>' : '';
  return `<icecast>
  <location>skychoir tests</location>
  <admin>tests@localhost</admin>
  <limits>
    <clients>50</clients><sources>4</sources><queue-size>1048576</queue-size>
    <client-timeout>10</client-timeout><header-timeout>5</header-timeout><source-timeout>5</source-timeout>
    <burst-on-connect>1</burst-on-connect><burst-size>65536</burst-size>
  </limits>
  <authentication>
    <source-password>${escapeXml(sourcePassword)}</source-password>
    <relay-password>relay-${Date.now()}</relay-password>
    <admin-user>admin</admin-user><admin-password>admin-${Date.now()}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>${port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>${dir}</logdir>
    <webroot>/etc/icecast2/web</webroot>
    <adminroot>/etc/icecast2/admin</adminroot>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel><logsize>10000</logsize></logging>
  <security><chroot>0</chroot>${changeOwner}</security>
</icecast>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
