import type { Command } from 'commander';
import { CheckFailed } from '../errors.js';
import { detect, type FrameReport } from '../app/detect.js';
import type { SkyEvent } from '../bus/events.js';
import { createLogger } from '../log.js';
import { SystemClock } from '../time/clock.js';
import { configFrom, positiveNumber, withCommonOptions, type CommonOptions } from './options.js';
import { untilStopped } from './stop-signal.js';

interface DetectFlags extends CommonOptions {
  output: string;
  annotate: boolean;
  frames: number;
  wait: number;
  json: boolean;
}

export function registerDetect(program: Command): void {
  withCommonOptions(
    program
      .command('detect')
      .description(
        'Run vision on a still image, a video file or a camera URL: print each frame (cloud cover, ' +
          'brightness, cloud type, birds, aircraft) and the events it gives, and draw what was found.',
      )
      .argument('<input>', 'an image (.jpg, .png, ...), a video file, or an rtsp:// or http(s):// camera URL')
      .option('-o, --output <file>', 'the annotated picture (PNG)', 'detected.png')
      .option('--no-annotate', 'do not write the annotated picture')
      .option('--frames <n>', 'frames to analyse from a video or camera', positiveNumber('--frames'), 5)
      .option('--wait <s>', 'give up when a video or camera gives no frame for this long', positiveNumber('--wait'), 30)
      .option('--json', 'print one JSON object per frame and event instead of text'),
  ).action(async (input: string, flags: DetectFlags) => {
    const config = configFrom(flags);
    const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
    const print = (line: string): void => void process.stdout.write(`${line}\n`);

    const result = await untilStopped((signal) =>
      detect({
        input, config, log, signal,
        clock: new SystemClock(),
        frames: Math.ceil(flags.frames),
        waitS: flags.wait,
        annotatedPath: flags.annotate ? flags.output : null,
        onFrame: (report) => print(flags.json ? JSON.stringify({ frame: report }) : describeFrame(report)),
        onEvent: (event) => print(flags.json ? JSON.stringify({ event }) : describeEvent(event)),
      }),
    );

    if (result.annotatedPath && !flags.json) print(`annotated picture: ${result.annotatedPath}`);

    // A still nobody could read, or birds nobody looked for, is a failure, not "0 birds".
    const unread = result.frames.filter((frame) => frame.outcome === 'corrupt').length;
    if (result.frames.length > 0 && unread === result.frames.length) {
      throw new CheckFailed(`${result.input}: no frame could be read (corrupt, or not an image)`);
    }
    if (!result.detectorRan) {
      throw new CheckFailed('no bird detector could be opened (see the log above; vision.modelDir): birds and aircraft were not looked for');
    }
  });
}

function describeFrame(report: FrameReport): string {
  const head = `frame ${report.frameId}: `;
  if (report.outcome !== 'seen') return `${head}${report.outcome}`;

  const parts = [`cover ${percent(report.coverFraction!)}`, `brightness ${percent(report.brightness!)}`];
  const types = Object.entries(report.cloudTypes ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 2);
  if (types.length > 0) parts.push(types.map(([name, p]) => `${name} ${percent(p)}`).join(', '));
  parts.push(`${report.birds.length} bird(s)`, `${report.aircraft.length} aircraft`);
  if (report.movingRegions > 0) parts.push(`${report.movingRegions} moving region(s)`);

  const boxes = [...report.birds, ...report.aircraft].map(
    (each) => `  ${each.label} ${percent(each.score)} at x ${each.box.x.toFixed(3)} y ${each.box.y.toFixed(3)} w ${each.box.width.toFixed(3)} h ${each.box.height.toFixed(3)}`,
  );
  return [head + parts.join(' · '), ...boxes].join('\n');
}

function describeEvent({ name, payload }: SkyEvent): string {
  const { at, ...rest } = payload as { at: number };
  const detail = Object.entries(rest)
    .filter(([key]) => key !== 'detections' && key !== 'frameId')
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value, rounded) : String(rounded(key, value))}`);
  return `  event ${name} ${detail.join(' ')}`;
}

function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
