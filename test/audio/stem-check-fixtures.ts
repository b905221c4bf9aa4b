import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** C major triad (262, 330 and 392 Hz: whole cycles in any whole number of seconds). */
export const C_MAJOR = "aevalsrc='0.2*sin(2*PI*262*t)+0.2*sin(2*PI*330*t)+0.2*sin(2*PI*392*t)'";

/** Writes a stereo file (format from the extension) from an aevalsrc source with ffmpeg. */
export async function synthesise(path: string, source: string, seconds: number, rate = 48_000): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${source}:s=${rate}:d=${seconds}`, '-ac', '2', path]);
}
