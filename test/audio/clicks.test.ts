import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext } from 'node-web-audio-api';
import { clickAt, type DecodedAudio } from '../../src/audio/measure.js';

const RATE = 48_000;
const STOP_S = 1.0003;

/** Case A3: a 440 Hz tone stopped at 1.0003 s in one of three ways. */
async function renderStop(way: 'stop only' | 'ramp then stop' | 'ramp then disconnect'): Promise<DecodedAudio> {
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: 2 * RATE, sampleRate: RATE });
  const oscillator = context.createOscillator();
  oscillator.frequency.value = 440;
  const gain = context.createGain();
  const connection = context.createGain();
  oscillator.connect(gain).connect(connection).connect(context.destination);
  oscillator.start(0);

  if (way === 'stop only') {
    oscillator.stop(STOP_S);
  } else {
    gain.gain.setValueAtTime(1, STOP_S - 0.02);
    gain.gain.linearRampToValueAtTime(0, STOP_S);
    oscillator.stop(STOP_S + 0.01);
  }
  if (way === 'ramp then disconnect') {
    // A disconnect takes effect at the start of a render quantum (128 frames), wherever the
    // ramp then is: the tail is cut there. It is modelled as `connection` dropping to 0 at
    // that quantum, not done with suspend()/disconnect()/resume(): in node-web-audio-api a
    // suspend() raced with startRendering() is sometimes refused as "rendering has already
    // started" (ircam-ismm/node-web-audio-api#62), which made this test flaky.
    const quantumStartS = (Math.floor(((STOP_S - 0.01) * RATE) / 128) * 128) / RATE;
    connection.gain.setValueAtTime(0, quantumStartS);
  }

  const buffer = await context.startRendering();
  return { sampleRate: RATE, left: buffer.getChannelData(0), right: buffer.getChannelData(1) };
}

test('a tone stopped without a fade is measured as a click (case A3a)', async () => {
  const result = clickAt(await renderStop('stop only'), Math.round(STOP_S * RATE));
  assert.equal(result.clean, false, `step ${result.step} limit ${result.limit}`);
});

test('a tone faded over 20 ms before it stops is measured as clean (case A3b)', async () => {
  const result = clickAt(await renderStop('ramp then stop'), Math.round(STOP_S * RATE));
  assert.equal(result.clean, true, `step ${result.step} limit ${result.limit}`);
});

test('a tone disconnected before its fade ends is measured as a click (case A3c)', async () => {
  const result = clickAt(await renderStop('ramp then disconnect'), Math.round(STOP_S * RATE));
  assert.equal(result.clean, false, `step ${result.step} limit ${result.limit}`);
});
