import type { Command } from 'commander';
import { runDaemon } from '../app/daemon.js';
import { createLogger } from '../log.js';
import { SystemClock } from '../time/clock.js';
import { configFrom, withCommonOptions, type CommonOptions } from './options.js';
import { untilStopped } from './stop-signal.js';

interface RunFlags extends CommonOptions {
  port?: string;
  host?: string;
}

export function registerRun(program: Command, version: string): void {
  withCommonOptions(
    program
      .command('run')
      .description(
        'Play the sky as it happens: poll the weather, read the camera (camera.url), compose, and stream ' +
          'the mix over HTTP (MP3 at /stream, Ogg/Opus at /stream.opus) with a dashboard at /, and to the ' +
          'configured Icecast server, sound card and files, until Ctrl-C or SIGTERM (which fade out).',
      )
      .option('--port <port>', 'HTTP port (output.port)')
      .option('--host <host>', 'address to bind (output.host; 127.0.0.1 by default)'),
  ).action(async (flags: RunFlags) => {
    const sets = [
      ...(flags.port === undefined ? [] : [`output.port=${flags.port}`]),
      ...(flags.host === undefined ? [] : [`output.host=${flags.host}`]),
    ];
    const config = configFrom(flags, sets);
    const log = createLogger(config.log.level, undefined, config.log.components);
    const clock = new SystemClock((err) => log.error({ err }, 'a scheduled task failed; the daemon goes on'));

    await untilStopped((signal) =>
      runDaemon({
        config, log, clock, version, signal,
        onListening: ({ host, port }) => {
          const shown = host.includes(':') ? `[${host}]` : host;
          process.stderr.write(`skychoir: playing; dashboard http://${shown}:${port}/ · stream http://${shown}:${port}/stream\n`);
        },
      }),
    );
  });
}
