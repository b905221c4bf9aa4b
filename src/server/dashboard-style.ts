/**
 * The dashboard's CSS: calm light cards under a night-blue header, readable on a back-office
 * screen and a phone (the grid folds to one column). Event kinds share their colours with
 * the timeline marks (.kind-*).
 */
export const DASHBOARD_CSS = `
:root {
  --ink: #1b2433; --muted: #5d6b80; --line: #dde3ec; --card: #ffffff; --page: #eef2f7;
  --night: #14284a; --accent: #2f6fd0;
  --good: #1f8a4c; --warn: #b7791f; --bad: #c53030; --off: #8a94a6;
  --weather: #2f6fd0; --sun: #d89614; --birds: #1f8a4c; --aircraft: #7b4bc4; --sky: #1a9aa0; --system: #c53030; --other: #8a94a6;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--page); }
.muted { color: var(--muted); }
.small { font-size: 12px; font-weight: normal; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }

.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; padding: 14px 24px;
  background: linear-gradient(120deg, var(--night), #24508f); color: #fff; }
.top .muted { color: #c5d3ea; }
.brand { display: flex; align-items: center; gap: 14px; }
.logo { width: 46px; height: 46px; }
.brand-name { font-size: 12px; letter-spacing: .12em; text-transform: uppercase; color: #9fd3ff; }
h1 { margin: 0; font-size: 24px; font-weight: 600; }
.now { text-align: right; }
.clock { font-size: 28px; font-variant-numeric: tabular-nums; font-weight: 300; }

.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
  background: #e7ecf3; color: var(--muted); vertical-align: middle; white-space: nowrap; }
.pill.good { background: #dcf3e5; color: var(--good); }
.pill.warn { background: #fbefd5; color: var(--warn); }
.pill.bad { background: #fbdede; color: var(--bad); }
.top .pill { font-size: 13px; padding: 3px 12px; }

.banner { margin: 12px 24px 0; padding: 10px 16px; border-radius: 10px; border: 1px solid; }
.banner.bad { background: #fdecec; border-color: #f2b8b8; color: #8b1f1f; }
.banner.warn { background: #fff6e2; border-color: #efd39a; color: #6e4a0f; }
.banner ul { margin: 4px 0 0; padding-left: 20px; }

.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; padding: 16px 24px; }
.card { background: var(--card); border-radius: 12px; padding: 14px 18px 16px; box-shadow: 0 1px 3px rgba(20, 40, 74, .08); border: 1px solid var(--line); min-width: 0; }
.card.wide { grid-column: 1 / -1; }
h2 { margin: 0 0 10px; font-size: 13px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }

figure { margin: 0 0 10px; }
#frame { display: block; width: 100%; border-radius: 8px; background: #0d1b30; }
.empty { display: flex; align-items: center; justify-content: center; height: 180px; border-radius: 8px;
  background: repeating-linear-gradient(135deg, #f3f6fa, #f3f6fa 10px, #eaeff5 10px, #eaeff5 20px); color: var(--muted); }
figcaption { margin-top: 6px; font-size: 13px; }

.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.facts.big dd { font-size: 18px; font-weight: 500; }
.unknown { color: var(--off); font-style: italic; font-weight: normal !important; font-size: 15px !important; }

.play { font: inherit; font-weight: 600; padding: 10px 18px; border: 0; border-radius: 999px; background: var(--accent); color: #fff; cursor: pointer; }
.play[aria-pressed="true"] { background: var(--bad); }
audio { display: block; width: 100%; margin: 12px 0 4px; }

.layers { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
.layer { border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; background: #f8fafc; }
.layer h3 { margin: 0 0 6px; font-size: 14px; }
.layer h3 .muted { font-weight: normal; font-size: 12px; }
.stem { padding: 6px 0; border-top: 1px dashed var(--line); }
.stem:first-of-type { border-top: 0; }
.stem .id { font-weight: 600; }
.stem .reason { color: var(--muted); font-size: 13px; }

.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th { text-align: left; color: var(--muted); font-weight: 500; font-size: 12px; border-bottom: 1px solid var(--line); padding: 4px 8px 4px 0; }
td { padding: 6px 8px 6px 0; border-bottom: 1px solid #f0f3f7; vertical-align: top; overflow-wrap: anywhere; }

#timeline { display: block; width: 100%; height: 70px; background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; }
#timeline .tick { stroke: #dfe5ee; }
#timeline .tick-label { fill: var(--muted); font-size: 11px; }
#timeline .mark { stroke-width: 4; stroke-linecap: round; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 10px; font-size: 12px; color: var(--muted); }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
.events-list { list-style: none; margin: 0; padding: 0; max-height: 360px; overflow-y: auto; border-top: 1px solid var(--line); }
.events-list li { display: grid; grid-template-columns: 80px 230px 1fr; gap: 10px; padding: 5px 2px; border-bottom: 1px solid #f0f3f7; font-size: 14px; }
.events-list .at { font-variant-numeric: tabular-nums; color: var(--muted); }

.kind-weather { fill: var(--weather); stroke: var(--weather); background: var(--weather); }
.kind-sun { fill: var(--sun); stroke: var(--sun); background: var(--sun); }
.kind-birds { fill: var(--birds); stroke: var(--birds); background: var(--birds); }
.kind-aircraft { fill: var(--aircraft); stroke: var(--aircraft); background: var(--aircraft); }
.kind-sky { fill: var(--sky); stroke: var(--sky); background: var(--sky); }
.kind-system { fill: var(--system); stroke: var(--system); background: var(--system); }
.kind-other { fill: var(--other); stroke: var(--other); background: var(--other); }

@media (min-width: 1000px) {
  .grid { grid-template-columns: 1.5fr 1fr 1fr;
    grid-template-areas: "sky weather sun" "sky listen listen" "music music music" "health health health" "events events events"; }
  .card.sky { grid-area: sky; } .card.weather { grid-area: weather; } .card.sun { grid-area: sun; }
  .card.listen { grid-area: listen; } .card.music { grid-area: music; } .card.health { grid-area: health; } .card.events { grid-area: events; }
  .listen-row { display: grid; grid-template-columns: auto 1fr auto; gap: 18px; align-items: center; }
  .listen-row audio { margin: 0; }
}
footer { padding: 4px 24px 24px; font-size: 12px; }
@media (max-width: 700px) {
  .top { flex-direction: column; align-items: flex-start; }
  .now { text-align: left; }
  .events-list li { grid-template-columns: 70px 1fr; }
  .events-list .summary { grid-column: 1 / -1; }
}
`;
