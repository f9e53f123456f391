// The explorer at 2,000 nodes: a seeded synthetic network
// (tests/gen-dataset.mjs) served by the real Go server. Measures the time to
// first draw and to a zoom and a pan, asserts a generous bound, and prints
// the figures (also written to test-results/scale.json).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { assertClean, launch, openPage, resultsDir, serverURL, shot, waitForDraw } from './helpers.mjs';

const BOUND_MS = 10000;
const base = serverURL('ALLEGIANCE_SCALE_URL');
const root = process.env.ALLEGIANCE_SCALE_ROOT || 'synthetic-org-0000';
const count = Number(process.env.ALLEGIANCE_SCALE_NODES || 2000);
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Runs an action in the page and returns the ms until Cytoscape has drawn the next frame. */
async function timeToRender(page, action) {
  await page.evaluate(() => {
    window.__rendered = null;
    window.allegiance.cy.one('render', () => requestAnimationFrame(() => { window.__rendered = performance.now(); }));
  });
  const t0 = await page.evaluate(() => performance.now());
  await action();
  await page.waitForFunction(() => window.__rendered !== null, null, { timeout: BOUND_MS });
  return (await page.evaluate(() => window.__rendered)) - t0;
}

test(`${count} nodes: first draw, zoom and pan within ${BOUND_MS / 1000} s`, async () => {
  const page = await openPage(browser);
  try {
    const url = `${base}/?roots=${root}&depth=2&limit=${count}`;
    const wall0 = Date.now();
    await page.goto(url);
    await waitForDraw(page, 0, BOUND_MS * 3);
    const wall = Date.now() - wall0;
    const draw = await page.evaluate(() => window.allegiance.lastDraw);
    assert.equal(draw.nodes, count, `got ${draw.nodes} nodes drawn, want ${count}`);
    const firstDraw = draw.at; // ms since navigation start, until the first frame with the graph
    await shot(page, '12-scale-2000-first-draw.png');
    const box = await page.locator('#cy').boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    const zoom = await timeToRender(page, () => page.mouse.wheel(0, -400));
    const pan = await timeToRender(page, async () => {
      await page.mouse.move(box.x + 40, box.y + 40);
      await page.mouse.down();
      await page.mouse.move(box.x + 240, box.y + 160, { steps: 4 });
      await page.mouse.up();
    });
    const zoomOut = await timeToRender(page, () => page.evaluate(() => {
      const c = window.allegiance.cy;
      c.zoom({ level: c.zoom() / 3, renderedPosition: { x: c.width() / 2, y: c.height() / 2 } });
    }));
    await shot(page, '13-scale-2000-after-zoom-and-pan.png');
    const figures = {
      nodes: draw.nodes, edges: draw.edges,
      firstDrawMs: Math.round(firstDraw), wallToDrawMs: wall,
      fetchMs: Math.round(draw.fetchMs), applyMs: Math.round(draw.applyMs), layoutMs: Math.round(draw.layoutMs),
      wheelZoomMs: Math.round(zoom), dragPanMs: Math.round(pan), zoomOutMs: Math.round(zoomOut),
    };
    writeFileSync(join(resultsDir, 'scale.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`scale: ${JSON.stringify(figures)}`);
    for (const [k, v] of Object.entries(figures)) {
      if (k.endsWith('Ms')) assert.ok(v < BOUND_MS, `${k} = ${v} ms, want under ${BOUND_MS} ms`);
    }
    assertClean(page);
  } finally {
    await page.closeAll();
  }
});
