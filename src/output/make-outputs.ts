import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import type { Clock } from '../time/clock.js';
import type { AudioOutput } from './audio-output.js';
import { DailyFileOutput } from './daily-file-output.js';
import { DeviceOutput } from './device-output.js';
import { HttpStreamOutput } from './http-stream-output.js';
import { IcecastOutput } from './icecast-output.js';

/**
 * The outputs the configuration asks for, not started: the MP3 HTTP stream always ("http mp3"),
 * then "http opus" if output.opusStream, "icecast" if output.icecastUrl, "device" if
 * output.device, "file" if output.recordDir. Names hold no secret. The HTTP streams are the
 * HttpStreamOutput items (their `path`, `contentType` and `fanOut` are for the server).
 * Throws an InputError for a malformed output.icecastUrl (password masked).
 */
export function makeOutputs(config: SkyConfig, clock: Clock, log: Logger): AudioOutput[] {
  const { output } = config;
  const common = { ffmpegPath: output.ffmpegPath, sampleRate: config.audio.sampleRate, clock, log };

  const outputs: AudioOutput[] = [new HttpStreamOutput({ ...common, format: 'mp3', bitrateKbps: output.mp3BitrateKbps })];
  if (output.opusStream) {
    outputs.push(new HttpStreamOutput({ ...common, format: 'opus', bitrateKbps: output.opusBitrateKbps }));
  }
  if (output.icecastUrl) {
    outputs.push(new IcecastOutput({ ...common, url: output.icecastUrl, format: output.icecastFormat, mp3BitrateKbps: output.mp3BitrateKbps }));
  }
  if (output.device) outputs.push(new DeviceOutput({ sampleRate: config.audio.sampleRate, log }));
  if (output.recordDir) {
    outputs.push(new DailyFileOutput({ ...common, dir: output.recordDir, format: output.recordFormat, timeZone: config.place.timezone }));
  }
  return outputs;
}
