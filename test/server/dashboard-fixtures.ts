/**
 * What the dashboard tests serve: a status document of a morning in Bruges, a real CCSN sky
 * photograph drawn with two birds, and a live MP3 stream of a tone through a real encoder.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { silentLogger } from '../../src/log.js';
import { Encoder } from '../../src/output/encoder.js';
import { StreamFanOut } from '../../src/output/fan-out.js';
import type { DaemonStatus } from '../../src/server/status.js';
import { annotateFrame } from '../../src/vision/annotate.js';
import { SHARED_DIR } from '../support/paths.js';

const NOW_MS = Date.UTC(2024, 5, 1, 10, 30, 0);
const iso = (minutesAgo: number): string => new Date(NOW_MS - minutesAgo * 60_000).toISOString();
const BIRD_BOXES = [{ x: 0.3, y: 0.25, width: 0.05, height: 0.04 }, { x: 0.62, y: 0.4, width: 0.04, height: 0.035 }];

/** The status at poll `poll` (1 = the first): from the second poll on, a flock has started and a fine stem answers it. */
export function morningStatus(poll: number): DaemonStatus {
  const later = poll >= 2;
  const status: DaemonStatus = {
    version: '0.1.0',
    startedAt: iso(185),
    now: iso(later ? -0.05 : 0),
    place: { name: 'Bruges (test)', latitude: 51.2094, longitude: 3.2247, timezone: 'Europe/Brussels' },
    sources: [
      { name: 'weather', status: 'online', detail: 'open-meteo', since: iso(185) },
      { name: 'camera', status: 'online', detail: 'rtsp://viewer:***@cam.hotel.local:554/sky', since: iso(42) },
      { name: 'mqtt', status: 'off', detail: 'no mqtt.url set' },
    ],
    missing: [],
    weather: {
      provider: 'open-meteo', observedAt: iso(9), stale: false, temperatureC: 17.5, pressureHpa: 1016.2, humidityPercent: 64,
      windSpeedMs: 4.3, cloudCoverPercent: 40, precipitationMmH: 0, description: 'partly cloudy',
    },
    sun: { phase: 'day', elevationDeg: 52.4, sunrise: '2024-06-01T03:33:00.000Z', sunset: '2024-06-01T19:51:00.000Z' },
    sky: { at: iso(0.1), coverFraction: 0.38, brightness: 0.71, cloudTypes: { cumuliform: 0.74, stratiform: 0.18, cirriform: 0.08 } },
    layers: [
      { layer: 'coarse', stems: [{ id: 'bed-day-ionian-d', since: iso(64), reason: 'sun phase day, summer, pressure steady' }] },
      { layer: 'middle', stems: [
        { id: 'chorale-fair-weather', since: iso(21), reason: 'cloud cover 38%, cumuliform' },
        { id: 'texture-breeze-soft', since: iso(6), reason: 'wind 4.3 m/s' },
      ] },
      { layer: 'fine', stems: later ? [{ id: 'accent-flock-07', since: iso(-0.05), reason: 'flock of 7 birds heading west, panned left' }] : [] },
    ],
    outputs: [
      { name: 'http mp3', state: 'running', restarts: 0, listeners: 1 },
      { name: 'http opus', state: 'running', restarts: 0, listeners: 0 },
      { name: 'icecast', state: 'reconnecting', detail: 'icecast://source:***@radio.example.org:8000/sky: connection refused; retry in 8 s', restarts: 3 },
    ],
    listeners: { mp3: 1, opus: 0 },
    events: [
      { at: iso(55), name: 'weather.observed', summary: '17.1 °C, 1016.4 hPa, wind 3.9 m/s' },
      { at: iso(42), name: 'camera.status.changed', summary: 'camera online' },
      { at: iso(31), name: 'bird.seen', summary: 'a bird at the top left' },
      { at: iso(24), name: 'aircraft.seen', summary: 'an aircraft crossing east' },
      { at: iso(12), name: 'sky.observed', summary: 'cover 38%, cumuliform 74%' },
      { at: iso(9), name: 'weather.observed', summary: '17.5 °C, 1016.2 hPa, wind 4.3 m/s' },
      { at: iso(2), name: 'bird.seen', summary: 'two birds in the middle' },
    ],
    frame: { at: iso(0.1), frameId: 'f-001234', birds: BIRD_BOXES, aircraft: [] },
  };
  if (later) status.events.push({ at: iso(-0.05), name: 'flock.started', summary: 'a flock of 7 birds heading west' });
  return status;
}

/** A real cumulus photograph from CCSN with two bird boxes drawn by vision's own annotator. */
export async function skyFramePng(): Promise<Buffer> {
  const { data, info } = await sharp(join(SHARED_DIR, 'data/ccsn/Cu/Cu-N001.jpg'))
    .resize(640, 400, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const frame = { rgb: new Uint8Array(data), width: info.width, height: info.height };
  const birds = BIRD_BOXES.map((box, index) => ({ label: 'bird', classId: 14, score: 0.81 - index * 0.1, box }));
  return annotateFrame(frame, { birds, aircraft: [], caption: 'cover 38% · brightness 71% · cumuliform 74%' });
}

/**
 * A live MP3 stream: a 440 Hz tone through ffmpeg into a fan-out, written a little faster than
 * real time (250 ms of audio every 200 ms) until stopped.
 */
export function toneStream(): { fanOut: StreamFanOut; stop: () => Promise<void> } {
  const fanOut = new StreamFanOut(silentLogger());
  const encoder = new Encoder({ ffmpegPath: 'ffmpeg', format: 'mp3', sampleRate: 48_000, target: '-' });
  encoder.output.on('data', (bytes: Buffer) => fanOut.broadcast(bytes));

  const frames = 12_000;
  const pcm = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) pcm[2 * i] = pcm[2 * i + 1] = 0.2 * Math.sin((2 * Math.PI * 440 * i) / 48_000);
  const chunk = Buffer.from(pcm.buffer);

  let running = true;
  const feeding = (async () => {
    while (running) {
      await encoder.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  return {
    fanOut,
    stop: async () => {
      running = false;
      encoder.kill();
      await feeding.catch(() => {});
      await encoder.exitedOrTimeout();
    },
  };
}
