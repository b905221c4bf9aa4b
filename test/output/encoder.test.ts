import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { Encoder, formatForPath } from '../../src/output/encoder.js';

const SAMPLE_RATE = 48_000;

/** Interleaved f32le stereo: `seconds` of a 440 Hz tone at half scale. */
function tone(seconds: number): Buffer {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const pcm = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) pcm[2 * i] = pcm[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE);
  return Buffer.from(pcm.buffer);
}

test('PCM in, a WAV file out with the stated rate, channels and length', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-encoder-'));
  const path = join(dir, 'tone.wav');
  const encoder = new Encoder({ ffmpegPath: 'ffmpeg', format: 'wav', sampleRate: SAMPLE_RATE, target: path });

  await encoder.write(tone(0.5));
  await encoder.finish();

  const wav = await readFile(path);
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt16LE(22), 2, 'channels');
  assert.equal(wav.readUInt32LE(24), SAMPLE_RATE, 'sample rate');
  const dataBytes = wav.length - wav.indexOf('data') - 8;
  assert.equal(dataBytes, 0.5 * SAMPLE_RATE * 2 * 2, 'half a second of 16-bit stereo');
  await rm(dir, { recursive: true });
});

test('a missing ffmpeg is an input error naming the path and the setting', async () => {
  const encoder = new Encoder({ ffmpegPath: '/nowhere/ffmpeg', format: 'wav', sampleRate: SAMPLE_RATE, target: '-' });

  await assert.rejects(encoder.write(tone(0.1)).then(() => encoder.finish()), (error: unknown) =>
    error instanceof InputError && /ffmpeg not found at "\/nowhere\/ffmpeg".*output\.ffmpegPath/.test(error.message));
});

test('a target ffmpeg cannot write fails with the path and ffmpeg\'s own reason, not a bare EPIPE', async () => {
  const target = '/nonexistent-dir/out.ogg';
  const encoder = new Encoder({ ffmpegPath: 'ffmpeg', format: 'ogg', sampleRate: SAMPLE_RATE, target });

  const writeAll = async (): Promise<void> => {
    for (let i = 0; i < 50; i++) await encoder.write(tone(0.5));
    await encoder.finish();
  };

  await assert.rejects(writeAll(), (error: unknown) => {
    const message = (error as Error).message;
    return message.includes(`"${target}"`) && /No such file or directory/.test(message);
  });
});

test('the format follows the extension; an unknown one is an input error listing the choices', () => {
  assert.equal(formatForPath('day.OGG'), 'ogg');
  assert.equal(formatForPath('x/day.flac'), 'flac');
  assert.throws(() => formatForPath('day.aiff'), (error: unknown) =>
    error instanceof InputError && /day\.aiff.*\.ogg, \.flac, \.mp3 or \.wav/.test(error.message));
});
