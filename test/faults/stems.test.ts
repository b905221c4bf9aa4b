/**
 * Fault suite, stems: a pack whose files are empty, mono, at 44.1 kHz, two hours long, text
 * named .ogg, noise behind an Ogg header, or missing, beside good ones, loaded by the real
 * stem library (ffmpeg makes the audio in a temp folder). Each bad stem is logged by id and
 * file and left out with its reason, the good ones load, a 44.1 kHz stem is resampled to
 * play at its own pitch, and the 2-hour one is refused from its header, never decoded.
 * Then manifests with unknown fields and wrong types: an error naming the file and the field.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AudioBuffer } from 'node-web-audio-api';
import { declaredDurationS } from '../../src/audio/stem-duration.js';
import { StemManifestError, loadStemLibrary, type StemLibrary } from '../../src/audio/stem-library.js';
import { memoryLogger } from '../support/logs.js';

const run = promisify(execFile);
const RATE = 48_000;

/** Writes `seconds` of `source` (an ffmpeg lavfi source) to `file` with the given output options. */
async function ffmpeg(file: string, source: string, seconds: number, options: string[]): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-t', String(seconds), ...options, file]);
}

const stem = (id: string, file: string, layer = 'fine', loop = false) =>
  ({ id, file, layer, role: loop ? 'pad' : 'accent', key: 'D', mode: 'major', loop });

/** Stems of the pack: what each is, and the problem it must be left out with (null: it loads). */
const PACK: Array<{ id: string; file: string; make: (path: string) => Promise<void>; problem: RegExp | null }> = [
  { id: 'good-vorbis', file: 'good.ogg', make: (path) => ffmpeg(path, 'sine=f=330:r=48000', 2, ['-ac', '2', '-c:a', 'libvorbis']), problem: null },
  { id: 'good-flac', file: 'good.flac', make: (path) => ffmpeg(path, 'sine=f=220:r=48000', 1, ['-ac', '2', '-c:a', 'flac']), problem: null },
  { id: 'cd-rate', file: 'cd-rate.ogg', make: (path) => ffmpeg(path, 'sine=f=440:r=44100', 2, ['-ac', '2', '-c:a', 'libvorbis']), problem: null },
  { id: 'empty', file: 'empty.ogg', make: (path) => writeFile(path, ''), problem: /^file is empty$/ },
  { id: 'mono', file: 'mono.ogg', make: (path) => ffmpeg(path, 'sine=f=330:r=48000', 2, ['-ac', '1', '-c:a', 'libvorbis']), problem: /has 1 channel\(s\), stems must be stereo/ },
  {
    id: 'two-hours',
    file: 'two-hours.flac',
    make: (path) => ffmpeg(path, 'anullsrc=r=48000:cl=stereo:n=16384', 7200, ['-c:a', 'flac']),
    problem: /^lasts 7200 s, stems may last at most 600 s$/,
  },
  { id: 'text', file: 'text.ogg', make: (path) => writeFile(path, 'This is a note about the choir, not audio.\n'), problem: /cannot be decoded \(corrupt or not audio\)/ },
  {
    id: 'noise',
    file: 'noise.ogg',
    make: (path) => writeFile(path, Buffer.concat([Buffer.from('OggS'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 31 + 7) % 256))])),
    problem: /cannot be decoded/,
  },
  { id: 'missing', file: 'missing.ogg', make: async () => {}, problem: /^file not found$/ },
];

let root: string;
let packDir: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'skychoir-faults-stems-'));
  packDir = join(root, 'pack');
  await mkdir(packDir);
  await Promise.all(PACK.map((entry) => entry.make(join(packDir, entry.file))));
  const manifest = { format: 1, sampleRate: RATE, stems: PACK.map((entry, i) => stem(entry.id, entry.file, i % 2 ? 'fine' : 'middle', i % 2 === 0)) };
  await writeFile(join(packDir, 'manifest.json'), JSON.stringify(manifest));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The tone's frequency from its zero crossings, Hz. */
function frequencyOf(buffer: AudioBuffer): number {
  const samples = buffer.getChannelData(0);
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return crossings / 2 / (samples.length / buffer.sampleRate);
}

let library: StemLibrary;
const { log, lines } = memoryLogger('info');

test('stem faults: the pack loads its good stems and leaves out each bad one, logged by id and file with the reason', async () => {
  const rssBefore = process.memoryUsage().rss;
  library = await loadStemLibrary(packDir, log);
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;

  const good = PACK.filter((entry) => entry.problem === null).map((entry) => entry.id);
  assert.deepEqual(library.all().map((loaded) => loaded.info.id), good);
  const bad = PACK.filter((entry) => entry.problem !== null);
  assert.equal(library.problems.length, bad.length, library.problems.join('\n'));

  for (const entry of bad) {
    const prefix = `stem "${entry.id}" (${entry.file}): `;
    const problem = library.problems.find((line) => line.startsWith(prefix));
    assert.ok(problem, `a problem for ${entry.id}`);
    assert.match(problem.slice(prefix.length), entry.problem!);
    const logged = lines.find((line) => line.stemId === entry.id);
    assert.ok(logged, `${entry.id} is logged`);
    assert.equal(logged.level, 50);
    assert.equal(logged.file, join(packDir, entry.file));
    assert.equal(library.get(entry.id), undefined);
  }

  assert.ok(rssGrowthMb < 1000, `the 2-hour stem was not decoded (memory grew ${Math.round(rssGrowthMb)} MB; decoding it takes 2.8 GB)`);
});

test('stem faults: the library is usable: stems by layer and id, stereo 48 kHz audio of the right length', () => {
  assert.deepEqual(library.byLayer('middle').map((loaded) => loaded.info.id), ['good-vorbis', 'cd-rate']);
  assert.deepEqual(library.byLayer('fine').map((loaded) => loaded.info.id), ['good-flac']);
  for (const loaded of library.all()) {
    assert.equal(loaded.buffer.numberOfChannels, 2);
    assert.equal(loaded.buffer.sampleRate, RATE);
    assert.equal(loaded.durationFrames, loaded.buffer.length);
  }
  assert.ok(Math.abs(library.get('good-flac')!.durationFrames - RATE) <= 1, 'one second of FLAC is 48000 frames');
});

test('stem faults: a 44.1 kHz stem is resampled to 48 kHz: same duration, same pitch', () => {
  const cdRate = library.get('cd-rate')!;

  assert.ok(Math.abs(cdRate.durationFrames - 2 * RATE) <= 2, `2 s at 48 kHz, got ${cdRate.durationFrames} frames`);
  const hz = frequencyOf(cdRate.buffer);
  assert.ok(Math.abs(hz - 440) < 2, `the 440 Hz tone plays at ${hz.toFixed(1)} Hz (unresampled it would be ${(440 * 48_000 / 44_100).toFixed(1)})`);
});

test('stem faults: the length a header declares is read without decoding, null where none is declared', async () => {
  const declared = async (file: string) => declaredDurationS(await readFile(join(packDir, file)));

  assert.equal(await declared('good.ogg'), 2);
  assert.equal(await declared('cd-rate.ogg'), 2);
  assert.equal(await declared('good.flac'), 1);
  assert.equal(await declared('two-hours.flac'), 7200);
  assert.equal(await declared('text.ogg'), null);
  assert.equal(await declared('noise.ogg'), null);
  const wav = join(root, 'three.wav');
  await ffmpeg(wav, 'sine=f=330:r=48000', 3, ['-ac', '2']);
  assert.equal(await declaredDurationS(await readFile(wav)), 3);
});

/** Manifests that cannot be used: the whole pack is refused, naming the manifest and the field. */
const MANIFEST_FAULTS: Array<{ name: string; text: (good: object) => string; problem: RegExp }> = [
  { name: 'an unknown top-level field', text: (good) => JSON.stringify({ ...good, volume: 3 }), problem: /\(top level\): Unrecognized key: "volume"/ },
  { name: 'an unknown field in a stem', text: (good) => JSON.stringify(withStem(good, { gain: -3 })), problem: /stems\[0\]: Unrecognized key: "gain"/ },
  { name: 'loop as a string', text: (good) => JSON.stringify(withStem(good, { loop: 'yes' })), problem: /stems\[0\]\.loop: .*expected boolean/ },
  { name: 'gainDb out of range', text: (good) => JSON.stringify(withStem(good, { gainDb: 100 })), problem: /stems\[0\]\.gainDb: .*<=12/ },
  { name: 'a layer that does not exist', text: (good) => JSON.stringify(withStem(good, { layer: 'top' })), problem: /stems\[0\]\.layer: .*"coarse"/ },
  { name: 'a file null', text: (good) => JSON.stringify(withStem(good, { file: null })), problem: /stems\[0\]\.file: .*expected string/ },
  { name: 'a sample rate of 44100', text: (good) => JSON.stringify({ ...good, sampleRate: 44_100 }), problem: /sampleRate: .*48000/ },
  { name: 'no stems', text: (good) => JSON.stringify({ ...good, stems: [] }), problem: /stems: .*>=1/ },
  { name: 'a list for a manifest', text: () => '[]', problem: /\(top level\): .*expected object/ },
  { name: 'an empty file', text: () => '', problem: /is not JSON/ },
  { name: 'JSON cut short', text: (good) => JSON.stringify(good).slice(0, 40), problem: /is not JSON/ },
];

function withStem(good: object, change: object): object {
  const { stems, ...rest } = good as { stems: object[] };
  return { ...rest, stems: [{ ...stems[0], ...change }, ...stems.slice(1)] };
}

for (const fault of MANIFEST_FAULTS) {
  test(`stem manifest fault: ${fault.name}`, async () => {
    const dir = join(root, fault.name.replace(/\W+/g, '-'));
    await mkdir(dir);
    const good = { format: 1, sampleRate: RATE, stems: [stem('good-vorbis', '../pack/good.ogg')] };
    await writeFile(join(dir, 'manifest.json'), fault.text(good));

    await assert.rejects(loadStemLibrary(dir, memoryLogger().log), (error: unknown) => {
      assert.ok(error instanceof StemManifestError, String(error));
      assert.equal(error.file, join(dir, 'manifest.json'));
      assert.match(error.message, /^stem manifest .*manifest\.json is not valid/);
      assert.ok(error.problems.some((problem) => fault.problem.test(problem)), error.problems.join('\n'));
      return true;
    });
  });
}
