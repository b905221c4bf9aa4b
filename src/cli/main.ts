import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { RenderStopped } from '../app/render.js';
import { CheckFailed, InputError } from '../errors.js';
import { printConfig } from '../config/print.js';
import { createLogger } from '../log.js';
import { configFrom, withCommonOptions, type CommonOptions } from './options.js';
import { registerDetect } from './detect.js';
import { registerRender } from './render.js';
import { registerRecord } from './record.js';
import { registerReplay } from './replay.js';
import { registerRun } from './run.js';
import { registerStems } from './stems.js';
import { registerWeather } from './weather.js';

/** The version in package.json, read next to the built code (dist/cli → package.json). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Runs the skychoir command line; returns the process exit code. Never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('skychoir')
    .description('Composes an endless choral soundtrack from the weather and a sky camera.')
    .version(packageVersion(), '-V, --version', 'print the version of skychoir')
    .exitOverride()
    .showHelpAfterError();

  registerRun(program, packageVersion());
  registerRender(program);
  registerReplay(program);
  registerRecord(program);
  registerWeather(program);
  registerDetect(program);
  registerStems(program);
  withCommonOptions(
    program
      .command('config')
      .description('Print the effective configuration (file, environment, --set) with secrets masked.'),
  ).action((options: CommonOptions) => {
    process.stdout.write(printConfig(configFrom(options)));
  });

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}

/** Exit status of a run stopped by SIGINT or SIGTERM, as shells report a signal. */
const STOPPED_BY_SIGNAL = 130;

function reportFailure(error: unknown): number {
  // Help and --version exit 0; a usage mistake (commander has printed it) is the user's: 2.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof RenderStopped) {
    process.stderr.write(`skychoir: ${error.message}\n`);
    return STOPPED_BY_SIGNAL;
  }
  if (error instanceof CheckFailed) {
    process.stderr.write(`skychoir: ${error.message}\n`);
    return 1;
  }
  if (error instanceof InputError) {
    process.stderr.write(`skychoir: ${error.message}\n`);
    return 2;
  }
  // The level is fixed: the configured one may be what failed to validate.
  createLogger('fatal').fatal({ err: error }, 'skychoir stopped');
  process.stderr.write(`skychoir: ${(error as Error).message ?? String(error)}\n`);
  return 1;
}
