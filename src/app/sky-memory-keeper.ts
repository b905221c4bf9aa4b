/**
 * Keeps the live daemon's sky memory on disk: saved (atomically) once `intervalS` of sky time
 * has passed since the last save, as told by the bus's own instants, and once more at stop.
 * A failed save is logged and retried at the next interval; it never stops the music.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import { writeSkyMemoryFile } from '../composer/sky-memory-file.js';
import type { SkyMemory } from '../composer/sky-memory.js';

export class SkyMemoryKeeper {
  private lastSavedAt: number | null = null;
  private saving: Promise<void> | null = null;

  constructor(
    private readonly memory: SkyMemory,
    private readonly file: string,
    private readonly intervalS: number,
    private readonly log: Logger,
  ) {}

  /** Saves as sky time passes (weather, sky and sun events carry it); returns a function that unsubscribes. */
  follow(bus: EventBus): () => void {
    const tick = ({ at }: { at: number }) => this.tick(at);
    const stops = [
      bus.on('weather.observed', 'sky-memory-keeper', tick),
      bus.on('sky.observed', 'sky-memory-keeper', tick),
      bus.on('sun.phase.changed', 'sky-memory-keeper', tick),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Sky time is `atMs`: saves when the interval has passed since the last save (the first instant only starts the count). */
  tick(atMs: number): void {
    if (this.lastSavedAt === null) {
      this.lastSavedAt = atMs;
      return;
    }
    if (atMs - this.lastSavedAt < this.intervalS * 1000 || this.saving) return;
    this.lastSavedAt = atMs;
    this.saving = this.save().finally(() => {
      this.saving = null;
    });
  }

  /** Waits for a save under way, then saves what the memory holds now. */
  async stop(): Promise<void> {
    await this.saving;
    await this.save();
  }

  private async save(): Promise<void> {
    try {
      await writeSkyMemoryFile(this.file, this.memory.timeZone, this.memory.snapshot());
      this.log.debug({ file: this.file, daysLearned: this.memory.summary().daysLearned }, 'sky memory saved');
    } catch (error) {
      this.log.error({ err: error, file: this.file }, 'sky memory could not be saved; trying again later');
    }
  }
}
