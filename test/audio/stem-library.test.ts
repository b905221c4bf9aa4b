import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { pino, type Logger } from 'pino';
import { StemManifestError, loadStemLibrary } from '../../src/audio/stem-library.js';
import { silentLogger } from '../../src/log.js';
import { REPO_DIR } from '../support/paths.js';

const VALID_STEM = join(REPO_DIR, 'samples/stems/accent-bird-lift.ogg');

/** A logger that keeps every line it writes, parsed back from JSON. */
function capturingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

/** Bytes from a fixed linear congruential sequence: noise that is the same on every run. */
function noiseBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** A 16-bit PCM WAV file of a quiet 220 Hz tone. */
function toneWav(channels: number, sampleRate: number, durationS: number): Buffer {
  const frames = Math.round(sampleRate * durationS);
  const dataBytes = frames * channels * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * channels * 2, 28);
  wav.writeUInt16LE(channels * 2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(dataBytes, 40);
  for (let frame = 0; frame < frames; frame++) {
    const sample = Math.round(8000 * Math.sin((2 * Math.PI * 220 * frame) / sampleRate));
    for (let channel = 0; channel < channels; channel++) {
      wav.writeInt16LE(sample, 44 + (frame * channels + channel) * 2);
    }
  }
  return wav;
}

function stemEntry(id: string, file: string, layer = 'fine', loop = false) {
  return { id, file, layer, role: loop ? 'pad' : 'accent', key: 'D', mode: 'major', loop };
}

async function writeManifest(dir: string, stems: unknown[], extra: object = {}): Promise<void> {
  const manifest = { format: 1, sampleRate: 48_000, stems, ...extra };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
}

describe('loadStemLibrary', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skychoir-stem-library-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('loads the valid stem and reports a missing and a corrupt one by name', async () => {
    await copyFile(VALID_STEM, join(dir, 'good.ogg'));
    await writeFile(join(dir, 'noise.ogg'), noiseBytes(20_000));
    await writeManifest(dir, [
      stemEntry('gone', 'gone.ogg'),
      stemEntry('noise', 'noise.ogg'),
      stemEntry('good', 'good.ogg'),
    ]);
    const { log, lines } = capturingLogger();

    const library = await loadStemLibrary(dir, log);

    assert.deepEqual(library.all().map((stem) => stem.info.id), ['good']);
    assert.equal(library.problems.length, 2);
    assert.match(library.problems[0]!, /^stem "gone" \(gone\.ogg\): file not found$/);
    assert.match(library.problems[1]!, /^stem "noise" \(noise\.ogg\): cannot be decoded/);
    const errors = lines.filter((line) => line.level === 50);
    assert.deepEqual(errors.map((line) => line.stemId), ['gone', 'noise']);
    const files = [join(dir, 'gone.ogg'), join(dir, 'noise.ogg')];
    assert.deepEqual(errors.map((line) => line.file), files);
  });

  test('gives a loaded stem its decoded stereo audio and its length in frames', async () => {
    await copyFile(VALID_STEM, join(dir, 'good.ogg'));
    await writeManifest(dir, [stemEntry('good', 'good.ogg')]);

    const stem = (await loadStemLibrary(dir, silentLogger())).get('good');

    assert.ok(stem);
    assert.equal(stem.buffer.numberOfChannels, 2);
    assert.equal(stem.buffer.sampleRate, 48_000);
    assert.equal(stem.durationFrames, stem.buffer.length);
    assert.equal(stem.durationFrames, 3 * 48_000);
    assert.equal(stem.info.gainDb, 0, 'the schema default fills a trim left out');
  });

  test('leaves out empty, mono and too short stems, saying what was wrong', async () => {
    await writeFile(join(dir, 'empty.wav'), Buffer.alloc(0));
    await writeFile(join(dir, 'mono.wav'), toneWav(1, 48_000, 1));
    await writeFile(join(dir, 'short.wav'), toneWav(2, 48_000, 0.25));
    await writeFile(join(dir, 'fine.wav'), toneWav(2, 48_000, 1));
    await writeManifest(dir, [
      stemEntry('empty', 'empty.wav'),
      stemEntry('mono', 'mono.wav'),
      stemEntry('short', 'short.wav'),
      stemEntry('fine', 'fine.wav', 'middle', true),
    ]);

    const library = await loadStemLibrary(dir, silentLogger());

    assert.deepEqual(library.all().map((stem) => stem.info.id), ['fine']);
    assert.deepEqual(library.problems, [
      'stem "empty" (empty.wav): file is empty',
      'stem "mono" (mono.wav): has 1 channel(s), stems must be stereo',
      'stem "short" (short.wav): is 0.250 s long, stems must last at least 0.5 s',
    ]);
  });

  test('sorts stems by layer and finds them by id', async () => {
    await writeFile(join(dir, 'tone.wav'), toneWav(2, 48_000, 1));
    await writeManifest(dir, [
      stemEntry('pad-a', 'tone.wav', 'coarse', true),
      stemEntry('bird-a', 'tone.wav'),
      stemEntry('pad-b', 'tone.wav', 'coarse', true),
    ]);

    const library = await loadStemLibrary(dir, silentLogger());

    assert.deepEqual(library.byLayer('coarse').map((stem) => stem.info.id), ['pad-a', 'pad-b']);
    assert.deepEqual(library.byLayer('fine').map((stem) => stem.info.id), ['bird-a']);
    assert.deepEqual(library.byLayer('middle'), []);
    assert.equal(library.get('bird-a')?.info.layer, 'fine');
    assert.equal(library.get('nothing'), undefined);
  });

  test('rejects a manifest with errors, naming the file and every problem', async () => {
    await writeManifest(dir, [
      { ...stemEntry('ok', 'ok.ogg'), layer: 'loud' },
      { id: 'no-file', layer: 'fine', role: 'accent', key: 'D', mode: 'major', loop: false },
      { ...stemEntry('Bad Id', 'x.ogg'), colour: 'blue' },
    ], { sampleRate: 44_100 });

    const error = await loadStemLibrary(dir, silentLogger()).then(
      () => assert.fail('a bad manifest loaded'),
      (caught: unknown) => caught,
    );

    assert.ok(error instanceof StemManifestError);
    assert.equal(error.file, join(dir, 'manifest.json'));
    assert.ok(error.message.includes(join(dir, 'manifest.json')));
    for (const path of ['sampleRate', 'stems[0].layer', 'stems[1].file', 'stems[2].id']) {
      assert.ok(error.problems.some((problem) => problem.startsWith(`${path}:`)), path);
      assert.ok(error.message.includes(path), path);
    }
    assert.ok(error.problems.some((problem) => problem.includes('colour')));
  });

  test('rejects a manifest that uses a stem id twice', async () => {
    await writeManifest(dir, [stemEntry('same', 'a.ogg'), stemEntry('same', 'b.ogg')]);

    await assert.rejects(loadStemLibrary(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof StemManifestError);
      assert.deepEqual(error.problems, ['stems: id "same" is used more than once']);
      return true;
    });
  });

  test('rejects a missing or unparsable manifest, naming the file', async () => {
    const path = join(dir, 'manifest.json');
    await assert.rejects(loadStemLibrary(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof StemManifestError);
      assert.match(error.message, new RegExp(`${path}[\\s\\S]*cannot be read`));
      return true;
    });

    await writeFile(path, '{ "format": 1, ');
    await assert.rejects(loadStemLibrary(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof StemManifestError);
      assert.match(error.message, new RegExp(`${path}[\\s\\S]*is not JSON`));
      return true;
    });
  });
});
