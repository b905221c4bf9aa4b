import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkStemPack, type PackCheck } from '../../src/audio/stem-check.js';
import { chromaProfile, keyName, rankKeys, tagFits, taggedKey } from '../../src/audio/stem-check-key.js';
import { decodeWithFfmpeg } from '../../src/audio/measure.js';
import { C_MAJOR, synthesise } from './stem-check-fixtures.js';

function stem(id: string, file: string, key: string | null = 'C', mode: string | null = 'major') {
  return { id, file, layer: 'coarse', role: 'pad', key, mode, loop: true };
}

describe('stems check on a pack with one fault per stem', () => {
  let dir: string;
  let report: PackCheck;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skychoir-stem-check-'));
    await synthesise(join(dir, 'clean.wav'), C_MAJOR, 2);
    await synthesise(join(dir, 'clicks.wav'), C_MAJOR, 1.9937);
    await synthesise(join(dir, 'cd-rate.wav'), C_MAJOR, 2, 44_100);
    await synthesise(join(dir, 'whole.ogg'), C_MAJOR, 2);
    const whole = await readFile(join(dir, 'whole.ogg'));
    await writeFile(join(dir, 'truncated.ogg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(join(dir, 'noise.ogg'), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251)));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({
      format: 1,
      sampleRate: 48_000,
      stems: [
        stem('clean', 'clean.wav'),
        stem('relative-tag', 'clean.wav', 'A', 'minor'),
        stem('clicks', 'clicks.wav'),
        stem('cd-rate', 'cd-rate.wav'),
        stem('truncated', 'truncated.ogg'),
        stem('noise', 'noise.ogg'),
        stem('wrong-key', 'clean.wav', 'F#', 'major'),
        stem('semitone-off', 'clean.wav', 'Db', 'major'),
        stem('unpitched', 'clean.wav', null, null),
        stem('gone', 'gone.wav'),
      ],
    }));
    report = await checkStemPack(dir);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const problemsOf = (id: string): string[] => {
    const found = report.stems.find((check) => check.id === id);
    assert.ok(found, id);
    return found.problems;
  };

  test('a clean 48 kHz loop in its tagged key passes, with its facts', () => {
    assert.deepEqual(problemsOf('clean'), []);
    assert.deepEqual(problemsOf('relative-tag'), []);
    assert.deepEqual(problemsOf('unpitched'), []);
    const facts = report.stems[0]!.facts.join('; ');
    assert.match(facts, /48 kHz, 2 ch; 2\.0 s; -\d+\.\d LUFS; seam clean; key C major \(hears (C major|A minor)\)/);
  });

  test('a loop that clicks where it wraps is rejected', () => {
    const [problem, ...rest] = problemsOf('clicks');
    assert.deepEqual(rest, []);
    assert.match(problem!, /^the loop clicks where it wraps: a step of \d\.\d{3} from its last sample to its first, where a clean fade stays under \d\.\d{3}$/);
  });

  test('a 44.1 kHz stem is rejected though the library would resample it', () => {
    // Resampled to 48 kHz for the other checks, its seam may also step (the resampler's edges).
    assert.equal(
      problemsOf('cd-rate')[0],
      'is 44100 Hz: the pack must be 48000 Hz (the library would resample it at load; re-export it at 48 kHz)',
    );
  });

  test('corrupt files are rejected with what ffmpeg said, a missing one as missing', () => {
    for (const id of ['truncated', 'noise']) {
      const problems = problemsOf(id);
      assert.equal(problems.length, 1, `${id}: ${problems.join('; ')}`);
      assert.match(problems[0]!, /^cannot be decoded \(corrupt or not audio\): \S/);
    }
    assert.deepEqual(problemsOf('gone'), ['file not found']);
  });

  test('a stem tagged in the wrong key is rejected with the key it sounds in', () => {
    for (const [id, tag] of [['wrong-key', 'F# major'], ['semitone-off', 'Db major']]) {
      const problems = problemsOf(id!);
      assert.equal(problems.length, 1, `${id}: ${problems.join('; ')}`);
      assert.match(problems[0]!, new RegExp(`^is tagged ${tag} but sounds in (C major|A minor) \\(only \\d+% of its energy is on the tagged scale\\)$`));
    }
  });
});

describe('key of a stem', () => {
  test('the default pack pads are heard in or near their tagged keys, and not a semitone off', async () => {
    const audio = await decodeWithFfmpeg(join(import.meta.dirname, '../../samples/stems/pad-grey-oo.ogg'));
    const chroma = chromaProfile(audio.left, audio.right, 48_000);
    const best = rankKeys(chroma)[0]!;
    assert.ok(['D major', 'B minor'].includes(keyName(best)), keyName(best));
    assert.equal(tagFits(taggedKey('D', 'major')!, chroma), true);
    assert.equal(tagFits(taggedKey('Eb', 'major')!, chroma), false);
    assert.equal(tagFits(taggedKey('G#', 'minor')!, chroma), false);
  });

  test('church modes are compared as the major or minor key on their tonic', () => {
    assert.deepEqual(taggedKey('D', 'dorian'), { tonic: 2, mode: 'minor' });
    assert.deepEqual(taggedKey('Bb', 'mixolydian'), { tonic: 10, mode: 'major' });
    assert.equal(taggedKey(null, null), null);
  });
});
