/**
 * The live daemon's figures for `npm run bench`, each taken side by side in one run: its
 * cost with and without a camera (two daemons at once), the listeners it holds (on the
 * daemon without a camera, right after), and the flock reaction at the default lead and at
 * the shortest lead, each daemon in its own process against a local weather server.
 */
import { WeatherServer } from '../test/support/weather-server.js';
import { benchFlockReaction, type FlockReactionFigures } from './flock-reaction.js';
import { benchListeners, type ListenerStep } from './listeners.js';
import { benchLiveCost, type LiveCostFigures } from './live-cost.js';

export interface LiveFigures {
  cost: LiveCostFigures;
  listeners: ListenerStep[];
  flock: FlockReactionFigures[];
}

/** Seconds the cost is measured over, after the warm-up. */
const COST_WINDOW_S = 60;
const WARM_UP_S = 5;
const LISTENER_COUNTS = [50, 100, 200, 400, 800];
const LISTENER_STEP_S = 15;
/** The daemon's audio chunk (its default), seconds: a listener's gap may be this plus one second. */
const CHUNK_S = 0.5;
/** The daemon's default lead (run.leadS) and the shortest the config allows. */
const LEADS_S = [2, 0.5];

export async function benchLive(sharedDir: string, stemsDir: string, workDir: string, progress: (line: string) => void): Promise<LiveFigures> {
  const weather = new WeatherServer();
  const weatherUrl = `http://127.0.0.1:${await weather.listen()}/v1/forecast`;
  const setup = { workDir, weatherUrl, extraYaml: [`audio: { stemsDir: ${stemsDir} }`] };

  try {
    progress(`two live daemons side by side for ${COST_WINDOW_S} s, one with a 1 fps camera, one without`);
    let listeners: ListenerStep[] = [];
    const cost = await benchLiveCost(setup, sharedDir, COST_WINDOW_S, WARM_UP_S, async (daemon) => {
      progress(`listeners on the daemon without a camera: ${LISTENER_COUNTS.join(', ')} for ${LISTENER_STEP_S} s each`);
      listeners = await benchListeners(daemon, LISTENER_COUNTS, LISTENER_STEP_S, CHUNK_S);
    });

    const flock: FlockReactionFigures[] = [];
    for (const leadS of LEADS_S) {
      progress(`a flock flying into a 2 fps camera, daemon lead ${leadS} s`);
      flock.push(await benchFlockReaction(setup, leadS, stemsDir));
    }
    return { cost, listeners, flock };
  } finally {
    await weather.close();
  }
}

/** The table rows of the live figures. */
export function liveRows({ cost, listeners, flock }: LiveFigures): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [name, figures] of [['with camera', cost.withCamera], ['without camera', cost.withoutCamera]] as const) {
    rows.push(
      [`live ${name}: daemon / ffmpeg CPU s per audio minute`,
        `${figures.daemonCpuSPerAudioMin.toFixed(2)} / ${figures.ffmpegCpuSPerAudioMin.toFixed(2)}`],
      [`live ${name}: daemon / ffmpeg % of one core`, `${figures.daemonCorePercent.toFixed(1)} / ${figures.ffmpegCorePercent.toFixed(1)}`],
      [`live ${name}: daemon RSS MiB at 0 / 30 / 60 s`,
        `${figures.rssStartMiB.toFixed(0)} / ${figures.rssMidMiB.toFixed(0)} / ${figures.rssEndMiB.toFixed(0)}`],
    );
  }
  const camera = cost.withCamera;
  const blind = cost.withoutCamera;
  rows.push(['live: camera share of the daemon + ffmpeg CPU',
    `${((1 - (blind.daemonCorePercent + blind.ffmpegCorePercent) / (camera.daemonCorePercent + camera.ffmpegCorePercent)) * 100).toFixed(0)}% (${camera.framesAnalysed} frames analysed)`]);

  for (const step of listeners) {
    rows.push([`listeners ${step.listeners}: held without a gap / daemon % core`,
      `${step.held} (longest gap ${step.longestGapS.toFixed(2)} s) / ${step.daemonCorePercent.toFixed(1)}`]);
  }

  for (const figures of flock) {
    rows.push(
      [`flock (lead ${figures.leadS} s): confirming frame / decision s`, `${figures.toConfirmingFrameS.toFixed(2)} / ${figures.toDecisionS.toFixed(2)}`],
      [`flock (lead ${figures.leadS} s): accent starts / audible s`, `${figures.toAccentStartS.toFixed(2)} / ${figures.toAudibleS.toFixed(2)}`],
      [`flock (lead ${figures.leadS} s): bytes reach the listener s`, figures.toBytesArrivedS.toFixed(2)],
    );
  }
  return rows;
}
