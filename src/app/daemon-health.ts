/**
 * How the daemon's sources are, and what the music is going without, in words, for the
 * status API and the dashboard. Nothing here holds a secret: the camera is named by its
 * masked URL and the broker as the bridge shows it.
 */
import type { StemLibrary } from '../audio/stem-library.js';
import type { MqttBridge } from '../bridge/mqtt-bridge.js';
import type { SkyConfig } from '../config/schema.js';
import type { SourceHealth } from '../server/status.js';
import type { FrameAnalyser } from '../vision/analyser.js';
import type { CameraStage } from './camera-stage.js';
import type { LiveWeather } from './live-weather.js';

export function sourcesOf(
  weather: LiveWeather,
  camera: CameraStage | null,
  analyser: FrameAnalyser | null,
  bridge: MqttBridge | null,
): SourceHealth[] {
  const sources = [weather.health()];
  if (camera && analyser) sources.push({ name: 'camera', status: analyser.sequence.status ?? 'offline', detail: camera.camera });
  else sources.push({ name: 'camera', status: 'off', detail: 'no camera configured (camera.url)' });

  if (!bridge) sources.push({ name: 'mqtt', status: 'off', detail: 'no mqtt.url set' });
  else {
    const health = bridge.health();
    const status = health.state === 'online' ? 'online' : health.state === 'connecting' ? 'degraded' : 'offline';
    const since = health.since === null ? undefined : new Date(health.since).toISOString();
    sources.push({ name: 'mqtt', status, detail: `${health.broker}${health.reason ? `: ${health.reason}` : ''}`, since });
  }
  return sources;
}

export function missingOf(
  config: SkyConfig,
  stems: StemLibrary | null,
  weather: LiveWeather,
  analyser: FrameAnalyser | null,
  bedPlaying: boolean,
): string[] {
  const missing: string[] = [];
  const weatherHealth = weather.health();
  if (weatherHealth.status !== 'online') missing.push(`weather ${weatherHealth.status}: ${weatherHealth.detail ?? ''}; playing from the time of day and the last known sky`);
  if (!config.camera.url) missing.push('no camera configured (camera.url): the sky comes from the weather alone');
  else if (analyser && analyser.sequence.status !== 'online') missing.push(`camera ${analyser.sequence.status ?? 'not yet online'}`);
  if (!stems || stems.all().length === 0) missing.push('no stems could be loaded: the safe bed plays');
  else if (bedPlaying) missing.push('the stems fell silent: the safe bed plays');
  return missing;
}
