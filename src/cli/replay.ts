import type { Command } from 'commander';
import { replayDay } from '../app/replay.js';
import { createLogger } from '../log.js';
import { untilStopped } from './stop-signal.js';
import { configFrom, positiveNumber, withCommonOptions, type CommonOptions } from './options.js';

interface ReplayFlags extends CommonOptions {
  speed: number;
  port?: string;
  host?: string;
}

export function registerReplay(program: Command): void {
  withCommonOptions(
    program
      .command('replay')
      .description('Play a recorded day live on a virtual clock and stream the mix over HTTP (MP3) until the day ends.')
      .argument('<day>', 'folder of a recorded day (see docs/days.md)')
      .option('--speed <factor>', 'sky seconds per audio second (60: an hour of sky a minute)', positiveNumber('--speed'), 60)
      .option('--port <port>', 'HTTP port for /stream and /status (default from config: 8750)')
      .option('--host <address>', 'address to bind (default from config: 127.0.0.1)'),
  ).action(async (day: string, flags: ReplayFlags) => {
    const sets = [
      ...(flags.port === undefined ? [] : [`output.port=${flags.port}`]),
      ...(flags.host === undefined ? [] : [`output.host=${flags.host}`]),
    ];
    const config = configFrom(flags, sets);
    const log = createLogger(config.log.level);

    await untilStopped((signal) =>
      replayDay({
        config,
        dayDir: day,
        speed: flags.speed,
        log,
        signal,
        onListening: ({ host, port }) => process.stderr.write(`streaming at http://${host}:${port}/stream\n`),
      }),
    );
  });
}
