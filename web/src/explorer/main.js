// The explorer: a Cytoscape.js drawing of the network that grows from a
// search box, driven only by the public GraphQL API.

import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import dagre from 'cytoscape-dagre';
import svg from 'cytoscape-svg';

import './explorer.css';
import * as api from './api.js';
import { bindCredentialField } from '../auth.js';
import { combobox } from './combobox.js';
import { h } from './dom.js';
import { entityPanel, period, relationshipPanel } from './panel.js';
import { formatState, parseState } from './state.js';
import { KINDS, REL_BY_TYPE, REL_TYPES, edgeSampleSVG, stylesheet } from './styles.js';

cytoscape.use(fcose);
cytoscape.use(dagre);
cytoscape.use(svg);

const $ = (id) => document.getElementById(id);
const BIG = 400; // from this many nodes on, draw for speed rather than beauty

let state = parseState(location.search);
let seq = 0; // the latest redraw; older answers are dropped
let drawCount = 0;
let lastLayout = null;
let drawnBig = false; // whether the style is set for a big picture

const cy = cytoscape({
  container: $('cy'),
  style: stylesheet(),
  minZoom: 0.005,
  maxZoom: 4,
  boxSelectionEnabled: false,
});

// ---- status, errors, busy flag -------------------------------------------

function setBusy(b) {
  document.documentElement.dataset.busy = b ? 'true' : 'false';
  $('cy').setAttribute('aria-busy', b ? 'true' : 'false');
}

function showError(err) {
  const el = $('error');
  if (!err) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.hidden = false;
  el.textContent = `Error: ${err.message || err}`;
}

function describe() {
  const n = cy.nodes().length;
  const m = cy.edges().length;
  if (!n) return state.roots.length ? `Nothing to draw${state.asOf ? ` as of ${state.asOf}` : ''}.` : 'Search for an entity to start.';
  const when = state.asOf ? ` as of ${state.asOf}` : '';
  const hidden = state.hidden.length ? `, ${state.hidden.length} relationship types hidden` : '';
  return `Showing ${n} entities and ${m} relationships${when}${hidden}.`;
}

// ---- URL state --------------------------------------------------------------

function saveURL() {
  const q = formatState(state);
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
}

// ---- fetching and drawing -------------------------------------------------

function shownTypes() {
  if (!state.hidden.length) return null;
  return REL_TYPES.map((r) => r.type).filter((t) => !state.hidden.includes(t));
}

function edgeLabel(e) {
  const t = REL_BY_TYPE[e.type];
  let l = t ? t.label : e.type;
  if (e.qualifier) l += ` (${e.qualifier})`;
  return l;
}

/** Fetches everything the state asks for and returns {nodes, edges, hl, notes}. */
async function fetchView() {
  const opts = { asOf: state.asOf, types: shownTypes() };
  const nodes = new Map();
  const edges = new Map();
  const hl = new Set();
  const notes = [];
  const addGraph = (g, mark) => {
    for (const n of g.nodes) {
      nodes.set(n.id, n);
      if (mark) hl.add(n.id);
    }
    for (const e of g.edges) {
      edges.set(e.id, e);
      if (mark) hl.add(e.id);
    }
  };
  const jobs = state.roots.map(async (id) => {
    const g = await api.neighborhood(id, { ...opts, depth: state.depth, limit: state.limit });
    if (!g.nodes.length) notes.push(`${id} did not exist${state.asOf ? ` as of ${state.asOf}` : ''}`);
    if (g.truncated) notes.push(`the neighbourhood of ${id} was cut at ${state.limit} entities`);
    return g;
  });
  const graphs = await Promise.all(jobs);
  graphs.forEach((g) => addGraph(g, false));
  if (state.path) {
    const p = await api.shortestPath(state.path[0], state.path[1], opts);
    if (p) addGraph(p, true);
    else notes.push(`no path between ${state.path[0]} and ${state.path[1]} within 10 steps${state.asOf ? ` as of ${state.asOf}` : ''}`);
  }
  if (state.focus) {
    const { kind, id } = state.focus;
    if (kind === 'chains') {
      const paths = await api.allegianceChains(id, { asOf: state.asOf });
      paths.forEach((p) => addGraph(p, true));
      if (!paths.some((p) => p.edges.length)) notes.push(`no allegiance chain from ${id}`);
    } else {
      const g = await api.lineage(id, { asOf: state.asOf });
      addGraph(g, true);
      if (!g.edges.length) notes.push(`no lineage for ${id}`);
    }
  }
  for (const id of state.removed) nodes.delete(id);
  for (const [id, e] of edges) {
    if (!nodes.has(e.from.id) || !nodes.has(e.to.id) || state.hidden.includes(e.type)) edges.delete(id);
  }
  return { nodes, edges, hl, notes };
}

/** Redraws the picture from the state. */
async function redraw({ relayout = false } = {}) {
  const mine = ++seq;
  setBusy(true);
  saveURL();
  let view;
  const tFetch = performance.now();
  try {
    view = await fetchView();
  } catch (err) {
    if (mine === seq) {
      showError(err);
      setBusy(false);
    }
    return;
  }
  if (mine !== seq) return;
  showError(null);
  const before = cy.nodes().length;
  const tApply = performance.now();
  const added = apply(view);
  const t0 = performance.now();
  if (added || relayout) await runLayout(relayout || added === cy.nodes().length || before === 0);
  cy.resize();
  markHighlight(view.hl);
  drawCount++;
  window.allegiance.lastDraw = {
    nodes: cy.nodes().length, edges: cy.edges().length,
    fetchMs: tApply - tFetch, applyMs: t0 - tApply, layoutMs: performance.now() - t0,
  };
  $('status').textContent = describe() + (view.notes.length ? ` Note: ${view.notes.join('; ')}.` : '');
  renderEntityList();
  await restoreSelection();
  cy.one('render', () => {
    window.allegiance.lastDraw.at = performance.now();
    if (mine === seq) setBusy(false);
  });
  cy.forceRender();
}

/** Makes the drawing hold exactly the view's elements; returns how many nodes are new. */
function apply(view) {
  const keepNode = new Set(view.nodes.keys());
  const keepEdge = new Set(view.edges.keys());
  let added = 0;
  cy.batch(() => {
    cy.elements().forEach((el) => {
      const keep = el.isNode() ? keepNode.has(el.id()) : keepEdge.has(el.id());
      if (!keep) el.remove();
    });
    const center = cy.extent();
    const add = [];
    for (const n of view.nodes.values()) {
      const data = { id: n.id, kind: n.kind, name: n.name, label: n.name };
      const el = cy.getElementById(n.id);
      if (el.nonempty()) el.data(data);
      else {
        // New nodes start next to a neighbour already drawn, so that a
        // layout that keeps positions grows the picture outward.
        add.push({ group: 'nodes', data, position: { x: (center.x1 + center.x2) / 2, y: (center.y1 + center.y2) / 2 } });
        added++;
      }
    }
    for (const e of view.edges.values()) {
      const data = {
        id: e.id, source: e.from.id, target: e.to.id, type: e.type,
        qualifier: e.qualifier || null, since: e.since, until: e.until, label: edgeLabel(e),
      };
      const el = cy.getElementById(e.id);
      if (el.nonempty()) el.data(data);
      else add.push({ group: 'edges', data });
    }
    const fresh = cy.nodes().empty();
    cy.add(add);
    if (!fresh) placeNear(add);
    const roots = new Set(state.roots);
    const pinned = new Set(state.pinned);
    cy.nodes().forEach((n) => {
      const root = roots.has(n.id());
      if (n.hasClass('root') !== root) n.toggleClass('root', root);
      const pin = pinned.has(n.id());
      if (n.hasClass('pinned') !== pin) n.toggleClass('pinned', pin);
      if (n.locked() !== pin) {
        if (pin) n.lock();
        else n.unlock();
      }
    });
  });
  return added;
}

// New nodes next to an already-drawn neighbour, with a little jitter.
function placeNear(added) {
  const fresh = new Set(added.map((a) => a.data.id));
  let i = 0;
  for (const a of added) {
    if (a.group !== 'nodes') continue;
    const n = cy.getElementById(a.data.id);
    const old = n.neighborhood('node').filter((m) => !fresh.has(m.id()));
    if (old.nonempty()) {
      const p = old[0].position();
      const ang = (i++ * 2.399) % (2 * Math.PI);
      n.position({ x: p.x + 90 * Math.cos(ang), y: p.y + 90 * Math.sin(ang) });
    }
  }
}

function markHighlight(hl) {
  cy.batch(() => {
    cy.$('.hl, .dim').removeClass('hl dim');
    if (!hl.size) return;
    cy.elements().forEach((el) => {
      if (hl.has(el.id())) el.addClass('hl');
      else el.addClass('dim');
    });
  });
}

/** Runs the chosen layout and resolves when it stops. */
function runLayout(fresh = true) {
  if (lastLayout) lastLayout.stop();
  const n = cy.nodes().length;
  if (!n) return Promise.resolve();
  const big = n >= BIG;
  if (big !== drawnBig) {
    // Straight "haystack" edges draw much faster than curves.
    cy.style().selector('edge').style('curve-style', big ? 'haystack' : 'bezier').update();
    drawnBig = big;
  }
  // For a big picture, pan and zoom move a snapshot and skip edges until
  // the gesture ends (renderer settings Cytoscape reads at each frame).
  const r = cy.renderer();
  r.textureOnViewport = big;
  r.hideEdgesOnViewport = big;
  let opts;
  if (state.layout === 'hierarchical') {
    opts = { name: 'dagre', rankDir: 'TB', nodeSep: 30, rankSep: 70, edgeSep: 10, animate: false, fit: true, padding: 30 };
  } else {
    const fixed = state.pinned.filter((id) => cy.getElementById(id).nonempty())
      .map((id) => ({ nodeId: id, position: cy.getElementById(id).position() }));
    opts = {
      name: 'fcose',
      quality: big ? 'draft' : 'default',
      randomize: fresh || big,
      animate: false,
      fit: true,
      padding: 30,
      nodeRepulsion: 6000,
      idealEdgeLength: 90,
      numIter: big ? 600 : 2500,
      fixedNodeConstraint: fixed.length ? fixed : undefined,
      nodeDimensionsIncludeLabels: !big,
    };
  }
  const layout = cy.layout(opts);
  lastLayout = layout;
  const done = layout.promiseOn('layoutstop');
  layout.run();
  if (!big || opts.name !== 'fcose') return done;
  // The spectral draft puts nodes with the same neighbours on one point:
  // spread each such stack on a small sunflower spiral around it.
  return done.then(() => {
    const stacks = new Map();
    cy.nodes().forEach((n) => {
      if (n.locked()) return;
      const p = n.position();
      const k = `${Math.round(p.x / 8)},${Math.round(p.y / 8)}`;
      if (!stacks.has(k)) stacks.set(k, []);
      stacks.get(k).push(n);
    });
    cy.batch(() => {
      for (const nodes of stacks.values()) {
        if (nodes.length < 2) continue;
        const c = nodes[0].position();
        nodes.forEach((n, i) => {
          const r = 28 * Math.sqrt(i);
          const a = i * 2.39996;
          n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
        });
      }
    });
    cy.fit(undefined, 30);
  });
}

// ---- selection and the details panel -----------------------------------

async function restoreSelection() {
  if (!state.sel) return;
  const el = cy.getElementById(state.sel.id);
  if (el.empty()) {
    // Kept in the state: it comes back when the date or filter brings it back.
    ++detailSeq;
    const what = state.sel.group === 'n' ? `The entity ${state.sel.id}` : `The relationship ${state.sel.id}`;
    $('details').replaceChildren(h('p', { class: 'hint' },
      `${what} is not in the picture now${state.asOf ? ` (as of ${state.asOf})` : ''}.`));
    return;
  }
  if (!el.selected()) {
    cy.elements().unselect();
    el.select();
  }
  await showDetails(el, false);
}

let detailSeq = 0;

async function showDetails(el, focusPanel = true) {
  const mine = ++detailSeq;
  const panel = $('details');
  panel.setAttribute('aria-busy', 'true');
  try {
    let content;
    if (el.isNode()) {
      const e = await api.entityDetails(el.id());
      if (mine !== detailSeq) return;
      if (!e) throw new Error(`no entity ${el.id()}`);
      content = entityPanel(e, {
        status: [state.roots.includes(e.id) ? 'expanded' : '', state.pinned.includes(e.id) ? 'pinned' : ''].filter(Boolean).join(', '),
        actions: [
          ['Expand neighbours', () => expand(e.id)],
          ['Remove from picture', () => removeNode(e.id)],
          [state.pinned.includes(e.id) ? 'Unpin' : 'Pin in place', () => togglePin(e.id), state.pinned.includes(e.id)],
          ['Path from here', () => setPathEnd('from', e)],
          ['Path to here', () => setPathEnd('to', e)],
          ['Allegiance chains', () => setFocus('chains', e.id)],
          ['Lineage', () => setFocus('lineage', e.id)],
        ],
        rels: el.connectedEdges().map((x) => ({
          id: x.id(),
          label: `${x.source().data('name')} ${edgeLabel(x.data())} ${x.target().data('name')} (${period(x.data())})`,
        })),
        onRel: (id) => select(cy.getElementById(id)),
      });
    } else {
      const d = el.data();
      const r = await api.relationshipDetails({ id: d.id, from: d.source, type: d.type });
      if (mine !== detailSeq) return;
      if (!r) throw new Error(`no relationship ${d.id}`);
      content = relationshipPanel(r, { onEntity: (id) => select(cy.getElementById(id), id) });
    }
    panel.replaceChildren(content);
    if (focusPanel) panel.focus();
  } catch (err) {
    if (mine === detailSeq) showError(err);
  } finally {
    if (mine === detailSeq) panel.setAttribute('aria-busy', 'false');
  }
}

/** Selects an element and opens its details. */
function select(el, id) {
  if (el.empty()) {
    // An endpoint not drawn: draw its neighbourhood first.
    if (id) expand(id);
    return;
  }
  cy.elements().unselect();
  el.select();
  state.sel = { group: el.isNode() ? 'n' : 'e', id: el.id() };
  saveURL();
  showDetails(el);
}

cy.on('tap', 'node, edge', (ev) => select(ev.target));
cy.on('tap', (ev) => {
  if (ev.target === cy) {
    state.sel = null;
    saveURL();
  }
});
cy.on('dbltap', 'node', (ev) => expand(ev.target.id()));
cy.on('free', 'node', () => {}); // positions are the user's to keep

// ---- actions -----------------------------------------------------------

function addRoot(id) {
  if (!state.roots.includes(id)) state.roots.push(id);
  state.removed = state.removed.filter((x) => x !== id);
}

function expand(id) {
  addRoot(id);
  state.sel = { group: 'n', id };
  redraw();
}

function removeNode(id) {
  state.roots = state.roots.filter((x) => x !== id);
  state.pinned = state.pinned.filter((x) => x !== id);
  if (!state.removed.includes(id)) state.removed.push(id);
  if (state.sel && state.sel.id === id) {
    state.sel = null;
    $('details').replaceChildren(h('p', { class: 'hint' }, 'Removed. Select another entity or relationship.'));
  }
  redraw();
}

function togglePin(id) {
  const n = cy.getElementById(id);
  if (state.pinned.includes(id)) {
    state.pinned = state.pinned.filter((x) => x !== id);
    n.unlock();
    n.removeClass('pinned');
  } else {
    state.pinned.push(id);
    n.addClass('pinned');
    n.lock();
  }
  saveURL();
  if (n.nonempty()) showDetails(n, false);
}

const pathPick = { from: null, to: null };

function setPathEnd(end, e) {
  pathPick[end] = e.id;
  const input = $(end === 'from' ? 'path-from' : 'path-to');
  input.value = e.name;
  input.dataset.entityId = e.id;
  if (pathPick.from && pathPick.to) findPath();
}

function findPath() {
  const from = $('path-from').dataset.entityId;
  const to = $('path-to').dataset.entityId;
  if (!from || !to) {
    showError(new Error('pick both ends of the path from the suggestions'));
    return;
  }
  state.path = [from, to];
  state.focus = null;
  redraw();
}

function setFocus(kind, id) {
  state.focus = { kind, id };
  state.path = null;
  state.layout = 'hierarchical';
  syncControls();
  redraw({ relayout: true });
}

function clearHighlight() {
  state.path = null;
  state.focus = null;
  redraw();
}

// ---- export ------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function exportName(ext) {
  const base = state.roots.length ? state.roots.slice(0, 3).join('+') : 'allegiance';
  return `${base}${state.asOf ? `-asof-${state.asOf}` : ''}.${ext}`;
}

$('export-png').addEventListener('click', () => {
  download(cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }), exportName('png'));
});
$('export-svg').addEventListener('click', () => {
  download(new Blob([cy.svg({ full: true, bg: '#ffffff' })], { type: 'image/svg+xml' }), exportName('svg'));
});
$('copy-link').addEventListener('click', async () => {
  saveURL();
  try {
    await navigator.clipboard.writeText(location.href);
    $('status').textContent = 'Link copied: it reproduces this view.';
  } catch {
    $('status').textContent = `Link to this view: ${location.href}`;
  }
});
$('clear').addEventListener('click', () => {
  const keep = { layout: state.layout, hidden: state.hidden, asOf: state.asOf, depth: state.depth, limit: state.limit };
  state = { ...parseState(''), ...keep };
  $('details').replaceChildren(h('p', { class: 'hint' }, 'Search for an entity to start.'));
  redraw();
});

// ---- controls ------------------------------------------------------------

function syncControls() {
  $('asof-on').checked = !!state.asOf;
  if (state.asOf) {
    $('asof-year').value = state.asOf.slice(0, 4);
    $('asof-month').value = state.asOf.slice(5, 7);
  }
  $('asof-label').textContent = state.asOf || 'every date';
  $('asof-year').setAttribute('aria-valuetext', state.asOf ? `as of ${state.asOf}` : `${$('asof-year').value} (not applied)`);
  $('depth').value = String(state.depth);
  $('limit').value = String(state.limit);
  for (const r of document.querySelectorAll('input[name=layout]')) r.checked = r.value === state.layout;
  for (const c of document.querySelectorAll('#legend-edges input')) c.checked = !state.hidden.includes(c.value);
}

function readAsOf() {
  if (!$('asof-on').checked) return null;
  const m = $('asof-month').value;
  return m ? `${$('asof-year').value}-${m}` : $('asof-year').value;
}

let asOfTimer = 0;
function onTimeChange(enable) {
  if (enable) $('asof-on').checked = true;
  state.asOf = readAsOf();
  syncControls();
  // A redraw is due: drop the answers of any redraw in flight, and stay
  // busy until the due one has drawn.
  seq++;
  setBusy(true);
  clearTimeout(asOfTimer);
  asOfTimer = setTimeout(() => redraw(), 200);
}

$('asof-year').max = String(new Date().getFullYear());
$('asof-on').addEventListener('change', () => onTimeChange(false));
$('asof-year').addEventListener('input', () => onTimeChange(true));
$('asof-month').addEventListener('change', () => onTimeChange(true));
$('depth').addEventListener('change', () => {
  state.depth = Number($('depth').value);
  redraw();
});
$('limit').addEventListener('change', () => {
  const v = Number.parseInt($('limit').value, 10);
  state.limit = Number.isFinite(v) ? Math.min(5000, Math.max(1, v)) : 500;
  redraw();
});
for (const r of document.querySelectorAll('input[name=layout]')) {
  r.addEventListener('change', () => {
    state.layout = r.value;
    saveURL();
    runLayout();
  });
}
$('relayout').addEventListener('click', () => runLayout(true));
$('fit').addEventListener('click', () => cy.fit(undefined, 30));
$('path-find').addEventListener('click', findPath);
$('highlight-clear').addEventListener('click', clearHighlight);
$('types-all').addEventListener('click', () => {
  state.hidden = [];
  syncControls();
  redraw();
});

function buildLegend() {
  $('legend-nodes').replaceChildren(
    ...Object.entries(KINDS).map(([kind, k]) => h('li', {},
      h('span', { class: `swatch kind-${kind.toLowerCase()}`, 'aria-hidden': 'true' }),
      `${k.label}: ${kind === 'PERSON' ? 'ellipse, single border' : 'hexagon, double border'}`)),
    h('li', {}, h('span', { class: 'swatch root', 'aria-hidden': 'true' }), 'Expanded entity: larger, bold name'),
    h('li', {}, h('span', { class: 'swatch pinned', 'aria-hidden': 'true' }), 'Pinned: dashed outline'),
    h('li', {}, h('span', { class: 'swatch hl', 'aria-hidden': 'true' }), 'On the path, chain or lineage: halo; the rest fades'),
    h('li', {}, 'Hedged fact: fainter line, the hedge in its label (e.g. “reportedly”)'));
  $('legend-edges').replaceChildren(...REL_TYPES.map((r) => {
    const label = h('label', { class: 'inline' },
      h('input', {
        type: 'checkbox', value: r.type, checked: !state.hidden.includes(r.type),
        onchange: (ev) => {
          state.hidden = ev.target.checked ? state.hidden.filter((t) => t !== r.type) : [...state.hidden, r.type];
          redraw();
        },
      }),
      h('span', { class: 'sample', 'aria-hidden': 'true' }),
      h('span', {}, r.label),
      h('span', { class: 'sr-only' }, ` (${r.dash ? 'dashed' : 'solid'} line, ${r.arrow} end)`));
    label.querySelector('.sample').innerHTML = edgeSampleSVG(r); // our own constant markup
    return h('li', { dataset: { type: r.type } }, label);
  }));
}

function renderEntityList() {
  const n = cy.nodes().length;
  $('entity-count').textContent = String(n);
  if (!$('entity-list').open) return;
  const items = cy.nodes().sort((a, b) => a.data('name').localeCompare(b.data('name'))).map((node) => h('li', {},
    h('button', { type: 'button', class: 'link', onclick: () => select(node) },
      `${node.data('name')} (${node.data('kind') === 'PERSON' ? 'person' : 'organization'})`)));
  $('entity-items').replaceChildren(...items);
}
$('entity-list').addEventListener('toggle', renderEntityList);

// ---- search ------------------------------------------------------------

combobox($('search'), {
  onPick: (e) => {
    addRoot(e.id);
    state.sel = { group: 'n', id: e.id };
    redraw();
  },
  onError: showError,
  clearOnPick: true,
});
for (const end of ['from', 'to']) {
  combobox($(`path-${end}`), { onPick: (e) => (pathPick[end] = e.id), onError: showError });
}
bindCredentialField($('credential'), () => redraw());

// ---- start -------------------------------------------------------------

// A hook for the browser tests and for the console: read-only views.
window.allegiance = {
  cy,
  state: () => JSON.parse(JSON.stringify(state)),
  drawCount: () => drawCount,
  lastDraw: null,
};

buildLegend();
syncControls();
if (state.path) {
  $('path-from').dataset.entityId = state.path[0];
  $('path-to').dataset.entityId = state.path[1];
  $('path-from').value = state.path[0];
  $('path-to').value = state.path[1];
}
setBusy(false);
redraw({ relayout: true });
