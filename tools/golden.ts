/**
 * Golden renders: each scenario of tools/golden-days.ts is built as a recorded day, rendered
 * offline with the default stems and seed 1, decoded, and reduced to a reference
 * (tools/golden-features.ts). test/golden/golden.test.ts renders them again and compares.
 *
 *   npm run golden:record        (node --import tsx tools/golden.ts [referencesDir])
 *
 * rewrites test/golden/references/<name>.json from fresh renders. Run it after a deliberate
 * change to the music (score, stems, mix) and commit the references with the change.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderDay } from '../src/app/render.js';
import { decodeWithFfmpeg, type DecodedAudio } from '../src/audio/measure.js';
import type { PlanEntry } from '../src/composer/composer.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log.js';
import type { LoggedEvent } from '../src/app/event-log.js';
import { buildGoldenDay, GOLDEN_SCENARIOS, type GoldenScenario } from './golden-days.js';
import { DEFAULT_TOLERANCES, measureFeatures, pcmSha256, type GoldenReference } from './golden-features.js';

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_DIR = resolve(REPO_DIR, '../shared');
export const REFERENCES_DIR = join(REPO_DIR, 'test/golden/references');
const SEED = 1;

/** A fresh golden render: its reference-shaped summary, the audio and the render log's events. */
export interface GoldenRender {
  reference: GoldenReference;
  audio: DecodedAudio;
  events: LoggedEvent[];
  plan: PlanEntry[];
}

/** Builds `scenario`'s day under `workDir`, renders it to WAV there and measures it. */
export async function renderGolden(scenario: GoldenScenario, workDir: string): Promise<GoldenRender> {
  const dayDir = await buildGoldenDay(workDir, scenario, SHARED_DIR);
  const config = loadConfig({
    sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`, `composer.seed=${SEED}`],
  });
  const outPath = join(workDir, `${scenario.name}.wav`);
  await renderDay({ config, dayDir, outPath, speed: scenario.speed, logPath: `${outPath}.json`, log: silentLogger() });

  const audio = await decodeWithFfmpeg(outPath);
  const log = JSON.parse(await readFile(`${outPath}.json`, 'utf8')) as { audioFrames: number; sampleRate: number; plan: PlanEntry[]; events: LoggedEvent[] };
  const reference: GoldenReference = {
    format: 1,
    scenario: scenario.name,
    about: scenario.about,
    speed: scenario.speed,
    seed: SEED,
    sampleRate: log.sampleRate,
    audioFrames: log.audioFrames,
    plan: log.plan.map(({ frame, layer, action, stemId }) => ({ frame, layer, action, stemId })),
    pcmSha256: pcmSha256(audio),
    tolerances: DEFAULT_TOLERANCES,
    features: measureFeatures(audio),
  };
  return { reference, audio, events: log.events, plan: log.plan };
}

/** The stored reference of a scenario. */
export async function readReference(name: string, dir = REFERENCES_DIR): Promise<GoldenReference> {
  return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as GoldenReference;
}

/** Renders every scenario and writes its reference into `dir`. */
export async function recordGoldens(dir = REFERENCES_DIR, report: (line: string) => void = () => {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const workDir = await mkdtemp(join(tmpdir(), 'skychoir-golden-'));
  try {
    for (const scenario of GOLDEN_SCENARIOS) {
      const { reference } = await renderGolden(scenario, workDir);
      await writeFile(join(dir, `${scenario.name}.json`), `${JSON.stringify(reference, null, 1)}\n`);
      report(`${scenario.name}: ${reference.plan.length} plan entries, ${reference.features.integratedLufs} LUFS, sha256 ${reference.pcmSha256.slice(0, 12)}`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? REFERENCES_DIR);
  recordGoldens(dir, (line) => process.stdout.write(`${line}\n`)).then(
    () => process.stdout.write(`references written to ${dir}\n`),
    (error: unknown) => {
      process.stderr.write(`golden: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
