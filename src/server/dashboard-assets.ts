import { DASHBOARD_HTML, FAVICON_SVG } from './dashboard-page.js';
import { CORE_SCRIPT } from './dashboard-script-core.js';
import { EVENTS_SCRIPT } from './dashboard-script-events.js';
import { MAIN_SCRIPT } from './dashboard-script-main.js';
import { SECTIONS_SCRIPT } from './dashboard-script-sections.js';
import { DASHBOARD_CSS } from './dashboard-style.js';

/**
 * What the page may load: only this origin, and only what it needs. No inline script or
 * style, no other site, no plugin, no framing: a string that slipped into the page as
 * markup could still do nothing.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The dashboard's script: the parts in order, in one strict-mode scope of its own. */
export const DASHBOARD_JS = `(() => {\n'use strict';\n${CORE_SCRIPT}${SECTIONS_SCRIPT}${EVENTS_SCRIPT}${MAIN_SCRIPT}})();\n`;

/** The files served for the dashboard; they change only with a new version of skychoir. */
export const DASHBOARD_ASSETS: Array<{ path: string; contentType: string; body: string; headers: Record<string, string> }> = [
  { path: '/', contentType: 'text/html; charset=utf-8', body: DASHBOARD_HTML, headers: { 'content-security-policy': DASHBOARD_CSP, 'cache-control': 'no-cache' } },
  { path: '/dashboard.css', contentType: 'text/css; charset=utf-8', body: DASHBOARD_CSS, headers: { 'cache-control': 'no-cache' } },
  { path: '/dashboard.js', contentType: 'text/javascript; charset=utf-8', body: DASHBOARD_JS, headers: { 'cache-control': 'no-cache' } },
  { path: '/favicon.svg', contentType: 'image/svg+xml', body: FAVICON_SVG, headers: { 'cache-control': 'max-age=86400' } },
];
