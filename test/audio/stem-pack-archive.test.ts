import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { loadStemLibrary, type LoadedStem, type StemLibrary } from '../../src/audio/stem-library.js';
import { stemManifestSchema, type StemManifest } from '../../src/audio/stem-manifest.js';
import { seamStep, typicalStep } from '../../src/audio/stem-measure.js';
import { silentLogger } from '../../src/log.js';
import { REPO_DIR } from '../support/paths.js';

const PACK_DIR = join(REPO_DIR, 'samples/stems');

/** D major and the keys closest to it: its relative minor and its dominant. */
const RELATED_KEYS = ['D major', 'B minor', 'A major'];

/** Tags the issue names for the grown pack, by what they are for. */
const REQUIRED_TAGS = {
  storm: ['thunder', 'storm', 'cumulonimbus'],
  nimbus: ['overcast', 'rain', 'nimbostratus'],
  cirrus: ['cirrus', 'thin', 'clear'],
  vowels: ['ah', 'oh', 'oo', 'mm'],
  movement: ['swell', 'wind', 'flock', 'bird'],
  beds: ['night', 'fog', 'dawn'],
};

function channelsOf(stem: LoadedStem): Float32Array[] {
  const channels: Float32Array[] = [];
  for (let channel = 0; channel < stem.buffer.numberOfChannels; channel++) {
    channels.push(stem.buffer.getChannelData(channel));
  }
  return channels;
}

describe('the default stem pack as an archive', () => {
  let manifest: StemManifest;
  let library: StemLibrary;
  const tagged = (tag: string) => manifest.stems.filter((stem) => stem.tags.includes(tag));

  before(async () => {
    const json: unknown = JSON.parse(await readFile(join(PACK_DIR, 'manifest.json'), 'utf8'));
    manifest = stemManifestSchema.parse(json);
    library = await loadStemLibrary(PACK_DIR, silentLogger());
  });

  test('has at least 24 stems, all of which load, across the three layers', () => {
    assert.ok(manifest.stems.length >= 24, `only ${manifest.stems.length} stems`);
    assert.deepEqual(library.problems, []);
    assert.equal(library.all().length, manifest.stems.length);
    for (const layer of ['coarse', 'middle', 'fine'] as const) {
      assert.ok(library.byLayer(layer).length >= 5, `too few ${layer} stems`);
    }
  });

  test('has pitched stems in at least two keys, every one related to D major', () => {
    const keys = new Set(manifest.stems
      .filter((stem) => stem.key !== null)
      .map((stem) => `${stem.key} ${stem.mode}`));
    assert.ok(keys.size >= 2, `keys: ${[...keys].join(', ')}`);
    for (const key of keys) assert.ok(RELATED_KEYS.includes(key), `${key} is not related to D`);
  });

  test('has every tag the issue asks for', () => {
    for (const [purpose, tags] of Object.entries(REQUIRED_TAGS)) {
      for (const tag of tags) assert.ok(tagged(tag).length > 0, `no '${tag}' stem (${purpose})`);
    }
  });

  test('answers weather in the middle layer, sun phases in the coarse, birds in the fine', () => {
    for (const tag of ['thunder', 'nimbostratus', 'cirrus', 'fog', 'wind']) {
      assert.ok(tagged(tag).some((stem) => stem.layer === 'middle' && stem.loop), tag);
    }
    for (const tag of ['night', 'dawn']) {
      assert.ok(tagged(tag).some((stem) => stem.layer === 'coarse' && stem.loop), tag);
    }
    assert.ok(manifest.stems.some((stem) => stem.role === 'chorale' && stem.tags.includes('dawn')));
    assert.ok(tagged('flock').length >= 3, 'fewer than three flock figures');
    assert.ok(tagged('bird').length >= 6, 'fewer than six bird accents');
    for (const stem of [...tagged('flock'), ...tagged('bird')]) {
      assert.deepEqual([stem.layer, stem.loop], ['fine', false], stem.id);
    }
  });

  test('has loops whose wrap steps no more than a few typical sample steps', () => {
    const loops = library.all().filter((stem) => stem.info.loop);
    assert.ok(loops.length >= 16);
    for (const stem of loops) {
      const channels = channelsOf(stem);
      const ratio = seamStep(channels) / typicalStep(channels);
      assert.ok(ratio <= 4, `${stem.info.id}: seam step is ${ratio.toFixed(2)}x typical`);
    }
  });

  test('stays under 40 MB in all', async () => {
    let totalBytes = 0;
    for (const stem of manifest.stems) totalBytes += (await stat(join(PACK_DIR, stem.file))).size;
    assert.ok(totalBytes < 40 * 1000 * 1000, `pack is ${totalBytes} bytes`);
  });
});
