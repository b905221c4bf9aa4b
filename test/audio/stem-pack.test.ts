import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  loadStemLibrary, type LoadedStem, type StemLibrary,
} from '../../src/audio/stem-library.js';
import { stemManifestSchema, type StemManifest } from '../../src/audio/stem-manifest.js';
import {
  peakAbs, peakAtEdge, rms, seamStep, toDb, typicalStep,
} from '../../src/audio/stem-measure.js';
import { silentLogger } from '../../src/log.js';
import { REPO_DIR } from '../support/paths.js';

const PACK_DIR = join(REPO_DIR, 'samples/stems');
const RATE = 48_000;

/** The audio of a stem as planar channels. */
function channelsOf(stem: LoadedStem): Float32Array[] {
  const channels: Float32Array[] = [];
  for (let channel = 0; channel < stem.buffer.numberOfChannels; channel++) {
    channels.push(stem.buffer.getChannelData(channel));
  }
  return channels;
}

/**
 * Channels and sample rate from an Ogg Vorbis file's identification header, which sits at
 * a fixed place in the first page: decoding resamples, so only the file tells its own rate.
 */
function vorbisFormat(bytes: Buffer): { channels: number; sampleRate: number } {
  assert.equal(bytes.toString('latin1', 0, 4), 'OggS', 'an Ogg page starts the file');
  const segments = bytes.readUInt8(26);
  const packet = 27 + segments;
  assert.equal(bytes.toString('latin1', packet, packet + 7), '\x01vorbis');
  return { channels: bytes.readUInt8(packet + 11), sampleRate: bytes.readUInt32LE(packet + 12) };
}

describe('the committed default stem pack', () => {
  let manifest: StemManifest;
  let library: StemLibrary;

  before(async () => {
    const json: unknown = JSON.parse(await readFile(join(PACK_DIR, 'manifest.json'), 'utf8'));
    manifest = stemManifestSchema.parse(json);
    library = await loadStemLibrary(PACK_DIR, silentLogger());
  });

  test('loads every stem of its manifest without a problem', () => {
    assert.deepEqual(library.problems, []);
    assert.deepEqual(
      library.all().map((stem) => stem.info.id),
      manifest.stems.map((stem) => stem.id),
    );
  });

  test('stores every stem as 48 kHz stereo Ogg Vorbis', async () => {
    for (const stem of manifest.stems) {
      assert.match(stem.file, /\.ogg$/);
      const format = vorbisFormat(await readFile(join(PACK_DIR, stem.file)));
      assert.deepEqual(format, { channels: 2, sampleRate: RATE }, stem.id);
    }
  });

  test('has stems that are neither silent nor clipped', () => {
    for (const stem of library.all()) {
      const channels = channelsOf(stem);
      assert.equal(stem.buffer.sampleRate, RATE);
      assert.equal(channels.length, 2, stem.info.id);
      assert.ok(toDb(rms(channels)) > -40, `${stem.info.id} is close to silent`);
      assert.ok(toDb(peakAbs(channels)) < -0.5, `${stem.info.id} peaks at full scale`);
    }
  });

  test('has loops whose wrap steps no more than a few typical sample steps', () => {
    const loops = library.all().filter((stem) => stem.info.loop);
    assert.ok(loops.length >= 7);
    for (const stem of loops) {
      const channels = channelsOf(stem);
      const ratio = seamStep(channels) / typicalStep(channels);
      assert.ok(ratio <= 4, `${stem.info.id}: seam step is ${ratio.toFixed(2)}x typical`);
    }
  });

  test('has one-shots that start and end near silence', () => {
    const oneShots = library.all().filter((stem) => !stem.info.loop);
    assert.ok(oneShots.length >= 4);
    for (const stem of oneShots) {
      const channels = channelsOf(stem);
      const peak = peakAbs(channels);
      assert.ok(peakAtEdge(channels, 1, 'start') < peak * 0.01, `${stem.info.id} starts loud`);
      assert.ok(peakAtEdge(channels, 480, 'end') < peak * 0.001, `${stem.info.id} ends loud`);
    }
  });

  test('covers each layer with stems of the lengths the composer expects', () => {
    const lengthsS = (layer: 'coarse' | 'middle' | 'fine'): number[] =>
      library.byLayer(layer).map((stem) => stem.durationFrames / RATE);

    assert.ok(lengthsS('coarse').length >= 4);
    assert.ok(lengthsS('coarse').every((lengthS) => lengthS >= 24 && lengthS <= 40));
    assert.ok(lengthsS('middle').length >= 3);
    assert.ok(lengthsS('middle').every((lengthS) => lengthS >= 16 && lengthS <= 32));
    assert.ok(lengthsS('fine').every((lengthS) => lengthS >= 2 && lengthS <= 6));
  });

  test('is in D major or its relative B minor, with at least three bird accents and a flock', () => {
    for (const stem of manifest.stems) {
      assert.ok(['D major', 'B minor'].includes(`${stem.key} ${stem.mode}`), stem.id);
    }
    const tagged = (tag: string) => manifest.stems.filter((stem) => stem.tags.includes(tag));
    assert.ok(tagged('bird').length >= 3);
    assert.ok(tagged('flock').length >= 1);
    for (const phase of ['night', 'dawn', 'sunrise', 'day', 'golden', 'sunset', 'dusk']) {
      assert.ok(tagged(phase).some((stem) => stem.layer === 'coarse'), `no bed for ${phase}`);
    }
  });

  test('ships its licence and stays under 8 MB', async () => {
    assert.equal(manifest.licence, 'LICENCE-soundfont.txt');
    const licence = await readFile(join(PACK_DIR, 'LICENCE-soundfont.txt'), 'utf8');
    assert.match(licence, /FluidR3_GM/);
    assert.match(licence, /MIT license/);

    let totalBytes = 0;
    for (const stem of manifest.stems) totalBytes += (await stat(join(PACK_DIR, stem.file))).size;
    assert.ok(totalBytes < 8 * 1024 * 1024, `pack is ${totalBytes} bytes`);
  });
});
