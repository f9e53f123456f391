// Shared set-up for the browser tests: Debian's Chromium through
// playwright-core, a page that records console errors and refuses (and
// records) any request that would leave 127.0.0.1, and waits on the
// explorer's drawing.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(resultsDir, { recursive: true });

/** The server under test, from the environment tools/web-test.sh sets. */
export function serverURL(name = 'ALLEGIANCE_URL') {
  const u = process.env[name];
  assert.ok(u, `${name} is not set: run the browser tests with tools/web-test.sh, which starts the server`);
  return u.replace(/\/+$/, '');
}

export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  try {
    return await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions'],
    });
  } catch (err) {
    throw new Error(`cannot start Chromium at ${executablePath} (${err.message}): install it with apt-get install -y chromium`);
  }
}

/**
 * Opens a page in a fresh context. Its `problems()` lists every console
 * error, page error and off-machine request seen so far.
 */
export async function openPage(browser, { viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const errors = [];
  const external = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
    external.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== '127.0.0.1' && !external.includes(r.url())) external.push(r.url());
  });
  page.problems = () => ({ errors: [...errors], external: [...external] });
  page.closeAll = () => context.close();
  return page;
}

/** Asserts that the page logged no error and asked for nothing off this machine. */
export function assertClean(page) {
  const { errors, external } = page.problems();
  assert.deepEqual(external, [], `requests left 127.0.0.1: ${external.join(', ')}`);
  assert.deepEqual(errors, [], `console errors: ${errors.join(' | ')}`);
}

/** The explorer's draw count now. */
export const drawCount = (page) => page.evaluate(() => (window.allegiance ? window.allegiance.drawCount() : 0));

/** Waits until the explorer has drawn more than `after` times and is idle. */
export async function waitForDraw(page, after = 0, timeout = 20000) {
  await page.waitForFunction(
    (n) => window.allegiance && window.allegiance.drawCount() > n && document.documentElement.dataset.busy === 'false',
    after,
    { timeout },
  );
}

/** Node ids drawn, sorted. */
export const nodeIds = (page) => page.evaluate(() => window.allegiance.cy.nodes().map((n) => n.id()).sort());
/** Edges drawn as {id, type}, sorted by id. */
export const edges = (page) => page.evaluate(() => window.allegiance.cy.edges().map((e) => ({ id: e.id(), type: e.data('type') }))
  .sort((a, b) => a.id.localeCompare(b.id)));

/** The page coordinates of a node's centre on the canvas. */
export async function nodePoint(page, id) {
  const p = await page.evaluate((nid) => {
    const n = window.allegiance.cy.getElementById(nid);
    if (n.empty()) return null;
    return n.renderedPosition();
  }, id);
  assert.ok(p, `node ${id} is not drawn`);
  const box = await page.locator('#cy').boundingBox();
  return { x: box.x + p.x, y: box.y + p.y };
}

/** Types into a combobox and picks the suggestion naming `name`. */
export async function pickSuggestion(page, inputSelector, text, name) {
  const input = page.locator(inputSelector);
  await input.click();
  await input.pressSequentially(text, { delay: 30 });
  const listId = await input.getAttribute('aria-controls');
  const option = page.locator(`#${listId} [role=option]`, { hasText: name }).first();
  await option.waitFor({ timeout: 10000 });
  await option.click();
}

/** Saves a screenshot under web/test-results/. */
export async function shot(page, name) {
  await page.screenshot({ path: join(resultsDir, name) });
}

/** Waits (10 s unless told) for the details panel to finish loading and show a title containing text. */
export async function waitForPanel(page, text, timeout = 10000) {
  await page.waitForFunction(
    (t) => {
      const d = document.getElementById('details');
      const h = d.querySelector('#panel-title');
      return d.getAttribute('aria-busy') !== 'true' && h && h.textContent.includes(t);
    },
    text,
    { timeout },
  );
}
