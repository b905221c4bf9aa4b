/**
 * The dashboard script's main loop and player, as browser JavaScript in a string: /status is
 * fetched every 2 s (after the previous answer, so a slow daemon is never piled on), each
 * section drawn on its own, and a daemon that stops answering is said so in a banner while
 * the last picture stays.
 */
export const MAIN_SCRIPT = `
const POLL_MS = 2000;
const STATUS_DEADLINE_MS = 5000;
const SECTIONS = [renderHeader, renderSky, renderWeather, renderSun, renderListeners, renderLayers, renderHealth, renderEvents, renderFooter];
let failingSince = null;

async function poll() {
  try {
    const status = await fetchStatus();
    failingSince = null;
    $('offline').hidden = true;
    render(status);
  } catch (error) {
    failingSince = failingSince || new Date();
    $('offline').hidden = false;
    $('offline').textContent = 'No answer from the daemon since ' + failingSince.toLocaleTimeString('en-GB')
      + ' (' + (error && error.message ? error.message : String(error)) + '). Retrying every 2 s; what is shown is from before.';
  }
  setTimeout(poll, POLL_MS);
}

async function fetchStatus() {
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(), STATUS_DEADLINE_MS);
  try {
    const response = await fetch('/status', { cache: 'no-store', signal: abort.signal });
    if (!response.ok) throw new Error('/status answered ' + response.status);
    return await response.json();
  } finally {
    clearTimeout(deadline);
  }
}

/** Draws every section; one that fails is named in the console and the rest still draw. */
function render(answer) {
  const status = record(answer) || {};
  for (const section of SECTIONS) {
    try {
      section(status);
    } catch (error) {
      console.error('dashboard: ' + section.name + ' failed', error);
    }
  }
}

/**
 * The play button joins the live MP3 stream; stop leaves it (the connection is dropped, so a
 * dashboard left open costs no listener). preload="none": nothing is fetched before play.
 */
function setupPlayer() {
  const audio = $('player');
  const button = $('play');
  const state = $('play-state');
  const streamPath = audio.getAttribute('src') || '/stream.mp3';

  button.addEventListener('click', async () => {
    if (!audio.paused) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
      return;
    }
    if (!audio.getAttribute('src')) audio.src = streamPath;
    state.textContent = 'Connecting to the stream…';
    try {
      await audio.play();
    } catch (error) {
      state.textContent = 'Could not play: ' + (error && error.message ? error.message : String(error));
    }
  });
  audio.addEventListener('playing', () => {
    button.textContent = '\\u25a0 Stop';
    button.setAttribute('aria-pressed', 'true');
    state.textContent = 'Playing the live MP3 stream (a few seconds behind the sky).';
  });
  audio.addEventListener('pause', () => {
    button.textContent = '\\u25b6 Play the stream';
    button.setAttribute('aria-pressed', 'false');
    state.textContent = 'Stopped.';
  });
}

renderLegend();
setupFrame();
setupPlayer();
poll();
`;
