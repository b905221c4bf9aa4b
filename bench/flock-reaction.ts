/**
 * Flock reaction: the delay from a flock entering the camera's frames to the first audible
 * change in the daemon's MP3 stream. A loopback MJPEG camera serves a real sky at 2 fps and
 * lets a flock of real bird crops in at a known wall-clock instant; a listener connected from
 * the daemon's first byte decodes the stream as it arrives; an onset detector finds the
 * accent. The parts come from the daemon's own log (the composer's decision, with the frame
 * it lands at) and from the arrival times of the stream's bytes.
 */
import { FlockCamera } from './flock-camera.js';
import { LiveDaemon, sleep, type DaemonSetup, type LogLine } from './live-daemon.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWithFfmpeg } from '../src/audio/measure.js';
import { findAccent } from './accent-finder.js';
import { MP3_CODEC_DELAY_SAMPLES, Mp3Listener } from './mp3-listener.js';

export interface FlockReactionFigures {
  /** The daemon's lead (run.leadS): audio seconds rendered ahead of real time. */
  leadS: number;
  /** First flock frame written by the camera → the frame that confirmed the flock reached the analyser (its `at`). */
  toConfirmingFrameS: number;
  /** → the composer's decision (its log line's time): analysis and tracking. */
  toDecisionS: number;
  /**
   * → the accent starts, and → it is audible over the bed (see accent-finder.ts), in the
   * stream's own time: for a listener playing from the stream's first byte with no buffer of
   * its own, which includes the daemon's lead.
   */
  toAccentStartS: number;
  toAudibleS: number;
  /** → the audible part's bytes reached the listener (what one joining late and playing bytes on arrival hears). */
  toBytesArrivedS: number;
  /** Where the accent was found in the stream minus where the plan put it, seconds (a check of the finder and the timing). */
  foundMinusPlanS: number;
  /** Normalised correlation of the stream with the stem where it was found. */
  correlation: number;
  accent: string;
}

const SAMPLE_RATE = 48_000;
/** MP3 at the daemon's default 128 kbit/s: bytes per second of audio (CBR). */
const MP3_BYTES_PER_S = 128_000 / 8;

/** Runs one daemon with the flock camera at 2 fps; the flock flies `flockS` seconds after `settleS` of empty sky. */
export async function benchFlockReaction(
  setup: Omit<DaemonSetup, 'name' | 'cameraUrl' | 'analysisFps' | 'onSpawned' | 'leadS'>,
  leadS: number,
  stemsDir: string,
  settleS = 6,
  flockS = 8,
): Promise<FlockReactionFigures> {
  const camera = await FlockCamera.create(2, flockS);
  const cameraPort = await camera.listen();
  let listener: Mp3Listener | null = null;
  let daemon: LiveDaemon | null = null;

  try {
    daemon = await LiveDaemon.start({
      ...setup,
      name: `flock-lead-${leadS}`,
      cameraUrl: `http://127.0.0.1:${cameraPort}/video.mjpg`,
      analysisFps: 2,
      leadS,
      onSpawned: (base) => (listener = new Mp3Listener(`${base}/stream`, SAMPLE_RATE)),
    });
    const running = daemon;
    await running.waitFor('the camera online', async () =>
      (await running.status())?.sources.find((source) => source.name === 'camera')?.status === 'online', 60_000);
    await sleep(settleS * 1000);

    camera.releaseFlock();
    await running.waitFor('the first flock frame', () => camera.flockSentAt !== null, 5_000);
    await running.waitFor('the flock accent', () => accentLine(running.logLines) !== undefined, 20_000);
    await sleep((leadS + 3) * 1000);

    const pcm = await (listener as Mp3Listener | null)!.stop();
    return await measure(camera.flockSentAt!, running.logLines, listener!, pcm, leadS, stemsDir);
  } finally {
    await (listener as Mp3Listener | null)?.stop();
    await daemon?.stop();
    await camera.close();
  }
}

async function measure(
  flockAt: number,
  logLines: LogLine[],
  listener: Mp3Listener,
  pcm: Float32Array,
  leadS: number,
  stemsDir: string,
): Promise<FlockReactionFigures> {
  const decision = accentLine(logLines)!;
  const firstByteAt = listener.firstByteAt!;
  const stem = await monoStem(stemsDir, String(decision.stemId));

  // Audio that had reached the listener when the flock entered was rendered before it: look after it.
  const fromSample = Math.round((bytesArrivedBy(listener, flockAt) / MP3_BYTES_PER_S) * SAMPLE_RATE) + MP3_CODEC_DELAY_SAMPLES;
  const found = findAccent(pcm, stem, { sampleRate: SAMPLE_RATE, fromSample });
  if (!found || found.audibleSample === null) throw new Error(`the accent ${String(decision.stemId)} was not found in the stream`);

  const streamS = (sample: number) => (sample - MP3_CODEC_DELAY_SAMPLES) / SAMPLE_RATE;
  const sinceFlockS = (atMs: number) => (atMs - flockAt) / 1000;
  const arrivedAt = listener.arrivalOf(Math.floor(streamS(found.audibleSample) * MP3_BYTES_PER_S));
  return {
    leadS,
    toConfirmingFrameS: sinceFlockS(Date.parse(String(decision.at))),
    toDecisionS: sinceFlockS(decision.time),
    toAccentStartS: sinceFlockS(firstByteAt + streamS(found.startSample) * 1000),
    toAudibleS: sinceFlockS(firstByteAt + streamS(found.audibleSample) * 1000),
    toBytesArrivedS: arrivedAt === null ? Number.NaN : sinceFlockS(arrivedAt),
    foundMinusPlanS: streamS(found.startSample) - Number(decision.frame) / SAMPLE_RATE,
    correlation: found.correlation,
    accent: String(decision.stemId),
  };
}

/** The stem's audio, left and right averaged, found through the pack's manifest. */
async function monoStem(stemsDir: string, id: string): Promise<Float32Array> {
  const manifest = JSON.parse(await readFile(join(stemsDir, 'manifest.json'), 'utf8')) as { stems: Array<{ id: string; file: string }> };
  const entry = manifest.stems.find((stem) => stem.id === id);
  if (!entry) throw new Error(`the accent ${id} is not in ${stemsDir}/manifest.json`);
  const { left, right } = await decodeWithFfmpeg(join(stemsDir, entry.file));
  return left.map((sample, index) => (sample + right[index]!) / 2);
}

/** The composer's log line starting the first accent that answers a flock. */
function accentLine(lines: LogLine[]): LogLine | undefined {
  return lines.find((line) => line.layer === 'fine' && line.action === 'start' && String(line.reason).startsWith('a flock'));
}

/** Bytes of the stream the listener had received by `atMs`. */
function bytesArrivedBy(listener: Mp3Listener, atMs: number): number {
  let total = 0;
  for (const piece of listener.pieces) if (piece.atMs <= atMs) total = piece.totalBytes;
  return total;
}
