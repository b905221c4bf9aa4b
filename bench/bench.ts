/**
 * `npm run bench`: skychoir's speed figures, each a ratio or a measurement taken side by
 * side in one run: offline render, vision, and the live daemon (its cost with and without a
 * camera, the listeners it holds, the flock reaction). Prints a table and writes
 * bench/results/latest.json. The live figures run the built CLI (`npm run build` first).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { buildBrugesDay } from '../tools/make-test-days.js';
import { benchLive, liveRows } from './live.js';
import { benchRender } from './render.js';
import { benchPhotos, benchSequenceParts, benchVision } from './vision.js';

const REPO_DIR = resolve(import.meta.dirname, '..');
const SHARED_DIR = resolve(REPO_DIR, '../shared');
const SPEED = 96;

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

const work = await mkdtemp(join(tmpdir(), 'skychoir-bench-'));
const config = loadConfig({
  sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`],
});

progress('building the Bruges test day');
const dayDir = await buildBrugesDay(work);

progress(`rendering the day at ${SPEED}x (with and without encoding, without vision) and timing ffmpeg alone`);
const render = await benchRender(config, dayDir, work, SPEED);

const photos = await benchPhotos(SHARED_DIR, 48);
const classifierPath = join(REPO_DIR, 'models/clouds/cloud-classifier.onnx');
progress(`analysing ${photos.length} photographs with FastestDet and the cloud classifier`);
const fastest = await benchVision('fastestdet', join(SHARED_DIR, 'models/FastestDet.onnx'), photos, classifierPath);
progress(`analysing ${photos.length} photographs with YOLOX-Nano and the cloud classifier`);
const yolox = await benchVision('yolox-nano', join(SHARED_DIR, 'models/yolox_nano.onnx'), photos, classifierPath);
progress('timing the cloud classifier and motion alone');
const parts = await benchSequenceParts(classifierPath, photos);
const live = await benchLive(SHARED_DIR, join(REPO_DIR, 'samples/stems'), work, progress);

const rows: Array<[string, string]> = [
  ['test day rendered (audio seconds)', render.audioSeconds.toFixed(0)],
  ['render with Ogg encoding, x real time', render.renderWithEncodingX.toFixed(1)],
  ['render with FLAC encoding, x real time', render.renderToFlacX.toFixed(1)],
  ['render without encoding, x real time', render.renderWithoutEncodingX.toFixed(1)],
  ['render without vision, x real time', render.renderWithoutVisionX.toFixed(1)],
  ['ffmpeg Vorbis encoding alone, x real time', render.ffmpegEncodeOnlyX.toFixed(1)],
  ['Ogg render / ffmpeg Vorbis encoding alone', (render.renderWithEncodingX / render.ffmpegEncodeOnlyX).toFixed(2)],
];
for (const figures of [fastest, yolox]) {
  rows.push(
    [`${figures.detector}: inference ms/frame`, figures.inferenceMsPerFrame.toFixed(1)],
    [`${figures.detector}: whole analysis ms/frame`, figures.analysisMsPerFrame.toFixed(1)],
    [`${figures.detector}: event-loop delay p99 / max ms`, `${figures.loopDelayP99Ms.toFixed(1)} / ${figures.loopDelayMaxMs.toFixed(1)}`],
    [`${figures.detector}: loop delay p99 / inference time`, figures.loopDelayToInference.toFixed(2)],
  );
}

rows.push(
  ['cloud classifier: ms/frame (preprocessing + worker)', parts.classifierMsPerFrame.toFixed(1)],
  ['cloud classifier: inference ms/frame', parts.classifierInferenceMsPerFrame.toFixed(1)],
  ['motion (640x480): ms/frame', parts.motionMsPerFrame.toFixed(1)],
  ...liveRows(live),
);

const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(`\nskychoir bench (${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n`);
for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);

await mkdir(join(REPO_DIR, 'bench/results'), { recursive: true });
const resultPath = join(REPO_DIR, 'bench/results/latest.json');
await writeFile(resultPath, JSON.stringify({ speed: SPEED, render, vision: [fastest, yolox], sequence: parts, live }, null, 2));
process.stdout.write(`\nwritten ${resultPath}\n`);
