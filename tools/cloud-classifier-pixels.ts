/**
 * Writes the cloud classifier's input pixels for every CCSN photograph, made by the run-time
 * code itself (src/vision/cloud-preprocess.ts), so training sees exactly what the daemon
 * will feed the model. Called by tools/train-cloud-classifier.py.
 *
 * Usage: node --import tsx tools/cloud-classifier-pixels.ts <ccsn dir> <out dir> <size>
 * Writes <out>/pixels.u8 (size*size*3 RGB bytes per photograph, in index order) and
 * <out>/index.txt (one `Genus/file.jpg` per line, sorted).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { cloudClassifierPixels } from '../src/vision/cloud-preprocess.js';

async function listPhotographs(ccsnDir: string): Promise<string[]> {
  const entries = await readdir(ccsnDir, { withFileTypes: true });
  const genera = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

  const files: string[] = [];
  for (const genus of genera) {
    const names = (await readdir(join(ccsnDir, genus))).filter((name) => name.endsWith('.jpg')).sort();
    files.push(...names.map((name) => `${genus}/${name}`));
  }
  return files;
}

async function pixelsOf(path: string, size: number): Promise<Uint8Array> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return cloudClassifierPixels(new Uint8Array(data), info.width, info.height, size);
}

async function main(): Promise<void> {
  const [ccsnDir, outDir, sizeText] = process.argv.slice(2);
  const size = Number(sizeText);
  if (!ccsnDir || !outDir || !Number.isInteger(size) || size < 8) {
    console.error('usage: cloud-classifier-pixels.ts <ccsn dir> <out dir> <size>');
    process.exit(2);
  }

  const files = await listPhotographs(ccsnDir);
  const pixels = new Uint8Array(files.length * size * size * 3);
  for (const [index, file] of files.entries()) {
    pixels.set(await pixelsOf(join(ccsnDir, file), size), index * size * size * 3);
  }

  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'pixels.u8'), pixels);
  await writeFile(join(outDir, 'index.txt'), files.join('\n') + '\n');
  console.log(`${files.length} photographs at ${size}x${size} written to ${outDir}`);
}

await main();
