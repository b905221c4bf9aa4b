import type { AudioBuffer } from 'node-web-audio-api';

/**
 * A stem's two channels, taken once per buffer and kept while the buffer lives. Each
 * node-web-audio-api getChannelData call crosses into native code and makes a new array
 * that counts as external memory of its own; taken once, at load, a pack's memory is paid
 * when it loads, not the first time each stem plays hours later.
 */
const channelCache = new WeakMap<AudioBuffer, [Float32Array, Float32Array]>();

/** Left and right samples of a decoded stem (a mono buffer gives its one channel twice). */
export function stemChannels(buffer: AudioBuffer): [Float32Array, Float32Array] {
  let channels = channelCache.get(buffer);
  if (!channels) {
    const first = buffer.getChannelData(0);
    channels = [first, buffer.numberOfChannels > 1 ? buffer.getChannelData(1) : first];
    channelCache.set(buffer, channels);
  }
  return channels;
}
