import type { Layer } from '../../src/audio/stem-manifest.js';
import { EventBus } from '../../src/bus/bus.js';
import { Composer, type ChoosableStem } from '../../src/composer/composer.js';
import { parseScore } from '../../src/composer/score-load.js';
import type { Score } from '../../src/composer/score.js';
import { silentLogger } from '../../src/log.js';
import { Timeline } from '../../src/time/timeline.js';
import type { WeatherObservation } from '../../src/weather/observation.js';
import type { Logger } from 'pino';

export const RATE = 48_000;
/** Noon on a June day; the composers here play at speed 1, so audio seconds are sky seconds. */
export const START = Date.parse('2026-06-01T12:00:00Z');

/** A stem of `layer` with `tags`, ten seconds long (accents are one-shots, the rest loop). */
export function stem(id: string, layer: Layer, tags: string[]): ChoosableStem {
  const info = { id, file: `${id}.ogg`, layer, role: layer === 'fine' ? 'accent' : 'pad', key: null, mode: null, loop: layer !== 'fine', tags, gainDb: 0 } as const;
  return { info: { ...info, tags: [...info.tags] }, durationFrames: 10 * RATE };
}

/**
 * A score from YAML text whose layers default to empty rule lists, with `defaults` (YAML
 * flow) as every layer's defaults unless the text gives its own layer.
 */
export function scoreOf(layers: Partial<Record<Layer, string>>, defaults = '{ gain: 0.5, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }'): Score {
  const text = (['coarse', 'middle', 'fine'] as const)
    .map((layer) => `${layer}:\n  defaults: ${defaults}\n  rules:${layers[layer] ? `\n${layers[layer]}` : ' []'}`)
    .join('\n');
  return parseScore(text, 'test-score.yaml');
}

export function setUp(score: Score, stems: ChoosableStem[], options: { seed?: number; latitude?: number; log?: Logger } = {}) {
  const bus = new EventBus(silentLogger());
  const composer = new Composer({
    timeline: new Timeline(START, 1, RATE),
    stems,
    seed: options.seed ?? 1,
    accentLatencyS: 0,
    score,
    latitude: options.latitude,
    log: options.log ?? silentLogger(),
  });
  composer.follow(bus);
  return { bus, composer };
}

/** An observation of cloud cover (0..1) and other values, as the weather stage publishes it. */
export function observation(atS: number, values: { cover?: number | null; humidity?: number; windMs?: number; pressureHpa?: number } = {}) {
  const observation: WeatherObservation = {
    validAt: START + atS * 1000,
    temperatureC: 15,
    pressureSeaLevelHpa: values.pressureHpa ?? 1015,
    humidityPercent: values.humidity ?? 70,
    windSpeedMs: values.windMs ?? 3,
    windDirectionDeg: 200,
    windGustMs: null,
    cloudCover: { total: values.cover ?? null, low: null, mid: null, high: null },
    precipitation: { rateMmPerHour: null, kind: null },
    visibilityM: null,
    wmoCode: null,
    sunriseAt: null,
    sunsetAt: null,
  };
  return { at: START + atS * 1000, provider: 'test', observation };
}

/** Stems playing `atS` seconds in, by layer. */
export function playing(composer: Composer, atS: number): Record<Layer, string[]> {
  return composer.playingAt(atS * RATE);
}
