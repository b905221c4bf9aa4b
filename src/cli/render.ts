import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { renderDay } from '../app/render.js';
import { createLogger } from '../log.js';
import { untilStopped } from './stop-signal.js';
import { configFrom, positiveNumber, withCommonOptions, type CommonOptions } from './options.js';

interface RenderFlags extends CommonOptions {
  output: string;
  speed: number;
  seed?: string;
  log?: string;
  report?: boolean;
  memory?: string;
}

export function registerRender(program: Command): void {
  withCommonOptions(
    program
      .command('render')
      .description('Render a recorded day to an audio file (.ogg, .flac, .mp3 or .wav), faster than real time.')
      .argument('<day>', 'folder of a recorded day (see docs/days.md)')
      .requiredOption('-o, --output <file>', 'audio file to write; the format follows the extension')
      .option('--speed <factor>', 'sky seconds per audio second: 1 = real length, 96 = a day in 15 minutes', positiveNumber('--speed'), 1)
      .option('--seed <n>', 'composer seed (same seed, day and stems: same audio)')
      .option('--memory <file>', 'judge rare events by this sky memory file, as `run` keeps it (read only); default: an empty memory, whatever memory.path says')
      .option('--log <file>', 'render log (JSON: events and decisions); default <output>.json')
      .option('--report', 'also write <output>.report.png (and .svg): the day\'s sun, weather, sky events, stems and spectrogram on one time axis, and <output>.report.json (stem spans with reasons, events, sound per hour)'),
  ).action(async (day: string, flags: RenderFlags) => {
    const config = configFrom(flags, flags.seed === undefined ? [] : [`composer.seed=${flags.seed}`]);
    const log = createLogger(config.log.level);
    const progress = progressReporter(log);

    try {
      await untilStopped((signal) =>
        renderDay({
          config,
          dayDir: day,
          outPath: flags.output,
          speed: flags.speed,
          logPath: flags.log ?? `${flags.output}.json`,
          log,
          onProgress: progress.update,
          signal,
          report: flags.report === true,
          memoryPath: flags.memory,
        }),
      );
    } finally {
      progress.stop();
    }
  });
}

/** A bar on a terminal; elsewhere a log line every tenth of the way. */
function progressReporter(log: ReturnType<typeof createLogger>) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'rendering [{bar}] {percentage}% | eta {eta}s', stream: process.stderr }, Presets.shades_classic);
    bar.start(100, 0);
    return { update: (fraction: number) => bar.update(Math.round(fraction * 100)), stop: () => bar.stop() };
  }

  let nextTenth = 1;
  return {
    update: (fraction: number) => {
      if (fraction * 10 < nextTenth) return;
      log.info({ percent: Math.floor(fraction * 100) }, 'rendering');
      nextTenth = Math.floor(fraction * 10) + 1;
    },
    stop: () => {},
  };
}
