// Browser tests of the explorer and GraphiQL against the real Go server
// (embedded store, bundled dataset). Run by tools/web-test.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import {
  assertClean, drawCount, edges, launch, nodeIds, nodePoint, openPage, pickSuggestion, resultsDir,
  serverURL, shot, waitForDraw, waitForPanel,
} from './helpers.mjs';

const base = serverURL();
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Runs body on a fresh page, then checks the page stayed clean. */
async function withPage(body, name) {
  const page = await openPage(browser);
  try {
    await body(page);
    assertClean(page);
  } catch (err) {
    await shot(page, `FAILED-${name}.png`).catch(() => {});
    const { errors, external } = page.problems();
    if (errors.length || external.length) err.message += `\n(page problems: ${JSON.stringify({ errors, external })})`;
    throw err;
  } finally {
    await page.closeAll();
  }
}

const state = (page) => page.evaluate(() => window.allegiance.state());
const hl = (page) => page.evaluate(() => window.allegiance.cy.$('.hl').map((e) => e.id()).sort());

/** Moves the year slider to year with the keyboard (Home, then arrows). */
async function slideToYear(page, year) {
  const slider = page.locator('#asof-year');
  await slider.focus();
  const min = Number(await slider.getAttribute('min'));
  await page.keyboard.press('Home');
  for (let y = min; y < year; y++) await page.keyboard.press('ArrowRight');
}

describe('explorer', () => {
  test('search "ghali", pick Iyad Ag Ghaly, expand JNIM, slide to 2012 and back to 2017', () => withPage(async (page) => {
    await page.goto(`${base}/`);
    await waitForDraw(page);
    const input = page.locator('#search');
    await input.click();
    await input.pressSequentially('ghali', { delay: 30 });
    const option = page.locator('#search + [role=listbox] [role=option]', { hasText: 'Iyad Ag Ghaly' });
    await option.waitFor();
    assert.match(await option.innerText(), /a\.k\.a\. .*Ghali/i, 'the suggestion shows the alias that matched');
    await shot(page, '01-search-suggestions.png');
    let n = await drawCount(page);
    await option.click();
    await waitForDraw(page, n);
    let ids = await nodeIds(page);
    for (const id of ['iyad-ag-ghaly', 'jnim', 'ansar-al-dine', 'amadou-kouffa', 'ayman-al-zawahiri']) {
      assert.ok(ids.includes(id), `after picking Ghaly, got nodes ${ids}, want ${id} among them`);
    }
    await waitForPanel(page, 'Iyad Ag Ghaly');
    await shot(page, '02-ghaly-neighbourhood.png');

    // Double-click JNIM: its own neighbours join the picture.
    const before = ids.length;
    n = await drawCount(page);
    const p = await nodePoint(page, 'jnim');
    await page.mouse.dblclick(p.x, p.y);
    await waitForDraw(page, n);
    ids = await nodeIds(page);
    assert.ok((await state(page)).roots.includes('jnim'), 'JNIM is expanded');
    assert.ok(ids.length > before, `after expanding JNIM, got ${ids.length} nodes, want more than ${before}`);
    await shot(page, '03-jnim-expanded.png');

    // 2012: JNIM (founded 2017) and the 2017 pledges are gone.
    n = await drawCount(page);
    await slideToYear(page, 2012);
    await waitForDraw(page, n);
    assert.equal((await state(page)).asOf, '2012');
    ids = await nodeIds(page);
    assert.ok(!ids.includes('jnim'), `as of 2012, got nodes ${ids}, want no jnim`);
    assert.ok(ids.includes('iyad-ag-ghaly'), 'Ghaly is there in 2012');
    const pledges2012 = (await edges(page)).filter((e) => e.type === 'PLEDGED_ALLEGIANCE_TO');
    assert.deepEqual(pledges2012, [], 'no pledge as of 2012');
    assert.match(await page.locator('#status').innerText(), /as of 2012/);
    await shot(page, '04-as-of-2012.png');

    // 2017: they return.
    n = await drawCount(page);
    for (let y = 2012; y < 2017; y++) await page.keyboard.press('ArrowRight');
    await waitForDraw(page, n);
    ids = await nodeIds(page);
    assert.ok(ids.includes('jnim'), `as of 2017, got nodes ${ids}, want jnim`);
    const pledges2017 = (await edges(page)).filter((e) => e.type === 'PLEDGED_ALLEGIANCE_TO').map((e) => e.id);
    assert.ok(pledges2017.includes('ghaly-pledged-allegiance-to-zawahiri'), `as of 2017, got pledges ${pledges2017}`);
  }, 'search'));

  test('the path from Amadou Kouffa to Ayman al-Zawahiri is highlighted; PNG and SVG export', () => withPage(async (page) => {
    await page.goto(`${base}/`);
    await waitForDraw(page);
    await pickSuggestion(page, '#path-from', 'Kouffa', 'Amadou Kouffa');
    await pickSuggestion(page, '#path-to', 'Zawahiri', 'Ayman al-Zawahiri');
    const n = await drawCount(page);
    await page.locator('#path-find').click();
    await waitForDraw(page, n);
    const lit = await hl(page);
    for (const id of ['amadou-kouffa', 'iyad-ag-ghaly', 'ayman-al-zawahiri']) assert.ok(lit.includes(id), `highlighted ${lit}, want ${id}`);
    const litEdges = await page.evaluate(() => window.allegiance.cy.edges('.hl').map((e) => e.data('type')).sort());
    assert.deepEqual(litEdges, ['MET_WITH', 'PLEDGED_ALLEGIANCE_TO']);
    const dimmed = await page.evaluate(() => window.allegiance.cy.$('.dim').length);
    assert.equal(dimmed, 0, 'with no other root drawn, nothing is dimmed');
    await shot(page, '05-path-kouffa-zawahiri.png');

    for (const [button, ext, magic] of [['#export-png', 'png', '\x89PNG'], ['#export-svg', 'svg', '<svg']]) {
      const wait = page.waitForEvent('download');
      await page.locator(button).click();
      const dl = await wait;
      assert.match(dl.suggestedFilename(), new RegExp(`\\.${ext}$`));
      const file = join(resultsDir, `export.${ext}`);
      await dl.saveAs(file);
      assert.ok(statSync(file).size > 1000, `${file} is ${statSync(file).size} bytes`);
      assert.ok(readFileSync(file, 'latin1').slice(0, 300).includes(magic), `${file} does not look like ${ext}`);
    }
  }, 'path'));

  test('clicking an edge shows its sources as clickable citations', () => withPage(async (page) => {
    await page.goto(`${base}/?roots=iyad-ag-ghaly`);
    await waitForDraw(page);
    const id = 'ghaly-pledged-allegiance-to-zawahiri';
    // Click where Cytoscape's own hit test finds the edge. A straight
    // line between the endpoints can miss a curved (bundled) edge, and a
    // node or label can lie over part of it; the layout differs from run
    // to run, so the point is chosen on the page, not guessed.
    const pick = await page.evaluate((eid) => {
      const cy = window.allegiance.cy;
      const e = cy.getElementById(eid);
      cy.fit(e, 150);
      const zoom = cy.zoom();
      const pan = cy.pan();
      const a = e.sourceEndpoint();
      const b = e.targetEndpoint();
      const m = e.midpoint();
      const cands = [m];
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) cands.push({ x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
      const seen = [];
      for (const p of cands) {
        const hit = cy.renderer().findNearestElement(p.x, p.y, true, false);
        seen.push(hit ? hit.id() : null);
        if (hit && hit.id() === eid) return { x: p.x * zoom + pan.x, y: p.y * zoom + pan.y };
      }
      return { seen };
    }, id);
    assert.ok(pick.x !== undefined, `no point along edge ${id} hits it; the hit test found ${JSON.stringify(pick.seen)}`);
    const box = await page.locator('#cy').boundingBox();
    await page.mouse.click(box.x + pick.x, box.y + pick.y);
    await waitForPanel(page, 'pledged allegiance to');
    const title = await page.locator('#panel-title').innerText();
    assert.equal(title, 'Iyad Ag Ghaly pledged allegiance to Ayman al-Zawahiri');
    const links = await page.locator('#details .sources a').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(links.length >= 2, `got citation links ${links}, want at least 2`);
    assert.ok(links.some((h) => h.includes('longwarjournal.org')), `got ${links}, want the Long War Journal article`);
    assert.match(await page.locator('#details').innerText(), /2017-03-02/);
    await shot(page, '06-edge-sources.png');

    // A hedged fact shows its hedge.
    await page.evaluate(() => {
      const cy = window.allegiance.cy;
      const e = cy.edges('[?qualifier]')[0];
      e.emit('tap');
    });
    await page.waitForFunction(() => document.querySelector('#details .hedge'), null, { timeout: 10000 });
  }, 'edge'));

  test('pin, remove, filter and date survive a shared URL', () => withPage(async (page) => {
    await page.goto(`${base}/?roots=iyad-ag-ghaly`);
    await waitForDraw(page);
    // Open Ghaly through the entity list, pin him, open Saudi Arabia, remove it.
    await page.locator('#entity-list summary').click();
    await page.locator('#entity-items button', { hasText: 'Iyad Ag Ghaly' }).click();
    await waitForPanel(page, 'Iyad Ag Ghaly');
    await page.locator('#details button', { hasText: 'Pin in place' }).click();
    await page.waitForFunction(() => window.allegiance.cy.getElementById('iyad-ag-ghaly').locked());
    await page.locator('#entity-items button', { hasText: 'Saudi Arabia' }).click();
    await waitForPanel(page, 'Saudi Arabia');
    let n = await drawCount(page);
    await page.locator('#details button', { hasText: 'Remove from picture' }).click();
    await waitForDraw(page, n);
    assert.ok(!(await nodeIds(page)).includes('saudi-arabia'), 'Saudi Arabia removed');
    n = await drawCount(page);
    await page.locator('#legend-edges input[value=OPPOSED]').uncheck();
    await waitForDraw(page, n);
    assert.ok(!(await edges(page)).some((e) => e.type === 'OPPOSED'), 'OPPOSED hidden');
    n = await drawCount(page);
    await slideToYear(page, 2015);
    await waitForDraw(page, n);
    const want = { nodes: await nodeIds(page), edges: await edges(page), state: await state(page) };
    const url = page.url();
    assert.match(url, /roots=iyad-ag-ghaly/);
    assert.match(url, /asOf=2015/);
    assert.match(url, /hide=OPPOSED/);

    const again = await openPage(browser);
    try {
      await again.goto(url);
      await waitForDraw(again);
      assert.deepEqual(await nodeIds(again), want.nodes);
      assert.deepEqual(await edges(again), want.edges);
      const got = await state(again);
      assert.deepEqual(got, want.state);
      assert.equal(await again.locator('#asof-label').innerText(), '2015');
      assert.equal(await again.locator('#legend-edges input[value=OPPOSED]').isChecked(), false);
      assert.ok(await again.evaluate(() => window.allegiance.cy.getElementById('iyad-ag-ghaly').hasClass('pinned')));
      await shot(again, '07-shared-url.png');
      assertClean(again);
    } finally {
      await again.closeAll();
    }
  }, 'shared-url'));

  test('allegiance chains and lineage, in the hierarchical layout', () => withPage(async (page) => {
    await page.goto(`${base}/?roots=iyad-ag-ghaly&sel=n:iyad-ag-ghaly`);
    await waitForDraw(page);
    await waitForPanel(page, 'Iyad Ag Ghaly');
    let n = await drawCount(page);
    await page.locator('#details button', { hasText: 'Allegiance chains' }).click();
    await waitForDraw(page, n);
    assert.equal((await state(page)).layout, 'hierarchical');
    let lit = await hl(page);
    for (const id of ['iyad-ag-ghaly', 'ayman-al-zawahiri', 'haibatullah-akhundzada']) assert.ok(lit.includes(id), `chains highlight ${lit}, want ${id}`);
    await shot(page, '08-allegiance-chains.png');
    await page.goto(`${base}/?roots=jnim&sel=n:jnim`);
    await waitForDraw(page);
    await waitForPanel(page, 'Jama');
    n = await drawCount(page);
    await page.locator('#details button', { hasText: 'Lineage' }).click();
    await waitForDraw(page, n);
    lit = await hl(page);
    for (const id of ['jnim', 'ansar-al-dine', 'al-murabitoun']) assert.ok(lit.includes(id), `lineage highlight ${lit}, want ${id}`);
    await shot(page, '09-lineage-jnim.png');
  }, 'chains'));

  test('keyboard only: Tab to search, type, arrow and Enter, open the details of an edge', () => withPage(async (page) => {
    await page.goto(`${base}/`);
    await waitForDraw(page);
    let tabs = 0;
    while ((await page.evaluate(() => document.activeElement.id)) !== 'search') {
      await page.keyboard.press('Tab');
      assert.ok(++tabs <= 5, 'the search box is among the first five Tab stops');
    }
    await page.keyboard.type('kouffa', { delay: 30 });
    await page.locator('#search + [role=listbox] [role=option]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const active = await page.locator('#search').getAttribute('aria-activedescendant');
    assert.ok(active, 'ArrowDown marks a suggestion active');
    assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
    assert.match(await page.locator(`#${active}`).innerText(), /Amadou Kouffa/);
    const n = await drawCount(page);
    await page.keyboard.press('Enter');
    await waitForDraw(page, n);
    await waitForPanel(page, 'Amadou Kouffa');
    // Skip link to the details panel, then Tab to a relationship, Enter.
    for (let i = 0; i < 3 && (await page.evaluate(() => document.activeElement.textContent)) !== 'Skip to details'; i++) {
      await page.keyboard.press('Shift+Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to details');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'details');
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => !!document.activeElement.closest('#details .rels'))) break;
    }
    const rel = await page.evaluate(() => document.activeElement.textContent);
    assert.match(rel, /Amadou Kouffa/, 'focus reached a relationship of Kouffa');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#details .sources a') && document.activeElement.id === 'details');
    assert.ok(await page.locator('#details .sources a').count() > 0, 'the edge panel lists linked sources');
    await shot(page, '10-keyboard-edge-details.png');
  }, 'keyboard'));
});

describe('graphiql', () => {
  test('opens offline with the README examples and runs a query', () => withPage(async (page) => {
    await page.goto(`${base}/graphiql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 20000 });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Example queries'));
    const examples = (section.slice(0, section.indexOf('\n## ', 5)).match(/```graphql/g) || []).length;
    assert.ok(examples >= 3, `README has ${examples} graphql examples`);
    const tabs = await page.locator('.graphiql-tab').count();
    assert.equal(tabs, examples, `got ${tabs} tabs, want one per README example (${examples})`);
    await page.locator('.graphiql-editor .monaco-editor').first().waitFor();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor, .graphiql-editor')?.textContent.includes('iyad-ag-ghaly'), null, { timeout: 15000 });
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent || '').replace(/\u00a0/g, ' ').includes('Haibatullah Akhundzada'), null, { timeout: 15000 });
    await shot(page, '11-graphiql.png');
  }, 'graphiql'));
});
