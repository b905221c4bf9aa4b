import { rtspTimeoutOption, type FfmpegVersion } from './ffmpeg-version.js';

/** What ffmpeg reads: an RTSP(S) camera, an HTTP(S) MJPEG stream, or a local video file. */
export type FfmpegInputKind = 'rtsp' | 'mjpeg' | 'file';

export interface FfmpegReadRequest {
  kind: FfmpegInputKind;
  /** The camera URL (may hold a password) or the file path. */
  input: string;
  version: FfmpegVersion;
  /** Analysis rate, frames per second (> 0). */
  fps: number;
  /** Output width in pixels (even, > 0); the height keeps the aspect ratio, rounded to even. */
  width: number;
  /** Seconds a socket may wait for data before ffmpeg gives up (RTSP and HTTP). */
  socketTimeoutS: number;
  /** Files only: read at the video's own pace (`-re`) instead of as fast as possible. */
  realTime?: boolean;
  /** Files only: start again at the end, forever. */
  loop?: boolean;
}

/**
 * The ffmpeg command line for one read: raw rgb24 frames on stdout at `fps`, `width` wide.
 *
 * The output size is fixed for the life of the process: ffmpeg sizes its output by the
 * first frame through the scale filter, and its default `-autoscale` scales every later
 * frame to that size, so a camera that changes resolution mid-stream never shears the raw
 * stream. The exact size is read from ffmpeg's own "Output #0" stream line on stderr
 * (hence `-loglevel info`) before any frame is cut (see stream-info.ts). `-nostats` keeps
 * the progress line out of stderr.
 */
export function ffmpegReadArgs(request: FfmpegReadRequest): string[] {
  const timeoutUs = String(Math.round(request.socketTimeoutS * 1_000_000));

  const input: string[] = [];
  if (request.kind === 'rtsp') {
    input.push('-rtsp_transport', 'tcp', rtspTimeoutOption(request.version), timeoutUs);
  }
  if (request.kind === 'mjpeg') {
    input.push('-rw_timeout', timeoutUs, '-use_wallclock_as_timestamps', '1');
  }
  if (request.kind === 'file') {
    if (request.realTime) input.push('-re');
    if (request.loop) input.push('-stream_loop', '-1');
  }

  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    ...input,
    '-i', request.input,
    '-an', '-sn', '-dn',
    '-vf', `fps=${request.fps},scale=${request.width}:-2`,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}
