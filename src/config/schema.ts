import { z } from 'zod';
import { isTimeZone } from '../time/zone.js';

/**
 * The whole configuration: the only place defaults live. Every field says its unit and
 * what it trades off. Unknown keys are errors, so a misspelt setting is never ignored.
 */
const place = z
  .object({
    name: z.string().min(1).default('Bruges').describe('Shown in logs and recorded days.'),
    latitude: z.number().min(-90).max(90).default(51.2).describe('Degrees north; drives the sun phases.'),
    longitude: z.number().min(-180).max(180).default(3.2).describe('Degrees east.'),
    timezone: z
      .string()
      .refine(isTimeZone, 'not an IANA time zone (such as Europe/Brussels)')
      .default('Europe/Brussels')
      .describe('IANA zone, for local hours in logs.'),
  })
  .strict();

const weather = z
  .object({
    provider: z.enum(['open-meteo', 'openweathermap']).default('open-meteo').describe('open-meteo needs no key.'),
    apiKey: z.string().optional().describe('OpenWeatherMap key. Secret: never printed. Env SKYCHOIR_WEATHER_API_KEY.'),
    pollIntervalS: z
      .number()
      .int()
      .min(10)
      .max(86_400)
      .default(600)
      .describe("Seconds between polls. Keep public providers at 600 or more (their free budgets); less is for a local server."),
    fallbackProvider: z
      .enum(['open-meteo', 'openweathermap'])
      .optional()
      .describe('Asked while the provider fails (a refused key, an outage); the first good reply wins.'),
    baseUrl: z.url().optional().describe("Endpoint in place of the provider's own (a proxy, a local test server)."),
  })
  .strict();

const camera = z
  .object({
    url: z
      .string()
      .optional()
      .describe('RTSP, HTTP MJPEG or snapshot URL, or a video file; may hold a password. Env SKYCHOIR_CAMERA_URL.'),
    kind: z
      .enum(['auto', 'rtsp', 'mjpeg', 'snapshot', 'file'])
      .default('auto')
      .describe("How to read the URL; 'auto' tells by its scheme and, for HTTP, by the reply's content type."),
    analysisFps: z.number().positive().max(10).default(1).describe('Frames analysed per second.'),
    frameWidth: z.number().int().min(64).max(1920).default(640).describe('Width in pixels frames are scaled to for analysis.'),
    stallTimeoutS: z.number().min(1).max(600).default(15).describe('Seconds without a frame before the camera counts as stalled and is restarted.'),
  })
  .strict();

const vision = z
  .object({
    modelDir: z.string().default('models').describe('Where detector weights live; fetched there when missing.'),
    detector: z.enum(['fastestdet', 'yolox-nano']).default('fastestdet').describe('FastestDet is faster, YOLOX-Nano finer.'),
    fetchMissingModel: z.boolean().default(true).describe('Download a missing model from upstream (checksum checked).'),
    birdScoreMin: z.number().min(0).max(1).default(0.5).describe('Detector score above which a small flying object counts as a bird.'),
    cloudClassifier: z
      .string()
      .default('models/clouds/cloud-classifier.onnx')
      .describe("The project's cloud-type classifier (ONNX); an empty string turns it off."),
    skyWindowS: z.number().min(0).max(3600).default(30).describe('Seconds over which cloud cover and type are smoothed.'),
  })
  .strict();

const audio = z
  .object({
    sampleRate: z.literal(48_000).default(48_000).describe('Hz. Stems must match.'),
    stemsDir: z.string().default('samples/stems').describe('A stem pack: a folder with manifest.json.'),
    chunkS: z.number().min(1).max(600).default(20).describe('Seconds rendered per chunk: memory against overhead.'),
    masterGainDb: z.number().min(-60).max(6).default(-3).describe('Gain of the master bus in dB.'),
    targetLufs: z.number().min(-40).max(-10).default(-23).describe('Loudness of one stem at full level through the master gain, LUFS: -23 is lobby background. Stems are normalised to it at load.'),
    limiterCeilingDb: z.number().min(-20).max(0).default(-1).describe('Ceiling of the master limiter in dBFS (sample peak).'),
  })
  .strict();

const composer = z
  .object({
    seed: z.number().int().min(0).default(1).describe('Same seed, day and stems give the same audio, bit for bit.'),
    accentLatencyS: z.number().min(0).max(2).default(0.25).describe('Audio seconds between an event and its accent.'),
    scorePath: z
      .string()
      .min(1)
      .default('config/score.yaml')
      .describe('The score (YAML rules from sky to stems, docs/score.md), relative to the working directory; by default the one shipped with skychoir.'),
  })
  .strict();

const memory = z
  .object({
    path: z
      .string()
      .min(1)
      .default('state/sky-memory.json')
      .describe('What `run` has learned of this sky (events per local hour and season), relative to the working directory; loaded at start, saved every saveIntervalS of sky time and at stop. Renders never read it (see `render --memory`).'),
    halfLifeDays: z.number().min(1).max(3650).default(60).describe('Sky days after which what was learned counts half: shorter follows a changing place sooner, longer remembers more seasons.'),
    saveIntervalS: z.number().min(10).max(86_400).default(300).describe('Sky seconds between saves of the memory while running.'),
    accentBoostDb: z.number().min(0).max(12).default(4).describe('dB added to the accent of the rarest event (0 to this, by its prominence 0..1).'),
    middleBoostDb: z.number().min(0).max(12).default(2).describe('dB added to a texture chosen within half an hour of a rare weather change (pressure fall, first rain, fog), which also holds up to twice as long.'),
  })
  .strict();

const output = z
  .object({
    host: z.string().default('127.0.0.1').describe('Address the HTTP stream and dashboard bind to; localhost by default.'),
    port: z.number().int().min(0).max(65_535).default(8750).describe('HTTP stream port (0 picks a free one).'),
    mp3BitrateKbps: z.number().int().min(32).max(320).default(128).describe('MP3 stream bitrate.'),
    opusStream: z.boolean().default(true).describe('Also serve Ogg/Opus at /stream.opus (a second encoder).'),
    opusBitrateKbps: z.number().int().min(16).max(256).default(96).describe('Ogg/Opus stream bitrate.'),
    ffmpegPath: z.string().default('ffmpeg').describe('The ffmpeg binary used to encode and to read cameras.'),
    icecastUrl: z
      .string()
      .optional()
      .describe('Push the mix to Icecast: icecast://source:PASSWORD@host:8000/mount. Secret password. Env SKYCHOIR_OUTPUT_ICECAST_URL.'),
    icecastFormat: z.enum(['mp3', 'ogg']).default('mp3').describe('What is pushed to Icecast (ogg: Vorbis).'),
    device: z.boolean().default(false).describe('Play on the local sound card too (node-web-audio-api).'),
    recordDir: z.string().optional().describe('Write the mix to files here, one per local day (rotated at midnight).'),
    recordFormat: z.enum(['ogg', 'flac', 'mp3']).default('ogg').describe('Format of the daily files.'),
  })
  .strict();

const server = z
  .object({
    dashboard: z.boolean().default(true).describe('Serve the dashboard at / beside /stream and /status.'),
    token: z.string().optional().describe('Bearer token for control endpoints; without one they are off. Secret. Env SKYCHOIR_SERVER_TOKEN.'),
    metrics: z.boolean().default(true).describe('Serve Prometheus metrics at /metrics.'),
  })
  .strict();

const mqtt = z
  .object({
    url: z.string().optional().describe('Bridge the bus to MQTT: mqtt://user:PASSWORD@host:1883. Env SKYCHOIR_MQTT_URL.'),
    topicPrefix: z.string().min(1).default('skychoir').describe('Events are published under <prefix>/events/<event name>.'),
    accept: z.boolean().default(true).describe('Take events published by other machines under <prefix>/events/.'),
  })
  .strict();

const run = z
  .object({
    recordDaysDir: z.string().optional().describe('Record each day as it happens (weather, frames) into a folder per day here.'),
    fadeOutS: z.number().min(0).max(30).default(3).describe('Seconds the music fades out over when stopped.'),
    leadS: z.number().min(0.5).max(30).default(2).describe('Audio seconds rendered ahead of real time: more survives hiccups, less answers sooner.'),
  })
  .strict();

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const log = z
  .object({
    level: logLevel.default('info'),
    components: z
      .record(z.string(), logLevel)
      .default({})
      .describe('Levels per component, e.g. { camera: debug, frame-sequence: warn }.'),
  })
  .strict();

export const configSchema = z
  .object({
    place: place.prefault({}),
    weather: weather.prefault({}),
    camera: camera.prefault({}),
    vision: vision.prefault({}),
    audio: audio.prefault({}),
    composer: composer.prefault({}),
    memory: memory.prefault({}),
    output: output.prefault({}),
    server: server.prefault({}),
    mqtt: mqtt.prefault({}),
    run: run.prefault({}),
    log: log.prefault({}),
  })
  .strict();

export type SkyConfig = z.infer<typeof configSchema>;

/** Dotted paths whose values are secrets: shown as set or unset, never as they are. */
export const SECRET_PATHS = ['weather.apiKey', 'server.token'] as const;

/** Dotted paths that may carry a password inside a URL. */
export const URL_PATHS = ['camera.url', 'output.icecastUrl', 'mqtt.url'] as const;
