import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './camera-servers.js';

const run = promisify(execFile);

/** Debian's broker and its password tool (package mosquitto, installed by .ci/run). */
const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

/** How long the broker may take to listen before the test gives up. */
const READY_TIMEOUT_MS = 10_000;

export interface MosquittoOptions {
  /** Loopback port; a free one when omitted. Give the old port to start a stopped broker again. */
  port?: number;
  /** With a password, only this user may connect (allow_anonymous false). */
  username?: string;
  password?: string;
  /** Largest message the broker takes, in bytes (mosquitto's message_size_limit); 0 for none. */
  messageSizeLimit?: number;
}

export interface Mosquitto {
  port: number;
  /** mqtt://127.0.0.1:<port>, without credentials. */
  url: string;
  /** The broker's own log lines so far (stderr). */
  output(): string;
  /** Stops the broker (SIGTERM, then SIGKILL after 3 s) and removes its temp folder. */
  stop(): Promise<void>;
}

/**
 * Starts mosquitto on 127.0.0.1 with a temp config, no persistence (so no retained message
 * outlives it), and resolves once it accepts TCP connections.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-mosquitto-'));

  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'user root'];
  if (options.messageSizeLimit !== undefined) lines.push(`message_size_limit ${options.messageSizeLimit}`);
  if (options.password !== undefined) {
    const passwordFile = join(dir, 'passwd');
    await run(MOSQUITTO_PASSWD, ['-b', '-c', passwordFile, options.username ?? 'skychoir', options.password]);
    lines.push(`password_file ${passwordFile}`, 'allow_anonymous false');
  } else {
    lines.push('allow_anonymous true');
  }
  const configFile = join(dir, 'mosquitto.conf');
  await writeFile(configFile, `${lines.join('\n')}\n`);

  const broker = spawn(MOSQUITTO, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  broker.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  try {
    await waitUntilListening(broker, port, () => output);
  } catch (error) {
    await stopProcess(broker);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      await stopProcess(broker);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(broker: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (broker.exitCode !== null) throw new Error(`mosquitto exited (${broker.exitCode}): ${output()}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${READY_TIMEOUT_MS} ms: ${output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}
