/**
 * Measures the cloud classifier per frame on this machine: `session.run()` in the worker
 * (one intra-op thread) and a whole `classify()` call (sharp preprocessing included), over
 * CCSN photographs one at a time. Called by tools/train-cloud-classifier.py for the card.
 *
 * Usage: node --import tsx tools/cloud-classifier-timing.ts <model.onnx> <ccsn dir> [frames]
 * Prints one JSON line: { frames, inferenceMsMedian, inferenceMsP95, classifyMsMedian }.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { silentLogger } from '../src/log.js';
import { CloudClassifier } from '../src/vision/cloud-classifier.js';

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

async function main(): Promise<void> {
  const [modelPath, ccsnDir, framesText = '100'] = process.argv.slice(2);
  const frames = Number(framesText);
  if (!modelPath || !ccsnDir || !Number.isInteger(frames) || frames < 1) {
    console.error('usage: cloud-classifier-timing.ts <model.onnx> <ccsn dir> [frames]');
    process.exit(2);
  }

  const genera = (await readdir(ccsnDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files = genera.map((genus) => join(ccsnDir, genus, `${genus}-N001.jpg`));
  const images = await Promise.all(
    files.map(async (file) => sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
  );

  const classifier = await CloudClassifier.open({ modelPath, log: silentLogger() });
  const inference: number[] = [];
  const whole: number[] = [];
  try {
    for (let frame = 0; frame < frames; frame++) {
      const { data, info } = images[frame % images.length]!;
      const started = performance.now();
      const result = await classifier.classifyDetailed(new Uint8Array(data), info.width, info.height);
      whole.push(performance.now() - started);
      inference.push(result.inferenceMs);
    }
  } finally {
    await classifier.close();
  }

  const round = (ms: number) => Math.round(ms * 100) / 100;
  console.log(JSON.stringify({
    frames,
    inferenceMsMedian: round(percentile(inference, 0.5)),
    inferenceMsP95: round(percentile(inference, 0.95)),
    classifyMsMedian: round(percentile(whole, 0.5)),
  }));
}

await main();
