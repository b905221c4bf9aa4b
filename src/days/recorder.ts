/**
 * Writes a recorded day (docs/days.md): the manifest first, then one index line and one file
 * per weather reply or frame, appended as they come. A day being recorded can be read at
 * any moment: every line is written whole, after the file it points to.
 */
import { InputError } from '../errors.js';
import { appendFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FRAMES_DIR,
  FRAMES_INDEX_FILE,
  MANIFEST_FILE,
  manifestSchema,
  toUtcIso,
  WEATHER_DIR,
  WEATHER_INDEX_FILE,
  describeZodError,
  manifestToFile,
  type DayManifest,
  type DayManifestFile,
  type FrameLine,
  type WeatherLine,
  type WeatherProviderId,
} from './format.js';

export interface WeatherReplyToRecord {
  /** When the reply arrived, epoch ms. */
  receivedAt: number;
  provider: WeatherProviderId;
  /** HTTP status. */
  status: number;
  contentType: string;
  /** The body exactly as received. */
  body: string | Buffer;
}

export interface FrameToRecord {
  /** When the frame was captured, epoch ms. */
  capturedAt: number;
  jpeg: Buffer;
}

/** File name extension for a reply body, from its content type. */
function bodyExtension(contentType: string): string {
  if (contentType.includes('json')) return 'json';
  if (contentType.includes('html')) return 'html';
  return 'txt';
}

export class DayRecorder {
  private weatherCount = 0;
  private frameCount = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    private manifest: DayManifestFile,
  ) {}

  /**
   * Starts a day in `dir` (created if missing; must be empty if it exists) and writes its
   * manifest (instants given as epoch ms). Throws if the manifest does not fit the format or
   * the folder is not empty.
   */
  static async create(dir: string, manifest: DayManifest): Promise<DayRecorder> {
    const checked = manifestSchema.safeParse(manifestToFile(manifest), { reportInput: true });
    if (!checked.success) {
      throw new InputError(`day manifest for ${dir}: ${describeZodError(checked.error)}`);
    }

    await mkdir(dir, { recursive: true });
    const existing = await readdir(dir);
    if (existing.length > 0) {
      throw new InputError(`cannot record a day into ${dir}: the folder is not empty`);
    }

    await mkdir(join(dir, WEATHER_DIR));
    await mkdir(join(dir, FRAMES_DIR));
    await writeFile(join(dir, WEATHER_INDEX_FILE), '');
    await writeFile(join(dir, FRAMES_INDEX_FILE), '');

    const recorder = new DayRecorder(dir, checked.data);
    await recorder.writeManifest();
    return recorder;
  }

  /** Stores the body under weather/ and appends its index line. */
  async addWeatherReply(reply: WeatherReplyToRecord): Promise<void> {
    this.assertOpen();
    this.weatherCount++;
    const number = String(this.weatherCount).padStart(4, '0');
    const file = `${WEATHER_DIR}/${number}-${reply.provider}.${bodyExtension(reply.contentType)}`;
    await writeFile(join(this.dir, file), reply.body);

    const line: WeatherLine = {
      receivedAt: toUtcIso(reply.receivedAt),
      provider: reply.provider,
      status: reply.status,
      contentType: reply.contentType,
      file,
    };
    await appendFile(join(this.dir, WEATHER_INDEX_FILE), `${JSON.stringify(line)}\n`);
  }

  /** Stores the JPEG under frames/ and appends its index line. */
  async addFrame(frame: FrameToRecord): Promise<void> {
    this.assertOpen();
    this.frameCount++;
    const file = `${FRAMES_DIR}/${String(this.frameCount).padStart(6, '0')}.jpg`;
    await writeFile(join(this.dir, file), frame.jpeg);

    const line: FrameLine = { capturedAt: toUtcIso(frame.capturedAt), file };
    await appendFile(join(this.dir, FRAMES_INDEX_FILE), `${JSON.stringify(line)}\n`);
  }

  /**
   * Finishes the day. With `endAt` (epoch ms), the manifest's window is rewritten to end
   * there (a live recording does not know its end in advance).
   */
  async close(endAt?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (endAt === undefined) return;

    const checked = manifestSchema.safeParse({ ...this.manifest, endAt: toUtcIso(endAt) });
    if (!checked.success) throw new Error(`day ${this.dir}: ${describeZodError(checked.error)}`);
    this.manifest = checked.data;
    await this.writeManifest();
  }

  /** Counts of what was recorded so far. */
  get counts(): { weather: number; frames: number } {
    return { weather: this.weatherCount, frames: this.frameCount };
  }

  /** Writes the manifest through a temporary file, so a reader never sees half of it. */
  private async writeManifest(): Promise<void> {
    const path = join(this.dir, MANIFEST_FILE);
    await writeFile(`${path}.tmp`, `${JSON.stringify(this.manifest, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`day ${this.dir} is closed`);
  }
}
