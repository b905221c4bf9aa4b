import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { integratedLoudness } from '../../src/audio/loudness.js';
import { decodeWithFfmpeg } from '../../src/audio/measure.js';
import { loadStemLibrary, stemLoudnessFor } from '../../src/audio/stem-library.js';
import { silentLogger } from '../../src/log.js';
import { REPO_DIR } from '../support/paths.js';

const run = promisify(execFile);
const RATE = 48_000;

/** ffmpeg's own EBU R128 integrated loudness of a file (LUFS). */
async function ffmpegLoudness(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const match = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  assert.ok(match, `no integrated loudness in ffmpeg's output for ${path}`);
  return Number(match[1]);
}

/** Writes a stereo WAV with ffmpeg from a lavfi source graph (48 kHz, 32-bit float). */
async function synthesise(path: string, graph: string, seconds: number): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', graph, '-t', String(seconds), '-ac', '2', '-ar', String(RATE), '-c:a', 'pcm_f32le', path]);
}

describe('integrated loudness', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skychoir-loudness-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('agrees with ffmpeg ebur128 within 0.3 LU on real stems and test signals', async () => {
    const files = [
      join(REPO_DIR, 'samples/stems/pad-bright-ah.ogg'),
      join(REPO_DIR, 'samples/stems/accent-bird-call.ogg'),
      join(REPO_DIR, 'samples/stems/drone-low-d.ogg'),
    ];
    const signals: [string, string][] = [
      ['tone.wav', 'sine=frequency=997:sample_rate=48000,volume=0.1'],
      ['low.wav', 'sine=frequency=60:sample_rate=48000,volume=0.5'],
      ['noise.wav', 'anoisesrc=color=pink:amplitude=0.3:seed=7:sample_rate=48000'],
      ['pulsed.wav', 'sine=frequency=3000:sample_rate=48000,volume=0.2,volume=eval=frame:volume=\'if(lt(mod(t,2),1),1,0.01)\''],
    ];
    for (const [name, graph] of signals) {
      await synthesise(join(dir, name), graph, 6);
      files.push(join(dir, name));
    }

    for (const file of files) {
      const audio = await decodeWithFfmpeg(file);
      const ours = integratedLoudness([audio.left, audio.right], RATE);
      const theirs = await ffmpegLoudness(file);
      assert.ok(Math.abs(ours - theirs) <= 0.3, `${file}: ours ${ours.toFixed(2)} LUFS, ffmpeg ${theirs} LUFS`);
    }
  });

  test('is -Infinity for silence and for less than one 400 ms block', () => {
    const silence = new Float32Array(RATE * 2);
    assert.equal(integratedLoudness([silence, silence], RATE), -Infinity);
    const short = Float32Array.from({ length: 0.3 * RATE }, (_, i) => 0.5 * Math.sin(i / 10));
    assert.equal(integratedLoudness([short, short], RATE), -Infinity);
  });

  test('gates out silence: a tone with silent gaps measures as the tone alone', () => {
    const tone = Float32Array.from({ length: 4 * RATE }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 997 * i) / RATE));
    const gapped = new Float32Array(8 * RATE);
    gapped.set(tone.subarray(0, 2 * RATE), 0);
    gapped.set(tone.subarray(2 * RATE), 5 * RATE);
    const alone = integratedLoudness([tone, tone], RATE);
    // Half the time is silent: ungated, the mean would be 3 dB lower.
    const gappedLoudness = integratedLoudness([gapped, gapped], RATE);
    assert.ok(Math.abs(gappedLoudness - alone) < 0.5, `gapped ${gappedLoudness}, alone ${alone}`);
    // 6 dB quieter samples are 6 LU quieter.
    const quieter = tone.map((sample) => sample / 2);
    assert.ok(Math.abs(integratedLoudness([quieter, quieter], RATE) - (alone - 6.02)) < 0.05);
  });
});

describe('loudness at load', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skychoir-stem-loudness-'));
    await synthesise(join(dir, 'quiet.wav'), 'sine=frequency=440:sample_rate=48000,volume=0.1', 3);
    await synthesise(join(dir, 'loud.wav'), 'anoisesrc=color=pink:amplitude=0.5:seed=3:sample_rate=48000', 3);
    const entry = (id: string, file: string, gainDb: number) => ({ id, file, layer: 'middle', role: 'texture', key: null, mode: null, loop: true, gainDb });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({
      format: 1,
      sampleRate: RATE,
      stems: [entry('quiet', 'quiet.wav', 0), entry('loud', 'loud.wav', 0), entry('loud-trimmed', 'loud.wav', -6)],
    }));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('brings every stem to the stem loudness, with the manifest trim on top', async () => {
    const stemLufs = stemLoudnessFor({ targetLufs: -23, masterGainDb: -3 });
    assert.equal(stemLufs, -20);
    const library = await loadStemLibrary(dir, silentLogger(), { stemLufs });

    const played = (id: string): number => {
      const stem = library.get(id);
      assert.ok(stem, id);
      const scale = (samples: Float32Array) => samples.map((sample) => sample * stem.gain);
      return integratedLoudness([scale(stem.buffer.getChannelData(0)), scale(stem.buffer.getChannelData(1))], RATE);
    };
    const quiet = library.get('quiet')!;
    const loud = library.get('loud')!;
    assert.ok(loud.loudnessLufs - quiet.loudnessLufs > 12, 'the two files differ in loudness');
    assert.ok(Math.abs(quiet.loudnessLufs - (await ffmpegLoudness(join(dir, 'quiet.wav')))) <= 0.3);
    assert.ok(Math.abs(played('quiet') - stemLufs) < 0.05, `quiet plays at ${played('quiet')}`);
    assert.ok(Math.abs(played('loud') - stemLufs) < 0.05, `loud plays at ${played('loud')}`);
    assert.ok(Math.abs(played('loud-trimmed') - (stemLufs - 6)) < 0.05);
  });

  test('the default pack plays at the reference loudness it was made at', async () => {
    const library = await loadStemLibrary(join(REPO_DIR, 'samples/stems'), silentLogger());
    for (const stem of library.all()) {
      const normalisationDb = 20 * Math.log10(stem.gain) - stem.info.gainDb;
      assert.ok(Math.abs(normalisationDb) < 0.5, `${stem.info.id}: normalised by ${normalisationDb.toFixed(2)} dB`);
    }
  });
});
