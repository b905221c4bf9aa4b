import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { checkStemPack, type StemCheck } from '../audio/stem-check.js';
import { StemManifestError } from '../audio/stem-manifest-file.js';
import { CheckFailed, InputError } from '../errors.js';
import { configFrom, withCommonOptions, type CommonOptions } from './options.js';

/**
 * `skychoir stems check <dir>`: one line per stem on stdout, then a summary; exits 0 when
 * the pack is clean, 1 (CheckFailed) listing every problem when it is not (an invalid
 * manifest included), 2 (InputError) when the folder does not exist or ffmpeg cannot run.
 */
export function registerStems(program: Command): void {
  const stems = program.command('stems').description('Work with stem packs.');
  withCommonOptions(
    stems
      .command('check')
      .description('Validate a stem pack: files decode, 48 kHz stereo, clean loop seams, key tags, loudness.')
      .argument('<dir>', 'folder of the pack (holds manifest.json)'),
  ).action(async (dir: string, options: CommonOptions) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`stem pack ${dir} is not a folder`);
    const ffmpegPath = configFrom(options).output.ffmpegPath;
    const ffprobePath = ffmpegPath.replace(/ffmpeg(\.exe)?$/, 'ffprobe$1');

    let checks: StemCheck[];
    try {
      checks = (await checkStemPack(dir, { ffmpegPath, ffprobePath })).stems;
    } catch (error) {
      if (error instanceof StemManifestError) throw new CheckFailed(error.message);
      throw error;
    }

    for (const check of checks) process.stdout.write(`${reportLine(check)}\n`);
    const problems = checks.flatMap((check) => check.problems.map((problem) => `stem "${check.id}" (${check.file}): ${problem}`));
    const failed = checks.filter((check) => check.problems.length > 0).length;
    if (failed === 0) {
      process.stdout.write(`${checks.length} stem(s) checked in ${dir}: all clean\n`);
      return;
    }
    const list = problems.map((problem) => `\n  - ${problem}`).join('');
    throw new CheckFailed(`stem pack ${dir}: ${failed} of ${checks.length} stem(s) have problems (${problems.length}):${list}`);
  });
}

function reportLine(check: StemCheck): string {
  const verdict = check.problems.length === 0 ? 'ok  ' : 'FAIL';
  const details = [...check.facts, ...check.problems].join('; ');
  return `${verdict} ${check.id} (${check.file}): ${details}`;
}
