import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { printConfig } from '../../src/config/print.js';
import { maskUrlPassword, scrubSecrets } from '../../src/config/redact.js';
import { createLogger } from '../../src/log.js';
import { REPO_DIR } from '../support/paths.js';

async function yamlFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'skychoir-config-')), 'skychoir.yaml');
  await writeFile(path, text);
  return path;
}

test('an empty configuration takes every default from the schema', () => {
  const config = loadConfig();
  assert.equal(config.weather.provider, 'open-meteo');
  assert.equal(config.audio.sampleRate, 48_000);
  assert.equal(config.output.host, '127.0.0.1');
});

test('the shipped config file is valid', () => {
  const config = loadConfig({ file: join(REPO_DIR, 'config/skychoir.yaml') });
  assert.equal(config.place.timezone, 'Europe/Brussels');
});

test('every error in a file is reported at once, with file, line, path and value', async () => {
  const file = await yamlFile('place:\n  latitude: 123\nweather:\n  pollIntervalS: 5\n  colour: blue\n');
  assert.throws(
    () => loadConfig({ file }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 3, error.message);
      assert.match(error.message, new RegExp(`${file}:2 place\\.latitude: .*\\(got 123\\)`));
      assert.match(error.message, /:4 weather\.pollIntervalS: .*\(got 5\)/);
      assert.match(error.message, /:5 weather\.colour: not a setting/);
      return true;
    },
  );
});

test('a YAML syntax error names the file', async () => {
  const file = await yamlFile('place: [unclosed\n');
  assert.throws(() => loadConfig({ file }), new RegExp(file.replace(/[.]/g, '\\.')));
});

test('environment overrides the file and --set overrides the environment', async () => {
  const file = await yamlFile('composer:\n  seed: 3\n');
  const env = { SKYCHOIR_COMPOSER_SEED: '4', SKYCHOIR_CAMERA_URL: 'rtsp://cam/1', SKYCHOIR_WEATHER_API_KEY: 'k' };
  assert.equal(loadConfig({ file, env }).composer.seed, 4);
  assert.equal(loadConfig({ file, env, sets: ['composer.seed=5'] }).composer.seed, 5);
  assert.equal(loadConfig({ env }).camera.url, 'rtsp://cam/1');
  assert.equal(loadConfig({ env }).weather.apiKey, 'k');
});

test('printing the configuration masks the API key and the camera password', () => {
  const config = loadConfig({
    env: { SKYCHOIR_WEATHER_API_KEY: 'sekrit-key-123', SKYCHOIR_CAMERA_URL: 'rtsp://admin:hunter2@10.0.0.9/live' },
  });
  const printed = printConfig(config);
  assert.ok(!printed.includes('sekrit-key-123'));
  assert.ok(!printed.includes('hunter2'));
  assert.match(printed, /apiKey: "\*\*\*"/);
  assert.match(printed, /rtsp:\/\/admin:\*\*\*@10\.0\.0\.9\/live/);
});

test('a bad value of a secret is reported without showing the secret', async () => {
  const file = await yamlFile('weather:\n  apiKey: [12345]\n');
  assert.throws(
    () => loadConfig({ file }),
    (error: unknown) => error instanceof ConfigError && !error.message.includes('12345') && error.message.includes('weather.apiKey'),
  );
});

test('text settings from the environment and --set are taken exactly as typed', () => {
  const config = loadConfig({
    env: { SKYCHOIR_WEATHER_API_KEY: '12345', SKYCHOIR_CAMERA_URL: 'rtsp://admin:pa #ss@cam/live' },
    sets: ['place.name=#7 roof', 'audio.chunkS=5', 'vision.fetchMissingModel=false'],
  });
  assert.equal(config.weather.apiKey, '12345');
  assert.equal(config.camera.url, 'rtsp://admin:pa #ss@cam/live');
  assert.equal(config.place.name, '#7 roof');
  assert.equal(config.audio.chunkS, 5);
  assert.equal(config.vision.fetchMissingModel, false);
});

test('errors from the environment and --set name the variable or flag, not the file', async () => {
  const file = await yamlFile('composer:\n  seed: 3\noutput:\n  port: 8000\n');
  assert.throws(
    () => loadConfig({ file, env: { SKYCHOIR_COMPOSER_SEED: 'abc' }, sets: ['output.port=99999'] }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'env SKYCHOIR_COMPOSER_SEED: composer.seed: Invalid input: expected number, received string (got "abc")',
        '--set: output.port: Too big: expected number to be <=65535 (got 99999)',
      ]);
      return true;
    },
  );
});

test('an unknown key is named at its own line, with the closest setting; an unknown SKYCHOIR_ variable is an error', async () => {
  const file = await yamlFile('place:\n  name: Ghent\nvison:\n  detector: yolox-nano\n');
  assert.throws(
    () => loadConfig({ file, env: { SKYCHOIR_WEATHER_APIKEY: 'k', OTHER_VARIABLE: 'ignored' } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'env SKYCHOIR_WEATHER_APIKEY: not a setting (did you mean SKYCHOIR_WEATHER_API_KEY?)',
        `${file}:3 vison: not a setting (did you mean vision?)`,
      ]);
      assert.ok(!error.message.includes("'k'"));
      return true;
    },
  );
});

test('secrets in URLs and query strings are scrubbed from text', () => {
  assert.equal(scrubSecrets('GET https://api.x/data?lat=1&appid=abc123&units=metric'), 'GET https://api.x/data?lat=1&appid=***&units=metric');
  assert.equal(scrubSecrets('rtsp://user:p%40ss@cam:554/s'), 'rtsp://user:***@cam:554/s');
  assert.equal(scrubSecrets('rtsp://user:p@ss@cam:554/s'), 'rtsp://user:***@cam:554/s', 'a raw @ in the password');
});

test('the logger never writes a secret, in a message or in a field', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line) => void lines.push(line) });
  log.info({ url: 'rtsp://admin:hunter2@cam/1', apiKey: 'sekrit' }, 'opening http://x/?appid=abc123');
  const text = lines.join('');
  assert.ok(!text.includes('hunter2') && !text.includes('sekrit') && !text.includes('abc123'), text);
});

test('camera passwords are masked however they are written; a loaded secret is scrubbed from any text', () => {
  const cases: Array<[string, string]> = [
    ['rtsp://viewer:se/cret@192.0.2.10/s', 'rtsp://viewer:***@192.0.2.10/s'],
    ['rtsp://:secret@host/x', 'rtsp://:***@host/x'],
    ['rtsp://viewer:sec ret@host/x', 'rtsp://viewer:***@host/x'],
    ['viewer:secret@192.0.2.10:554/x', 'viewer:***@192.0.2.10:554/x'],
    ['rtsp://cam.local/live', 'rtsp://cam.local/live'],
  ];
  for (const [url, shown] of cases) assert.equal(maskUrlPassword(url), shown);

  loadConfig({ env: { SKYCHOIR_CAMERA_URL: 'rtsp://viewer:odd pass/word@cam/1', SKYCHOIR_WEATHER_API_KEY: '31415926' } });
  assert.equal(scrubSecrets('failed: odd pass/word was refused; key 31415926'), 'failed: *** was refused; key ***');
});

test('a time zone that does not exist is a configuration error', async () => {
  const file = await yamlFile('place:\n  timezone: Mars/Olympus\n');
  assert.throws(() => loadConfig({ file }), /:2 place\.timezone: not an IANA time zone .*"Mars\/Olympus"/);
});
