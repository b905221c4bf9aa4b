/**
 * The dashboard script's sections (browser JavaScript as a string, see dashboard-script-core):
 * each takes the whole status document and fills its part of the page. A section that meets
 * data it cannot show shows "unknown"; one that throws leaves the others running.
 */
export const SECTIONS_SCRIPT = `
function renderHeader(status) {
  const place = record(status.place) || {};
  useZone(str(place.timezone));
  $('place').textContent = str(place.name) || 'unknown place';

  const latitude = num(place.latitude);
  const longitude = num(place.longitude);
  const where = latitude === null || longitude === null ? 'position unknown'
    : Math.abs(latitude).toFixed(2) + '\\u00b0 ' + (latitude >= 0 ? 'N' : 'S') + ', ' + Math.abs(longitude).toFixed(2) + '\\u00b0 ' + (longitude >= 0 ? 'E' : 'W');
  $('place-detail').textContent = where + ' \\u00b7 ' + zone;
  $('local-time').textContent = clockTime(status.now, false) || '--:--';

  const missing = list(status.missing).filter(str);
  const parts = [...list(status.sources), ...list(status.outputs)].map((part) => record(part) || {});
  const troubled = parts.map((part) => ({ name: str(part.name) || 'a part', state: str(part.status || part.state) || '' }))
    .filter((part) => toneOf(part.state) !== 'good' && toneOf(part.state) !== 'neutral');
  const bad = troubled.filter((part) => toneOf(part.state) === 'bad').length;
  const warnings = troubled.length - bad + missing.length;
  const health = $('health');
  health.className = 'pill ' + (bad ? 'bad' : warnings ? 'warn' : 'good');
  if (troubled.length === 1 && missing.length === 0) health.textContent = troubled[0].name + ': ' + troubled[0].state;
  else health.textContent = bad ? bad + (bad === 1 ? ' part down' : ' parts down') : warnings ? warnings + (warnings === 1 ? ' warning' : ' warnings') : 'All well';

  $('missing-box').hidden = missing.length === 0;
  $('missing').replaceChildren(...missing.map((line) => h('li', null, line)));
}

let shownFrameAt = null;

function renderSky(status) {
  const frame = record(status.frame);
  const image = $('frame');
  const empty = $('frame-empty');
  if (!frame) {
    image.hidden = true;
    empty.hidden = false;
    empty.textContent = 'No frame yet: the camera has not given one';
    $('frame-caption').textContent = '';
  } else {
    const at = str(frame.at) || str(frame.frameId) || String(Date.now());
    if (at !== shownFrameAt) {
      shownFrameAt = at;
      image.src = '/frame.png?t=' + encodeURIComponent(at);
    }
    const birds = list(frame.birds).length;
    const aircraft = list(frame.aircraft).length;
    const count = birds + aircraft;
    $('frame-caption').textContent = count + (count === 1 ? ' detection' : ' detections') + ' (' + birds + (birds === 1 ? ' bird, ' : ' birds, ') + aircraft + ' aircraft) \\u00b7 frame at ' + (clockTime(frame.at, true) || 'unknown time');
  }

  const sky = record(status.sky);
  const cover = sky ? num(sky.coverFraction) : null;
  const brightness = sky ? num(sky.brightness) : null;
  const types = Object.entries(record(sky && sky.cloudTypes) || {}).filter(([, p]) => num(p) !== null).sort((a, b) => b[1] - a[1]).slice(0, 3);
  facts($('sky'), [
    ['Cloud cover', cover === null ? unknown() : Math.round(cover * 100) + '\\u2009%'],
    ['Brightness', brightness === null ? unknown() : Math.round(brightness * 100) + '\\u2009%'],
    ['Cloud types', types.length ? types.map(([name, p]) => name + ' ' + Math.round(p * 100) + '%').join(', ') : unknown()],
    ['Seen at', sky ? timeOr(sky.at, true) : unknown()],
  ]);
}

function setupFrame() {
  const image = $('frame');
  image.addEventListener('load', () => { image.hidden = false; $('frame-empty').hidden = true; });
  image.addEventListener('error', () => {
    image.hidden = true;
    $('frame-empty').hidden = false;
    $('frame-empty').textContent = 'The latest frame could not be loaded';
  });
}

function renderWeather(status) {
  const weather = record(status.weather);
  $('weather-stale').hidden = !(weather && weather.stale === true);
  const w = weather || {};
  facts($('weather'), [
    ['Temperature', measure(w.temperatureC, '\\u00b0C', 1)],
    ['Pressure', measure(w.pressureHpa, 'hPa', 1)],
    ['Wind', measure(w.windSpeedMs, 'm/s', 1)],
    ['Humidity', measure(w.humidityPercent, '%', 0)],
    ['Cloud cover', measure(w.cloudCoverPercent, '%', 0)],
    ['Precipitation', measure(w.precipitationMmH, 'mm/h', 1)],
    ['Conditions', textOr(w.description)],
  ]);
  $('weather-note').textContent = weather
    ? 'Observed at ' + (clockTime(w.observedAt, false) || 'an unknown time') + ' by ' + (str(w.provider) || 'an unknown provider') + (w.stale === true ? '; stale: the music uses the last known values' : '')
    : 'No weather yet: unknown';
}

function renderSun(status) {
  const sun = record(status.sun) || {};
  facts($('sun'), [
    ['Phase', str(sun.phase) ? sun.phase.replace(/[-_]/g, ' ') : unknown()],
    ['Elevation', measure(sun.elevationDeg, '\\u00b0', 1)],
    ['Sunrise', timeOr(sun.sunrise, false)],
    ['Sunset', timeOr(sun.sunset, false)],
    ['Time zone', zone],
  ]);
}

function renderListeners(status) {
  const listeners = record(status.listeners) || {};
  facts($('listeners'), [['MP3 listeners', measure(listeners.mp3, '', 0)], ['Opus listeners', measure(listeners.opus, '', 0)]]);
}

const LAYERS = [['coarse', 'harmonic bed, minutes to hours'], ['middle', 'textures, minutes'], ['fine', 'accents, seconds']];

function renderLayers(status) {
  const layers = list(status.layers).map(record).filter(Boolean);
  $('layers').replaceChildren(...LAYERS.map(([name, what]) => {
    const layer = layers.find((entry) => entry.layer === name);
    const stems = list(layer && layer.stems).map(record).filter(Boolean);
    const body = stems.length ? stems.map((stem) => h('div', { class: 'stem' },
      h('div', null, h('span', { class: 'id mono' }, textOr(stem.id)), ' ', h('span', { class: 'muted small' }, 'since ', since(stem.since, status.now))),
      h('div', { class: 'reason' }, textOr(stem.reason, 'reason unknown')))) : [h('div', { class: 'muted' }, layer ? 'silent' : 'unknown')];
    return h('div', { class: 'layer layer-' + name }, h('h3', null, name + ' ', h('span', { class: 'muted' }, what)), ...body);
  }));
}

function renderHealth(status) {
  const none = (columns) => h('tr', null, h('td', { colspan: columns, class: 'muted' }, 'none reported'));
  const sources = list(status.sources).map(record).filter(Boolean);
  $('sources').replaceChildren(...(sources.length ? sources.map((source) => h('tr', null,
    h('td', null, textOr(source.name)), h('td', null, pill(source.status)),
    h('td', null, str(source.detail) || ''), h('td', null, str(source.since) ? since(source.since, status.now) : ''))) : [none(4)]));

  const outputs = list(status.outputs).map(record).filter(Boolean);
  $('outputs').replaceChildren(...(outputs.length ? outputs.map((output) => h('tr', null,
    h('td', null, textOr(output.name)), h('td', null, pill(output.state)), h('td', null, str(output.detail) || ''),
    h('td', null, measure(output.restarts, '', 0)), h('td', null, num(output.listeners) === null ? '' : String(output.listeners)))) : [none(5)]));
}

function renderFooter(status) {
  const started = str(status.startedAt);
  const running = started ? duration(started, status.now) : null;
  $('footer').textContent = 'skychoir ' + (str(status.version) || '(version unknown)')
    + ' \\u00b7 running since ' + (clockTime(started, false) || 'unknown') + (running ? ' (' + running + ')' : '')
    + ' \\u00b7 status of ' + (clockTime(status.now, true) || 'unknown time') + ', refreshed every 2 s';
}
`;
