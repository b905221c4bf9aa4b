/**
 * Fault suite, configuration: bad files, environment variables and --set flags through the
 * real loader. Each gives one ConfigError whose problems name where the bad value came from
 * (file:line, the env variable, --set) and the key, with the closest setting for a misspelt
 * one; every problem of a source is reported at once, and nothing is thrown but ConfigError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { withTempDir } from './support.js';

interface ConfigCase {
  name: string;
  file?: string;
  env?: Record<string, string>;
  sets?: string[];
  /** One pattern per problem expected, in order; `FILE` stands for the file's path. */
  problems: RegExp[];
}

const CASES: ConfigCase[] = [
  { name: 'an unknown section', file: 'plac:\n  name: Ghent\n', problems: [/^FILE:1 plac: not a setting \(did you mean place\?\)$/] },
  { name: 'an unknown key in a section', file: 'place:\n  name: Ghent\n  nmae: Ghent\n', problems: [/^FILE:3 place\.nmae: not a setting \(did you mean name\?\)$/] },
  { name: 'a snake_case key', file: 'camera:\n  analysis_fps: 2\n', problems: [/^FILE:2 camera\.analysis_fps: not a setting \(did you mean analysisFps\?\)$/] },
  { name: 'a key nested under a setting', file: 'place:\n  name:\n    first: Ghent\n', problems: [/^FILE:3 place\.name: .*expected string, received object/] },
  { name: 'a key far from any setting', file: 'audio:\n  zzzzzzzzzz: 1\n', problems: [/^FILE:2 audio\.zzzzzzzzzz: not a setting$/] },
  { name: 'an unknown log level of a component', file: 'log:\n  components:\n    camera: loud\n', problems: [/^FILE:3 log\.components\.camera: .*"debug".*\(got "loud"\)$/] },
  { name: 'a word for a number', file: 'camera:\n  analysisFps: fast\n', problems: [/^FILE:2 camera\.analysisFps: .*expected number, received string \(got "fast"\)$/] },
  { name: 'a list for a section', file: 'place:\n  - Ghent\n', problems: [/^FILE:2 place: .*expected object, received array/] },
  { name: 'a number for a choice', file: 'weather:\n  provider: 3\n', problems: [/^FILE:2 weather\.provider: .*"open-meteo"/] },
  { name: 'a port out of range', file: 'output:\n  port: 70000\n', problems: [/^FILE:2 output\.port: .*<=65535 \(got 70000\)$/] },
  { name: 'a latitude out of range', file: 'place:\n  latitude: -91\n', problems: [/^FILE:2 place\.latitude: .*>=-90 \(got -91\)$/] },
  { name: 'a fractional integer', file: 'composer:\n  seed: 1.5\n', problems: [/^FILE:2 composer\.seed: .*int.*\(got 1\.5\)$/] },
  { name: 'a YAML .nan', file: 'camera:\n  analysisFps: .nan\n', problems: [/^FILE:2 camera\.analysisFps: .*\(got NaN\)$/] },
  { name: 'a YAML .inf', file: 'camera:\n  analysisFps: .inf\n', problems: [/^FILE:2 camera\.analysisFps: .*\(got Infinity\)$/] },
  { name: 'a YAML syntax error', file: 'place:\n  name: "Ghent\n  latitude: 51\n', problems: [/^FILE:4:1: Missing closing "quote$/] },
  { name: 'a tab-indented file', file: 'place:\n\tname: Ghent\n', problems: [/^FILE:2:1: Tabs are not allowed as indentation$/] },
  { name: 'a duplicate key', file: 'place:\n  name: Ghent\n  name: Bruges\n', problems: [/^FILE:3:3: Map keys must be unique$/] },
  { name: 'two documents in one file', file: 'place:\n  name: Ghent\n---\nplace:\n  name: Bruges\n', problems: [/^FILE:3:1: Source contains multiple documents/] },
  { name: 'a file that is a list', file: '- place\n- camera\n', problems: [/^FILE: expected a mapping of settings at the top level, found a list$/] },
  { name: 'a file that is one word', file: 'skychoir\n', problems: [/^FILE: expected a mapping of settings at the top level, found a single value$/] },
  {
    name: 'aliases that expand without bound',
    file: ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n'),
    problems: [/^FILE: Excessive alias count/],
  },
  {
    name: 'every problem of a file at once',
    file: 'place:\n  latitude: north\n  nmae: Ghent\noutput:\n  port: -1\n',
    problems: [/^FILE:2 place\.latitude: /, /^FILE:3 place\.nmae: not a setting/, /^FILE:5 output\.port: /],
  },
  { name: 'an env value that is not a number', env: { SKYCHOIR_CAMERA_ANALYSIS_FPS: 'abc' }, problems: [/^env SKYCHOIR_CAMERA_ANALYSIS_FPS: camera\.analysisFps: .*\(got "abc"\)$/] },
  { name: 'an env port with a fraction', env: { SKYCHOIR_OUTPUT_PORT: '80.5' }, problems: [/^env SKYCHOIR_OUTPUT_PORT: output\.port: .*\(got 80\.5\)$/] },
  { name: 'an env value of 1e999', env: { SKYCHOIR_PLACE_LATITUDE: '1e999' }, problems: [/^env SKYCHOIR_PLACE_LATITUDE: place\.latitude: .*\(got Infinity\)$/] },
  { name: 'an env list for a number', env: { SKYCHOIR_PLACE_LATITUDE: '[1, 2]' }, problems: [/^env SKYCHOIR_PLACE_LATITUDE: place\.latitude: .*received array/] },
  { name: 'an env word for a boolean', env: { SKYCHOIR_VISION_FETCH_MISSING_MODEL: 'yes please' }, problems: [/^env SKYCHOIR_VISION_FETCH_MISSING_MODEL: vision\.fetchMissingModel: .*boolean/] },
  { name: 'a misspelt env variable', env: { SKYCHOIR_CAMERA_ANALYSISFPS: '2' }, problems: [/^env SKYCHOIR_CAMERA_ANALYSISFPS: not a setting \(did you mean SKYCHOIR_CAMERA_ANALYSIS_FPS\?\)$/] },
  { name: 'an unknown key in --set', sets: ['place.nmae=Ghent'], problems: [/^--set: place\.nmae: not a setting \(did you mean name\?\)$/] },
  { name: 'a --set without a value', sets: ['place.name'], problems: [/^--set "place\.name": expected path=value$/] },
  {
    name: 'the env wins over the file, and its bad value is named by the variable, not the file',
    file: 'camera:\n  analysisFps: 2\n',
    env: { SKYCHOIR_CAMERA_ANALYSIS_FPS: 'fast' },
    problems: [/^env SKYCHOIR_CAMERA_ANALYSIS_FPS: camera\.analysisFps: /],
  },
];

for (const fault of CASES) {
  test(`config fault: ${fault.name}`, async () => {
    await withTempDir(async (dir) => {
      const file = fault.file === undefined ? undefined : join(dir, 'skychoir.yaml');
      if (file) await writeFile(file, fault.file!);

      let thrown: unknown;
      try {
        loadConfig({ file, env: fault.env, sets: fault.sets });
      } catch (error) {
        thrown = error;
      }

      assert.ok(thrown instanceof ConfigError, `a ConfigError, not ${String(thrown)}`);
      const problems = thrown.problems.map((problem) => (file ? problem.split(file).join('FILE') : problem));
      assert.equal(problems.length, fault.problems.length, problems.join('\n'));
      fault.problems.forEach((pattern, i) => assert.match(problems[i]!, pattern));
      assert.ok(problems.every((problem) => !problem.includes('\n')), 'one line per problem');
    });
  });
}

test('config: an empty file, or one of comments only, is no setting at all: every default', async () => {
  await withTempDir(async (dir) => {
    const defaults = loadConfig({});
    for (const [name, text] of [['empty.yaml', ''], ['comments.yaml', '# nothing set yet\n']] as const) {
      await writeFile(join(dir, name), text);
      assert.deepEqual(loadConfig({ file: join(dir, name) }), defaults, name);
    }
  });
});

test('config: a file that cannot be read is named, with the reason', () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/skychoir.yaml' }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems.length, 1);
    assert.match(error.problems[0]!, /^\/nonexistent\/skychoir\.yaml: cannot read \(ENOENT/);
    return true;
  });
});
