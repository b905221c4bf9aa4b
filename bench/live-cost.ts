/**
 * The live daemon's cost per minute of audio: two daemons started side by side, one reading a
 * local MJPEG camera of CCSN photographs at 1 fps and analysing every frame with FastestDet,
 * one with no camera, both streaming MP3 and Ogg/Opus. Their CPU (the daemon process and its
 * ffmpeg children apart) and resident memory are read from /proc over the same window.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MjpegServer } from '../test/support/camera-servers.js';
import { LiveDaemon, sleep, type DaemonSetup } from './live-daemon.js';
import { corePercent, sampleUsage, type UsageSample } from './proc-usage.js';

export interface LiveCostFigures {
  withCamera: DaemonCost;
  withoutCamera: DaemonCost;
}

export interface DaemonCost {
  /** Wall seconds measured (after the warm-up) and the audio rendered in them. */
  windowS: number;
  audioS: number;
  /** CPU seconds per minute of audio: the daemon process (all its threads) and its ffmpeg children. */
  daemonCpuSPerAudioMin: number;
  ffmpegCpuSPerAudioMin: number;
  /** The same as a percentage of one core over the window. */
  daemonCorePercent: number;
  ffmpegCorePercent: number;
  /** Resident memory of the daemon process at the window's start, half way and end, MiB. */
  rssStartMiB: number;
  rssMidMiB: number;
  rssEndMiB: number;
  /** Resident memory of its ffmpeg children together at the end, MiB. */
  ffmpegRssEndMiB: number;
  ffmpegChildren: number;
  /** Frames analysed in the window (0 without a camera). */
  framesAnalysed: number;
}

const AUDIO_METRIC = 'skychoir_audio_rendered_seconds_total';
const FRAMES_METRIC = 'skychoir_frames_analysed_total';
const MIB = 1024 * 1024;

/**
 * Runs both daemons for `windowS` seconds after a warm-up (camera online and `warmUpS` of
 * steady play); returns their figures. The no-camera daemon is handed to `thenUse` before
 * it stops (the listener steps reuse it), so it is not started twice.
 */
export async function benchLiveCost(
  setup: Omit<DaemonSetup, 'name' | 'cameraUrl'>,
  sharedDir: string,
  windowS: number,
  warmUpS: number,
  thenUse?: (daemon: LiveDaemon) => Promise<void>,
): Promise<LiveCostFigures> {
  const photos = ['Cu/Cu-N001', 'Sc/Sc-N004', 'Ci/Ci-N002', 'Ac/Ac-N001', 'St/St-N001', 'Ns/Ns-N001']
    .map((name) => readFileSync(join(sharedDir, 'data/ccsn', `${name}.jpg`)));
  const camera = new MjpegServer(photos, 1);
  const cameraPort = await camera.listen();

  const daemons: LiveDaemon[] = [];
  try {
    daemons.push(await LiveDaemon.start({ ...setup, name: 'with-camera', cameraUrl: `http://127.0.0.1:${cameraPort}/video.mjpg` }));
    daemons.push(await LiveDaemon.start({ ...setup, name: 'without-camera' }));
    const [withCamera, withoutCamera] = daemons as [LiveDaemon, LiveDaemon];

    await withCamera.waitFor('the camera online', async () =>
      (await withCamera.status())?.sources.find((source) => source.name === 'camera')?.status === 'online', 60_000);
    await sleep(warmUpS * 1000);

    const figures = await measureTogether(daemons, windowS);
    if (thenUse) await thenUse(withoutCamera);
    return { withCamera: figures[0]!, withoutCamera: figures[1]! };
  } finally {
    for (const daemon of daemons) await daemon.stop();
    await camera.close();
  }
}

/** Samples every daemon at the window's start, middle and end, at the same instants. */
async function measureTogether(daemons: LiveDaemon[], windowS: number): Promise<DaemonCost[]> {
  const read = async (daemon: LiveDaemon) => ({
    usage: sampleUsage(daemon.pid),
    audioS: (await daemon.metric(AUDIO_METRIC)) ?? Number.NaN,
    frames: (await daemon.metric(FRAMES_METRIC)) ?? 0,
    atMs: performance.now(),
  });

  const start = await Promise.all(daemons.map(read));
  await sleep((windowS * 1000) / 2);
  const mid = daemons.map((daemon) => sampleUsage(daemon.pid));
  await sleep((windowS * 1000) / 2);
  const end = await Promise.all(daemons.map(read));

  return daemons.map((_, index) => costOf(start[index]!, mid[index]!, end[index]!));
}

function costOf(
  start: { usage: UsageSample; audioS: number; frames: number; atMs: number },
  mid: UsageSample,
  end: { usage: UsageSample; audioS: number; frames: number; atMs: number },
): DaemonCost {
  const windowS = (end.atMs - start.atMs) / 1000;
  const audioS = end.audioS - start.audioS;
  const percent = corePercent(start.usage, end.usage, windowS);
  const perAudioMin = (cpuS: number) => cpuS / (audioS / 60);
  return {
    windowS,
    audioS,
    daemonCpuSPerAudioMin: perAudioMin(end.usage.processCpuS - start.usage.processCpuS),
    ffmpegCpuSPerAudioMin: perAudioMin(end.usage.childrenCpuS - start.usage.childrenCpuS),
    daemonCorePercent: percent.process,
    ffmpegCorePercent: percent.children,
    rssStartMiB: start.usage.rssBytes / MIB,
    rssMidMiB: mid.rssBytes / MIB,
    rssEndMiB: end.usage.rssBytes / MIB,
    ffmpegRssEndMiB: end.usage.childrenRssBytes / MIB,
    ffmpegChildren: end.usage.children,
    framesAnalysed: end.frames - start.frames,
  };
}
