/**
 * The dashboard's HTML: the page's frame, filled in by dashboard.js from /status. Every
 * element the script fills has an id; the page itself holds no data, so it can be cached.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>skychoir</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand">
    <img class="logo" src="/favicon.svg" alt="">
    <div>
      <div class="brand-name">skychoir</div>
      <h1 id="place">unknown place</h1>
      <div id="place-detail" class="muted"></div>
    </div>
  </div>
  <div class="now">
    <div id="local-time" class="clock">--:--</div>
    <div id="health" class="pill">connecting…</div>
  </div>
</header>

<div id="offline" class="banner bad" hidden></div>
<section id="missing-box" class="banner warn" hidden>
  <strong>The music is going without:</strong>
  <ul id="missing"></ul>
</section>

<main class="grid">
  <section class="card sky">
    <h2>Sky camera</h2>
    <figure>
      <img id="frame" alt="The latest analysed sky frame with its detections" hidden>
      <div id="frame-empty" class="empty">No frame yet</div>
      <figcaption id="frame-caption" class="muted"></figcaption>
    </figure>
    <dl id="sky" class="facts"></dl>
  </section>

  <section class="card listen">
    <h2>Listen</h2>
    <div class="listen-row">
      <button id="play" type="button" class="play" aria-pressed="false">▶ Play the stream</button>
      <audio id="player" controls preload="none" src="/stream.mp3"></audio>
      <dl id="listeners" class="facts"></dl>
    </div>
    <p id="play-state" class="muted">Stopped. The MP3 stream starts when you press play.</p>
  </section>

  <section class="card weather">
    <h2>Weather <span id="weather-stale" class="pill warn" hidden>stale</span></h2>
    <dl id="weather" class="facts big"></dl>
    <p id="weather-note" class="muted"></p>
  </section>

  <section class="card sun">
    <h2>Sun</h2>
    <dl id="sun" class="facts big"></dl>
  </section>

  <section class="card music wide">
    <h2>Music now</h2>
    <div id="layers" class="layers"></div>
  </section>

  <section class="card health wide">
    <h2>Sources and outputs</h2>
    <div class="tables">
      <table><caption>Sources</caption><thead><tr><th>Source</th><th>State</th><th>Detail</th><th>Since</th></tr></thead>
        <tbody id="sources"></tbody></table>
      <table><caption>Outputs</caption><thead><tr><th>Output</th><th>State</th><th>Detail</th><th>Restarts</th><th>Listeners</th></tr></thead>
        <tbody id="outputs"></tbody></table>
    </div>
  </section>

  <section class="card events wide">
    <h2>Events <span class="muted small">the last hour, then the latest 50</span></h2>
    <svg id="timeline" viewBox="0 0 1000 70" preserveAspectRatio="none" role="img" aria-label="Events over the last hour"></svg>
    <div id="legend" class="legend"></div>
    <ol id="events" class="events-list"></ol>
  </section>
</main>

<footer id="footer" class="muted">Waiting for the first status…</footer>
</body>
</html>
`;

/** A small sky-and-voice mark, used as the favicon and in the header. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<circle cx="32" cy="32" r="30" fill="#1d3b6a"/>
<circle cx="42" cy="22" r="8" fill="#f6c453"/>
<path d="M10 42c6-8 10-8 16 0s10 8 16 0 10-8 12-4" fill="none" stroke="#9fd3ff" stroke-width="4" stroke-linecap="round"/>
</svg>
`;
