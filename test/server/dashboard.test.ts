import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { silentLogger } from '../../src/log.js';
import { StreamFanOut } from '../../src/output/fan-out.js';
import { SkyServer, type SkyServerOptions } from '../../src/server/http-server.js';
import { withPage, type PageJournal } from '../support/browser.js';
import { REPO_DIR } from '../support/paths.js';
import { morningStatus, skyFramePng, toneStream } from './dashboard-fixtures.js';

/** How long the page may take to show what a poll brings (polls are 2 s apart). */
const WAIT = { timeout: 15_000 };

async function startServer(options: Partial<SkyServerOptions> & Pick<SkyServerOptions, 'streams' | 'status'>): Promise<{ server: SkyServer; base: string }> {
  const server = new SkyServer({ host: '127.0.0.1', port: 0, dashboard: true, log: silentLogger(), ...options });
  const { port } = await server.start();
  return { server, base: `http://127.0.0.1:${port}` };
}

/** An element's text with thin spaces as plain ones. */
async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? '').replace(/\u2009/g, ' ');
}

/** Every request the page made was to the server itself, for a path the dashboard uses. */
function assertSameOriginOnly(journal: PageJournal, base: string): void {
  const allowed = new Set(['/', '/dashboard.css', '/dashboard.js', '/favicon.svg', '/status', '/frame.png', '/stream.mp3']);
  assert.ok(journal.requests.length > 0);
  for (const url of journal.requests) {
    const parsed = new URL(url);
    assert.equal(parsed.origin, base, url);
    assert.ok(allowed.has(parsed.pathname), url);
  }
}

test('the dashboard shows the place, weather, sun, layers, frame and events, follows the polls, and plays the MP3 stream', async () => {
  const tone = toneStream();
  const png = await skyFramePng();
  let polls = 0;
  const { server, base } = await startServer({
    streams: [{ path: '/stream.mp3', contentType: 'audio/mpeg', fanOut: tone.fanOut }],
    status: () => morningStatus(++polls),
    framePng: () => png,
  });

  try {
    await withPage(`${base}/`, async (page, journal) => {
      await page.waitForFunction(() => document.getElementById('place')?.textContent === 'Bruges (test)', null, WAIT);
      assert.match(await textOf(page, '#place-detail'), /51\.21° N, 3\.22° E · Europe\/Brussels/);
      assert.equal(await textOf(page, '#local-time'), '12:30', 'now in the place: UTC+2 in June');

      const weather = await textOf(page, '#weather');
      for (const shown of ['17.5 °C', '1016.2 hPa', '4.3 m/s', '64 %', '40 %', '0.0 mm/h', 'partly cloudy']) assert.ok(weather.includes(shown), `${shown} in ${weather}`);
      assert.equal(await page.locator('#weather-stale').isHidden(), true);

      const sun = await textOf(page, '#sun');
      for (const shown of ['day', '52.4°', 'Sunrise05:33', 'Sunset21:51', 'Europe/Brussels']) assert.ok(sun.includes(shown), `${shown} in ${sun}`);

      const layers = await textOf(page, '#layers');
      for (const shown of ['bed-day-ionian-d', 'sun phase day, summer, pressure steady', 'chorale-fair-weather', 'texture-breeze-soft']) {
        assert.ok(layers.includes(shown), `${shown} in ${layers}`);
      }
      assert.match(await textOf(page, '#sources'), /camerarunning|cameraonline/);
      assert.ok((await textOf(page, '#outputs')).includes('icecast://source:***@radio.example.org:8000/sky'));
      assert.equal(await textOf(page, '#health'), 'icecast: reconnecting', 'the one part in trouble, named');

      await page.waitForFunction(() => (document.getElementById('frame') as HTMLImageElement | null)?.naturalWidth === 640, null, WAIT);
      assert.match(await textOf(page, '#frame-caption'), /^2 detections \(2 birds, 0 aircraft\) · frame at 12:29:54$/);

      await page.waitForFunction(() => document.getElementById('events')?.textContent?.includes('a flock of 7 birds heading west'), null, WAIT);
      assert.ok((await textOf(page, '#layers')).includes('accent-flock-07'), 'the new stem after the poll');
      assert.ok(polls >= 2);
      const firstEvent = await textOf(page, '#events li:first-child');
      assert.equal(firstEvent, '12:30:03flock.starteda flock of 7 birds heading west', 'newest first, in local time');
      assert.equal(await page.locator('#events li').count(), 8);
      assert.equal(await page.locator('#timeline line.mark').count(), 8, 'every event of the last hour marked');
      assert.equal(await page.locator('#timeline line.mark.kind-birds').count(), 3);

      await page.click('#play');
      await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).currentTime > 1, null, WAIT);
      assert.equal(tone.fanOut.size, 1, 'the page listens to the stream');
      assert.equal(await textOf(page, '#play'), '■ Stop');

      await mkdir(join(REPO_DIR, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(REPO_DIR, 'test-artifacts/dashboard.png'), fullPage: true });

      await page.click('#play');
      await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).paused, null, WAIT);
      assert.deepEqual(journal.errors, []);
      assertSameOriginOnly(journal, base);
    });
  } finally {
    await server.close();
    await tone.stop();
  }
});

test('the dashboard shows masked secrets as masked, strings as text, missing fields as unknown, and a silent daemon as a banner', async () => {
  const hostile = '<img src=x onerror="window.pwned=1">';
  let status: unknown = {
    place: { name: `Hotel ${hostile}`, latitude: null, longitude: 'east', timezone: 'Not/AZone' },
    now: '2024-06-01T10:30:00.000Z',
    sources: [{ name: 'camera', status: 'offline', detail: 'rtsp://admin:***@cam.local:554/live: connection refused' }],
    outputs: [{ name: 'file', state: 'failed', detail: 'disk full at rtsp://ops:hunter2@nas.local/share', restarts: 'many' }],
    missing: ['no camera: rtsp://admin:***@cam.local:554/live is offline'],
    weather: null,
    sun: { phase: null, elevationDeg: null, sunrise: null, sunset: 'soon' },
    sky: null,
    layers: [{ layer: 'coarse', stems: [{ id: 'bed-night', since: null, reason: `<script>window.pwned=2</script>` }] }],
    events: [null, 3, { at: 'yesterday', name: 'flock.started', summary: hostile }],
    frame: null,
  };
  const { server, base } = await startServer({
    streams: [{ path: '/stream.mp3', contentType: 'audio/mpeg', fanOut: new StreamFanOut(silentLogger()) }],
    status: () => status,
  });

  let closed = false;
  try {
    await withPage(`${base}/`, async (page, journal) => {
      await page.waitForFunction(() => document.getElementById('place')?.textContent?.startsWith('Hotel'), null, WAIT);
      assert.equal(await textOf(page, '#place'), `Hotel ${hostile}`, 'shown as text');
      assert.equal(await textOf(page, '#place-detail'), 'position unknown · UTC', 'an unusable time zone falls back to UTC');
      assert.equal(await textOf(page, '#local-time'), '10:30');

      const body = await textOf(page, 'body');
      assert.ok(body.includes('rtsp://admin:***@cam.local:554/live: connection refused'));
      assert.ok(body.includes('disk full at rtsp://ops:***@nas.local/share'), 'the server scrubs what slipped through');
      assert.ok(!body.includes('hunter2'));
      assert.ok((await textOf(page, '#layers')).includes('<script>window.pwned=2</script>'));
      assert.ok((await textOf(page, '#events')).includes(hostile));
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);

      assert.equal(await textOf(page, '#weather'), 'TemperatureunknownPressureunknownWindunknownHumidityunknownCloud coverunknownPrecipitationunknownConditionsunknown');
      assert.equal(await textOf(page, '#sun'), 'PhaseunknownElevationunknownSunriseunknownSunsetunknownTime zoneUTC');
      assert.equal(await textOf(page, '#frame-empty'), 'No frame yet: the camera has not given one');
      assert.ok((await textOf(page, '#missing')).includes('no camera: rtsp://admin:***@cam.local:554/live is offline'));
      assert.equal(await textOf(page, '#health'), '2 parts down');

      status = { day: 'days/bruges', speed: 96, layers: 'none', listeners: 2 };
      await page.waitForFunction(() => document.getElementById('place')?.textContent === 'unknown place', null, WAIT);
      assert.equal(await textOf(page, '#events'), 'No events yet');
      assert.equal(await textOf(page, '#layers'), 'coarse harmonic bed, minutes to hoursunknownmiddle textures, minutesunknownfine accents, secondsunknown');

      await server.close();
      closed = true;
      await page.waitForFunction(() => !document.getElementById('offline')?.hidden, null, WAIT);
      assert.match(await textOf(page, '#offline'), /^No answer from the daemon since .*Retrying every 2 s/);

      assert.deepEqual(journal.errors.filter((line) => !line.includes('Failed to load resource')), []);
      assertSameOriginOnly(journal, base);
    });
  } finally {
    if (!closed) await server.close();
  }
});
