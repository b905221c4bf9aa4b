/**
 * The dashboard script's event timeline (an SVG strip over the last hour, marks coloured by
 * kind) and event list (newest first), as browser JavaScript in a string.
 */
export const EVENTS_SCRIPT = `
/** Event kinds by the first word of the event name; colours are the CSS .kind-* classes. */
const KINDS = {
  weather: 'weather', pressure: 'weather', temperature: 'weather', precipitation: 'weather', fog: 'weather', gust: 'weather', wind: 'weather',
  sun: 'sun', bird: 'birds', flock: 'birds', aircraft: 'aircraft', sky: 'sky', camera: 'system', source: 'system',
};
const KIND_NAMES = [['weather', 'weather'], ['sun', 'sun'], ['birds', 'birds'], ['aircraft', 'aircraft'], ['sky', 'sky'], ['system', 'camera and sources'], ['other', 'other']];
const kindOf = (name) => KINDS[String(name).split('.')[0]] || 'other';

const HOUR_MS = 3600 * 1000;
const STRIP = { width: 1000, height: 70, top: 8, bottom: 50 };

function renderEvents(status) {
  const events = list(status.events).map(record).filter(Boolean);
  const nowMs = Date.parse(status.now);
  drawTimeline(events, Number.isNaN(nowMs) ? latestEventMs(events) : nowMs);

  $('events').replaceChildren(...(events.length ? events.slice(-50).reverse().map((event) => h('li', null,
    h('span', { class: 'at' }, timeOr(event.at, true)),
    h('span', { class: 'name' }, h('span', { class: 'dot kind-' + kindOf(event.name) }), textOr(event.name)),
    h('span', { class: 'summary' }, str(event.summary) || ''))) : [h('li', { class: 'muted' }, 'No events yet')]));
}

function latestEventMs(events) {
  const times = events.map((event) => Date.parse(event.at)).filter((at) => !Number.isNaN(at));
  return times.length ? Math.max(...times) : Date.now();
}

/** Ticks every 15 minutes back from now; one mark per event of the last hour. */
function drawTimeline(events, nowMs) {
  const x = (atMs) => ((atMs - (nowMs - HOUR_MS)) / HOUR_MS) * STRIP.width;
  const parts = [];
  for (const minutesAgo of [60, 45, 30, 15, 0]) {
    const at = x(nowMs - minutesAgo * 60000);
    parts.push(svg('line', { class: 'tick', x1: at, x2: at, y1: STRIP.top - 4, y2: STRIP.bottom + 4 }));
    const label = minutesAgo === 0 ? 'now' : '-' + minutesAgo + ' min';
    parts.push(svg('text', { class: 'tick-label', x: Math.min(Math.max(at, 4), STRIP.width - 4), y: STRIP.height - 4, 'text-anchor': minutesAgo === 60 ? 'start' : minutesAgo === 0 ? 'end' : 'middle' }, label));
  }

  for (const event of events) {
    const atMs = Date.parse(event.at);
    if (Number.isNaN(atMs) || atMs < nowMs - HOUR_MS || atMs > nowMs + 60000) continue;
    const at = Math.min(x(atMs), STRIP.width - 2);
    parts.push(svg('line', { class: 'mark kind-' + kindOf(event.name), x1: at, x2: at, y1: STRIP.top, y2: STRIP.bottom },
      svg('title', null, (clockTime(event.at, true) || '') + ' ' + (str(event.name) || '') + ': ' + (str(event.summary) || ''))));
  }
  $('timeline').replaceChildren(...parts);
}

function renderLegend() {
  $('legend').replaceChildren(...KIND_NAMES.map(([kind, label]) => h('span', null, h('span', { class: 'dot kind-' + kind }), label)));
}
`;
