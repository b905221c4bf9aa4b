import type { Command } from 'commander';
import { recordDay } from '../app/record.js';
import { createLogger } from '../log.js';
import { SystemClock } from '../time/clock.js';
import { configFrom, positiveNumber, withCommonOptions, type CommonOptions } from './options.js';
import { untilStopped } from './stop-signal.js';

interface RecordFlags extends CommonOptions {
  hours?: number;
}

export function registerRecord(program: Command): void {
  withCommonOptions(
    program
      .command('record')
      .description(
        'Record a day: poll the configured weather provider and write every reply as it came, and ' +
          'the camera\'s frames (camera.url) at the analysis rate, for replay and render. Ctrl-C ends the day there.',
      )
      .argument('<dir>', 'an empty or new folder for the day (see docs/days.md)')
      .option('--hours <n>', 'stop after this many hours (default: until Ctrl-C)', positiveNumber('--hours')),
  ).action(async (dir: string, flags: RecordFlags) => {
    const config = configFrom(flags);
    const log = createLogger(config.log.level);
    const clock = new SystemClock((err) => log.error({ err }, 'scheduled task failed; recording goes on'));

    const result = await untilStopped((signal) =>
      recordDay({ config, dir, durationS: flags.hours === undefined ? undefined : flags.hours * 3600, clock, log, signal }),
    );
    process.stderr.write(`recorded ${result.weather} weather replies and ${result.frames} camera frames into ${dir}\n`);
  });
}
