/**
 * Rare events get more prominence: the composer asks here how unusual an event is for this
 * place at this hour and season (the {@link SkyMemory}), and how much louder (or longer) its
 * answer should be. Accents rise by up to `accentDb` with prominence (a flock of prominence
 * 0.75 or more also sings with a voice more than its size gives); a middle-layer choice
 * made soon after a rare weather change (a pressure fall, precipitation or fog starting) is
 * lifted by up to `middleDb` and held up to twice as long.
 *
 * Deterministic: ratings depend only on the events' own instants and what the memory held at
 * the start, never on the wall clock.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import { describeRating, type MemoryKind, type Rating, type SkyMemory } from './sky-memory.js';

/** The largest boosts, dB at prominence 1 (0 at prominence 0). */
export interface ProminenceRange {
  accentDb: number;
  middleDb: number;
}

export const DEFAULT_PROMINENCE: ProminenceRange = { accentDb: 4, middleDb: 2 };

/** Sky time after a weather change during which a middle-layer choice counts as answering it. */
const WEATHER_WINDOW_MS = 30 * 60_000;

/** A boost for one decision: a linear gain factor (>= 1), a hold factor (>= 1), voices added (a flock's), and why. */
export interface Lift {
  gain: number;
  hold: number;
  voices: number;
  note: string;
}

/** Prominence from which a flock sings with a voice more than its size gives (at most four). */
const EXTRA_VOICE_PROMINENCE = 0.75;

export class SkyProminence {
  private lastWeather: Rating | null = null;

  constructor(
    readonly memory: SkyMemory,
    private readonly range: ProminenceRange,
    private readonly log: Logger,
  ) {}

  /**
   * Follows the weather changes the memory counts, and the passing of time. Subscribe it
   * before the composer's own reactions, so that a change is rated when the layers move.
   */
  follow(bus: EventBus): () => void {
    const pass = ({ at }: { at: number }) => this.memory.pass(at);
    return combine([
      bus.on('precipitation.started', 'sky-memory', ({ at }) => this.weather('precipitation', at)),
      bus.on('fog.formed', 'sky-memory', ({ at }) => this.weather('fog', at)),
      bus.on('pressure.trend.changed', 'sky-memory', ({ at, tendency, previous }) => {
        if (tendency.startsWith('falling') && !previous?.startsWith('falling')) this.weather('pressureFall', at);
        else this.memory.pass(at);
      }),
      bus.on('weather.observed', 'sky-memory', pass),
      bus.on('sky.observed', 'sky-memory', pass),
      bus.on('sun.phase.changed', 'sky-memory', pass),
    ]);
  }

  /** Rates and learns an accent's event; the gain factor and the words for its reason. */
  accent(kind: MemoryKind, atMs: number): Lift {
    const rating = this.memory.observe(kind, atMs);
    const db = this.range.accentDb * rating.prominence;
    const voices = kind === 'flock' && rating.prominence >= EXTRA_VOICE_PROMINENCE ? 1 : 0;
    return { gain: 10 ** (db / 20), hold: 1, voices, note: `${describeRating(rating)}, +${db.toFixed(1)} dB${voices ? ', a voice more' : ''}` };
  }

  /** The lift of a middle-layer choice at `atMs`: from a weather change rated within the last half hour, else none. */
  middle(atMs: number): Lift | null {
    const rating = this.lastWeather;
    if (rating === null || atMs < rating.at || atMs - rating.at > WEATHER_WINDOW_MS) return null;
    const db = this.range.middleDb * rating.prominence;
    return {
      gain: 10 ** (db / 20),
      hold: 1 + rating.prominence,
      voices: 0,
      note: `, after a ${WEATHER_WORDS[rating.kind]} ${describeRating(rating)}, +${db.toFixed(1)} dB, held x${(1 + rating.prominence).toFixed(2)}`,
    };
  }

  private weather(kind: MemoryKind, atMs: number): void {
    const rating = this.memory.observe(kind, atMs);
    this.lastWeather = rating;
    this.log.info({ kind, rarity: rating.rarity, prominence: rating.prominence, firstToday: rating.firstToday }, `${WEATHER_WORDS[kind]}, ${describeRating(rating)}`);
  }
}

const WEATHER_WORDS: Record<MemoryKind, string> = {
  flock: 'flock',
  bird: 'bird',
  aircraft: 'aircraft',
  precipitation: 'precipitation start',
  pressureFall: 'pressure fall',
  fog: 'fog',
};

function combine(stops: Array<() => void>): () => void {
  return () => stops.forEach((stop) => stop());
}
