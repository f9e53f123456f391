// The explorer's view state and its URL form, so that a link reproduces the
// view: ?roots=a,b&asOf=2012&hide=MET_WITH&layout=hierarchical&path=a,b
// &focus=chains:a&sel=n:a&depth=1&limit=500

/** The default view state. */
export function emptyState() {
  return {
    roots: [], // entities whose neighbourhood is drawn, in the order picked
    removed: [], // entities the user removed from the picture
    pinned: [], // entities locked in place
    asOf: null, // "2012" or "2012-06", or null for every date
    hidden: [], // relationship types filtered out
    layout: 'force', // force or hierarchical
    depth: 1,
    limit: 500,
    path: null, // [from, to]
    focus: null, // { kind: 'chains' | 'lineage', id }
    sel: null, // { group: 'n' | 'e', id }
  };
}

const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
const DATE = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

function int(v, def, min, max) {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= min && n <= max ? n : def;
}

/** Reads a state from a query string. Malformed parts take their defaults. */
export function parseState(search) {
  const q = new URLSearchParams(search);
  const s = emptyState();
  s.roots = list(q.get('roots'));
  s.removed = list(q.get('removed'));
  s.pinned = list(q.get('pinned'));
  const asOf = q.get('asOf');
  if (asOf && DATE.test(asOf)) s.asOf = asOf;
  s.hidden = list(q.get('hide'));
  if (q.get('layout') === 'hierarchical') s.layout = 'hierarchical';
  s.depth = int(q.get('depth'), 1, 1, 4);
  s.limit = int(q.get('limit'), 500, 1, 5000);
  const path = list(q.get('path'));
  if (path.length === 2) s.path = path;
  const focus = q.get('focus');
  if (focus) {
    const [kind, id] = focus.split(':');
    if ((kind === 'chains' || kind === 'lineage') && id) s.focus = { kind, id };
  }
  const sel = q.get('sel');
  if (sel) {
    const i = sel.indexOf(':');
    const group = sel.slice(0, i);
    if ((group === 'n' || group === 'e') && i > 0) s.sel = { group, id: sel.slice(i + 1) };
  }
  return s;
}

/** Writes a state as a query string (without "?"), leaving defaults out. */
export function formatState(s) {
  const q = [];
  const add = (k, v) => q.push(`${k}=${v}`);
  const enc = (a) => a.map(encodeURIComponent).join(',');
  if (s.roots.length) add('roots', enc(s.roots));
  if (s.asOf) add('asOf', s.asOf);
  if (s.hidden.length) add('hide', enc(s.hidden));
  if (s.removed.length) add('removed', enc(s.removed));
  if (s.pinned.length) add('pinned', enc(s.pinned));
  if (s.layout !== 'force') add('layout', s.layout);
  if (s.depth !== 1) add('depth', s.depth);
  if (s.limit !== 500) add('limit', s.limit);
  if (s.path) add('path', enc(s.path));
  if (s.focus) add('focus', `${s.focus.kind}:${encodeURIComponent(s.focus.id)}`);
  if (s.sel) add('sel', `${s.sel.group}:${encodeURIComponent(s.sel.id)}`);
  return q.join('&');
}
