/**
 * The dashboard script's groundwork (browser JavaScript kept as a string so that tsc's output
 * carries it): safe element building, reading untrusted status fields, and times in the
 * place's time zone.
 *
 * Guarantees: text from /status only ever reaches the page as text nodes or attribute values
 * through setAttribute, never as markup (no innerHTML anywhere); a missing, null or mistyped
 * field reads as "unknown" rather than throwing.
 */
export const CORE_SCRIPT = `
const $ = (id) => document.getElementById(id);
const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element whose string children become text nodes, never markup. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** The same for SVG elements. */
function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  for (const child of children) if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
}

/* Reading the status: anything may be missing or of the wrong type. */
const str = (value) => (typeof value === 'string' && value !== '' ? value : null);
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const list = (value) => (Array.isArray(value) ? value : []);
const record = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null);
const unknown = (what) => h('span', { class: 'unknown' }, what || 'unknown');

/** A number with its unit and decimals, or "unknown". Units get a thin space, angles none (17.5 °C, 52.4°). */
function measure(value, unit, decimals) {
  const n = num(value);
  if (n === null) return unknown();
  if (!unit) return n.toFixed(decimals);
  return n.toFixed(decimals) + (unit === '\\u00b0' ? unit : '\\u2009' + unit);
}

const textOr = (value, fallback) => str(value) ?? unknown(fallback);

/** Fills a <dl> with label/value pairs. */
function facts(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]));
}

/* Times: shown in the place's time zone (status.place.timezone), UTC when that is unusable. */
let zone = 'UTC';

function useZone(timezone) {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone || 'UTC' });
    zone = timezone || 'UTC';
  } catch {
    zone = 'UTC';
  }
}

/** An ISO instant as a wall-clock time in the place (HH:MM or HH:MM:SS), or null. */
function clockTime(iso, withSeconds) {
  const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return null;
  const options = { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (withSeconds) options.second = '2-digit';
  return new Intl.DateTimeFormat('en-GB', options).format(at);
}

const timeOr = (iso, withSeconds) => clockTime(iso, withSeconds) ?? unknown();

/** "4 min", "3 h", "2 days": how long from one ISO instant to another, or null. */
function duration(fromIso, toIso) {
  const seconds = (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 90 * 60) return Math.round(seconds / 60) + ' min';
  if (seconds < 48 * 3600) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' days';
}

/** A time with how long ago it was: "10:20 (for 4 min)". */
function since(iso, nowIso) {
  const time = clockTime(iso, false);
  if (time === null) return unknown();
  const length = duration(iso, nowIso);
  return length === null ? time : time + ' (for ' + length + ')';
}

/** How a state reads at a glance: good, warn, bad or neutral (a pill's colour). */
const TONES = {
  online: 'good', running: 'good',
  degraded: 'warn', stalled: 'warn', obstructed: 'warn', frozen: 'warn', reconnecting: 'warn',
  offline: 'bad', failed: 'bad',
};
const toneOf = (state) => TONES[state] || 'neutral';
const pill = (state) => h('span', { class: 'pill ' + toneOf(str(state) || '') }, str(state) || 'unknown');
`;
