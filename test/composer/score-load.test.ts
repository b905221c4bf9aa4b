import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadScore, ScoreError } from '../../src/composer/score-load.js';
import { loadConfig } from '../../src/config/load.js';
import { REPO_DIR } from '../support/paths.js';

const SHIPPED = join(REPO_DIR, 'config/score.yaml');

/** The line (from 1) of the shipped score where `text` first appears, `after` lines on. */
function shippedLine(text: string, after = 0): number {
  const shipped = readFileSync(SHIPPED, 'utf8');
  assert.ok(shipped.includes(text), `the shipped score has no ${JSON.stringify(text)}`);
  return shipped.slice(0, shipped.indexOf(text)).split('\n').length + after;
}
const DAWN_LINE = shippedLine('{ name: dawn,');
const CLEAR_LINE = shippedLine('when: { coverAtMost: { enter: 0.3, leave: 0.45 } }');
const FINE_LINE = shippedLine('\nfine:\n', 1);

/** The shipped score with one piece of text replaced, written to a file of its own. */
async function scoreWith(from: string, to: string): Promise<string> {
  const text = await readFile(SHIPPED, 'utf8');
  assert.ok(text.includes(from), `the shipped score has no ${JSON.stringify(from)}`);
  const path = join(await mkdtemp(join(tmpdir(), 'skychoir-score-')), 'score.yaml');
  await writeFile(path, text.replace(from, to));
  return path;
}

function problemsOf(path: string): string[] {
  try {
    loadScore(path);
  } catch (error) {
    assert.ok(error instanceof ScoreError, String(error));
    assert.ok(error.message.startsWith(`invalid score ${path}:`), error.message);
    return error.problems;
  }
  assert.fail(`${path} was accepted`);
}

test('the default score loads, from the config key default, with every rule filled from its layer', () => {
  const config = loadConfig();
  assert.equal(config.composer.scorePath, 'config/score.yaml');

  const score = loadScore(config.composer.scorePath);
  assert.equal(score.source, SHIPPED);
  assert.deepEqual(score.layers.coarse.rules.map((rule) => rule.tags[0]), ['night', 'dawn', 'sunrise', 'swell', 'day', 'golden', 'sunset', 'dusk', 'day']);
  const overcast = score.layers.middle.rules.find((rule) => rule.tags[0] === 'overcast')!;
  assert.deepEqual(overcast.when.coverAtLeast, { enter: 0.75, leave: 0.6 });
  assert.equal(overcast.fadeS, 6);
  assert.equal(overcast.label, 'middle rule 8 ("overcast")');
  assert.deepEqual(score.layers.fine.rules[0]!.when, { event: ['bird', 'flock'], birdsAtLeast: 3 });
});

test('an unknown condition is rejected, naming the file, line, layer and rule and the conditions there are', async () => {
  const path = await scoreWith('when: { coverAtLeast: { enter: 0.75, leave: 0.6 } }', 'when: { coverAtLeat: 0.75 }');
  const [problem, ...others] = problemsOf(path);
  assert.deepEqual(others, []);
  assert.match(problem!, new RegExp(`^${path}:\\d+ middle rule 8 \\("overcast"\\): when\\.coverAtLeat: not a condition \\(conditions: sunPhase, .*coverAtLeast`));
});

test('an event condition outside the fine layer is rejected as such', async () => {
  const path = await scoreWith('{ name: dawn, when: { sunPhase: dawn }', '{ name: dawn, when: { sunPhase: dawn, event: bird }');
  assert.deepEqual(problemsOf(path), [`${path}:${DAWN_LINE} coarse rule 2 ("dawn"): when.event: not a condition of the coarse layer (only fine rules answer events)`]);
});

test('a value of the wrong type or out of range is rejected with what was given', async () => {
  const wrongType = await scoreWith('when: { coverAtMost: { enter: 0.3, leave: 0.45 } }', 'when: { coverAtMost: high }');
  assert.deepEqual(problemsOf(wrongType), [
    `${wrongType}:${CLEAR_LINE} middle rule 9 ("clear"): when.coverAtMost: expected a number (cloud cover 0..1) or { enter, leave } (got "high")`,
  ]);

  const outOfRange = await scoreWith('when: { coverAtMost: { enter: 0.3, leave: 0.45 } }', 'when: { coverAtMost: 1.5 }');
  assert.equal(problemsOf(outOfRange).length, 1);
  assert.match(problemsOf(outOfRange)[0]!, new RegExp(`:${CLEAR_LINE} middle rule 9 \\("clear"\\): when\\.coverAtMost: Too big: .*<=1 \\(got 1\\.5\\)$`));

  const phase = await scoreWith('when: { sunPhase: dawn }', 'when: { sunPhase: dawnn }');
  assert.match(problemsOf(phase)[0]!, new RegExp(`:${DAWN_LINE} coarse rule 2 \\("dawn"\\): when\\.sunPhase: Invalid option: .*"dawn".* \\(got "dawnn"\\)$`));

  const hysteresis = await scoreWith('leave: 0.6', 'leave: 0.9');
  assert.match(problemsOf(hysteresis)[0]!, /middle rule 8 \("overcast"\): when\.coverAtLeast: leave must be at most enter/);
});

test('an unknown layer, a missing one and an unknown rule key are each named', async () => {
  const layer = await scoreWith('\nfine:\n', '\ntexture:\n  defaults: {}\n  rules: []\nfine:\n');
  assert.deepEqual(problemsOf(layer), [`${layer}:${FINE_LINE}: texture: not a layer (the layers are coarse, middle, fine)`]);

  const missing = await scoreWith('\nfine:\n', '\nfinal:\n');
  assert.deepEqual(problemsOf(missing).sort(), [`${missing} fine: missing`, `${missing}:${FINE_LINE}: final: not a layer (the layers are coarse, middle, fine)`]);

  const key = await scoreWith('      tags: [drizzle, rain]\n', '      tags: [drizzle, rain]\n      colour: blue\n');
  assert.match(problemsOf(key)[0]!, new RegExp(`:${shippedLine('      tags: [drizzle, rain]\n', 1)} middle rule 2 \\("drizzle"\\): colour: not a rule key`));
});

test('a YAML syntax error is rejected naming the file, line, column and the rule it is in', async () => {
  const path = await scoreWith('tags: [overcast, fog]', 'tags: [overcast, fog');
  assert.match(problemsOf(path)[0]!, new RegExp(`^${path}:${shippedLine('tags: [overcast, fog]', 1)}:\\d+ middle rule 8 \\("overcast"\\): `));
});

test('a score file that cannot be read is named', () => {
  assert.match(problemsOf('/nonexistent/score.yaml')[0]!, /^\/nonexistent\/score\.yaml: cannot read/);
});

test('skychoir render and run stop at startup on a bad score with its message, exit 2, no stack', async () => {
  const path = await scoreWith('when: { sunPhase: dawn }', 'when: { sunPhase: dawnn }');
  const out = join(await mkdtemp(join(tmpdir(), 'skychoir-score-cli-')), 'out.ogg');
  const commands = [
    ['render', join(REPO_DIR, 'no-such-day'), '-o', out],
    ['run', '--port', '0'],
  ];

  for (const args of commands) {
    let stderr = '';
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['node', 'skychoir', ...args, '--set', `composer.scorePath=${path}`, '--set', 'log.level=silent']);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 2, `${args[0]}: ${stderr}`);
    assert.match(stderr, new RegExp(`^skychoir: invalid score ${path}:\n  ${path}:${DAWN_LINE} coarse rule 2 \\("dawn"\\): when\\.sunPhase: `));
    assert.ok(!stderr.includes('    at '), 'no stack trace');
  }
});

test('the annotated example in docs/score.md is a valid score', async () => {
  const doc = await readFile(join(REPO_DIR, 'docs/score.md'), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(example, 'docs/score.md has a yaml block');
  const path = join(await mkdtemp(join(tmpdir(), 'skychoir-score-doc-')), 'example.yaml');
  await writeFile(path, example);
  const score = loadScore(path);
  assert.equal(score.layers.fine.rules[0]!.maxVoices, 2);
  assert.deepEqual(score.layers.middle.rules[4]!.when.windAtLeast, { enter: 8, leave: 6 });
});
