import { execFile } from 'node:child_process';
import { InputError } from '../errors.js';

/**
 * Which ffmpeg is installed, as far as its command-line options go. ffmpeg 5.0 (2022) renamed
 * the RTSP socket timeout: `-stimeout` (microseconds) became `-timeout` (microseconds), and
 * 4.x's `-timeout` for RTSP meant something else (seconds to wait as a listening server).
 */
export interface FfmpegVersion {
  /** Major version; a git build ("N-112345-g…") counts as {@link GIT_BUILD_MAJOR}. */
  major: number;
  /** The version word as ffmpeg printed it, for logs. */
  text: string;
  /** True for a build from git, whose release is not stated. */
  gitBuild: boolean;
}

/**
 * A git build names no release. Any built since 2022 takes the 5.x options, so it is
 * taken as new; a git build older than ffmpeg 5.0 would get the wrong RTSP timeout option.
 */
export const GIT_BUILD_MAJOR = 99;

/**
 * Reads the first line of `ffmpeg -version`: "ffmpeg version 5.1.9-0+deb12u1 …",
 * "ffmpeg version 4.4.2 …", "ffmpeg version n6.1 …" or "ffmpeg version N-112345-gabc …".
 * Throws an InputError naming the text when no version is found.
 */
export function parseFfmpegVersion(output: string): FfmpegVersion {
  const word = /ffmpeg version (\S+)/i.exec(output)?.[1] ?? output.trim().split(/\s+/)[0] ?? '';

  const release = /^n?(\d+)\.\d+/.exec(word);
  if (release) return { major: Number(release[1]), text: word, gitBuild: false };

  if (/^(N-\d+|git-)/.test(word)) return { major: GIT_BUILD_MAJOR, text: word, gitBuild: true };

  throw new InputError(`cannot read the ffmpeg version from "${output.split('\n')[0]?.slice(0, 120)}"`);
}

/** True when ffmpeg takes `-timeout` (µs) for RTSP sockets; older ones take `-stimeout`. */
export function rtspTimeoutOption(version: FfmpegVersion): '-timeout' | '-stimeout' {
  return version.major >= 5 ? '-timeout' : '-stimeout';
}

/** One detection per ffmpeg path for the life of the process. */
const detected = new Map<string, Promise<FfmpegVersion>>();

/**
 * Runs `ffmpegPath -version` once (later calls share the answer). Rejects with an InputError
 * saying how to install ffmpeg when there is none at that path. An npm-shipped ffmpeg
 * (ffmpeg-static) is not used as a fallback: its install downloads the binary from outside
 * the npm registry, which fails on machines that reach only the registry.
 */
export function detectFfmpegVersion(ffmpegPath: string): Promise<FfmpegVersion> {
  let version = detected.get(ffmpegPath);
  if (!version) {
    version = runVersion(ffmpegPath);
    detected.set(ffmpegPath, version);
    version.catch(() => detected.delete(ffmpegPath));
  }
  return version;
}

function runVersion(ffmpegPath: string): Promise<FfmpegVersion> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, ['-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new InputError(
          `ffmpeg not found at "${ffmpegPath}": install ffmpeg (Debian: apt-get install ffmpeg) ` +
          'or set the camera ffmpegPath to its full path'));
        return;
      }
      if (error) return reject(new InputError(`"${ffmpegPath} -version" failed: ${error.message}`));

      try {
        resolve(parseFfmpegVersion(stdout));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
