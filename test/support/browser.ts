import { access, constants } from 'node:fs/promises';
import { chromium, type Page } from 'playwright-core';

/** Debian's chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.SKYCHOIR_CHROMIUM ?? '/usr/bin/chromium';

/** What a page did while it was open: every URL it requested, and every script error and console error. */
export interface PageJournal {
  requests: string[];
  errors: string[];
}

/**
 * Opens `url` in a fresh headless chromium (no sandbox, so it runs as root in CI; autoplay
 * allowed) and runs `use` with the page and its journal; the browser is closed afterwards,
 * whatever happens. Throws, saying how to install it, when chromium is missing.
 */
export async function withPage<T>(
  url: string,
  use: (page: Page, journal: PageJournal) => Promise<T>,
  viewport = { width: 1280, height: 900 },
): Promise<T> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`no chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y --no-install-recommends chromium) or set SKYCHOIR_CHROMIUM`);
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const page = await browser.newPage({ viewport });
    const journal: PageJournal = { requests: [], errors: [] };
    page.on('request', (request) => journal.requests.push(request.url()));
    page.on('pageerror', (error) => journal.errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') journal.errors.push(`console: ${message.text()}`);
    });

    await page.goto(url);
    return await use(page, journal);
  } finally {
    await browser.close();
  }
}
