// How the explorer draws entities and relationships. Every relationship
// type differs from every other in at least two ways besides colour (line
// pattern, width, arrow head) and carries a text label, so the picture reads
// without colour; the legend is drawn from the same table.

/** Relationship types in contract order, with their drawing. */
export const REL_TYPES = [
  { type: 'MEMBER_OF', label: 'member of', color: '#3b5f8f', dash: null, width: 2, arrow: 'triangle' },
  { type: 'LEADER_OF', label: 'leader of', color: '#7d1a38', dash: null, width: 4.5, arrow: 'vee' },
  { type: 'FOUNDED', label: 'founded', color: '#2e6b31', dash: null, width: 3, arrow: 'diamond' },
  { type: 'PLEDGED_ALLEGIANCE_TO', label: 'pledged allegiance to', color: '#b3261e', dash: [10, 3], width: 3.5, arrow: 'triangle-tee' },
  { type: 'AFFILIATE_OF', label: 'affiliate of', color: '#b34710', dash: [7, 3, 2, 3], width: 2.5, arrow: 'triangle-backcurve' },
  { type: 'PART_OF', label: 'part of', color: '#5d4037', dash: null, width: 1.5, arrow: 'square' },
  { type: 'MERGED_INTO', label: 'merged into', color: '#5e2590', dash: null, width: 5, arrow: 'chevron' },
  { type: 'RENAMED_TO', label: 'renamed to', color: '#5e2590', dash: [2, 3], width: 3.5, arrow: 'chevron' },
  { type: 'SPLIT_FROM', label: 'split from', color: '#9c1458', dash: [12, 3, 2, 3, 2, 3], width: 3, arrow: 'triangle-cross' },
  { type: 'ALLIED_WITH', label: 'allied with', color: '#00695c', dash: null, width: 3, arrow: 'circle', both: true },
  { type: 'RIVAL_OF', label: 'rival of', color: '#a31515', dash: [4, 2], width: 3, arrow: 'tee', both: true },
  { type: 'SUPPORTED', label: 'supported', color: '#1558a8', dash: [8, 4], width: 2, arrow: 'triangle' },
  { type: 'NEGOTIATED_WITH', label: 'negotiated with', color: '#455a64', dash: [1, 3], width: 2.5, arrow: 'vee' },
  { type: 'MET_WITH', label: 'met with', color: '#263238', dash: [1, 5], width: 3.5, arrow: 'circle-triangle' },
  { type: 'EMPLOYED_BY', label: 'employed by', color: '#01579b', dash: [3, 2, 3, 7], width: 2, arrow: 'square' },
  { type: 'OPPOSED', label: 'opposed', color: '#bf4a00', dash: [14, 3], width: 2.5, arrow: 'tee' },
  { type: 'ASSOCIATED_WITH', label: 'associated with', color: '#6d6d6d', dash: [1, 3], width: 1.5, arrow: 'none' },
  { type: 'FAMILY_OF', label: 'family of', color: '#6d4c41', dash: [6, 2, 1, 2, 1, 2], width: 2, arrow: 'diamond', both: true },
];

/** REL_TYPES by type name. */
export const REL_BY_TYPE = Object.fromEntries(REL_TYPES.map((r) => [r.type, r]));

/** How persons and organizations are drawn (shape, fill, border). */
export const KINDS = {
  PERSON: { label: 'Person', shape: 'ellipse', fill: '#dce8f7', border: '#1f4e89', borderStyle: 'solid', borderWidth: 2 },
  ORGANIZATION: { label: 'Organization', shape: 'round-hexagon', fill: '#fbe3c6', border: '#7a4306', borderStyle: 'double', borderWidth: 5 },
};

/** The Cytoscape stylesheet. */
export function stylesheet() {
  const s = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': 'system-ui, sans-serif',
        'font-size': 11,
        'min-zoomed-font-size': 7,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': 120,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
        'text-background-padding': 1,
        color: '#111',
        width: 30,
        height: 30,
      },
    },
  ];
  for (const [kind, k] of Object.entries(KINDS)) {
    s.push({
      selector: `node[kind = "${kind}"]`,
      style: {
        shape: k.shape,
        'background-color': k.fill,
        'border-color': k.border,
        'border-style': k.borderStyle,
        'border-width': k.borderWidth,
      },
    });
  }
  s.push(
    { selector: 'node[kind = "ORGANIZATION"]', style: { width: 36, height: 32 } },
    { selector: 'node.root', style: { 'font-weight': 'bold', width: 40, height: 40 } },
    { selector: 'node[kind = "ORGANIZATION"].root', style: { width: 46, height: 40 } },
    {
      selector: 'node.pinned',
      style: { 'outline-width': 3, 'outline-color': '#111', 'outline-style': 'dashed', 'outline-offset': 3 },
    },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        'arrow-scale': 1.2,
        label: 'data(label)',
        'font-size': 9,
        'min-zoomed-font-size': 9,
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 1,
        color: '#222',
      },
    },
  );
  for (const r of REL_TYPES) {
    const style = {
      'line-color': r.color,
      'target-arrow-color': r.color,
      'source-arrow-color': r.color,
      'target-arrow-shape': r.arrow,
      width: r.width,
      'line-style': r.dash ? 'dashed' : 'solid',
    };
    if (r.dash) style['line-dash-pattern'] = r.dash;
    if (r.both) style['source-arrow-shape'] = r.arrow;
    s.push({ selector: `edge[type = "${r.type}"]`, style });
  }
  s.push(
    // A hedged fact (reportedly, allegedly, …) is drawn fainter; its label
    // names the hedge.
    { selector: 'edge[?qualifier]', style: { opacity: 0.65 } },
    { selector: '.dim', style: { opacity: 0.15, 'text-opacity': 0.3 } },
    {
      selector: 'node.hl',
      style: { 'underlay-color': '#ffb300', 'underlay-opacity': 0.55, 'underlay-padding': 9, 'underlay-shape': 'ellipse', 'z-index': 20 },
    },
    {
      selector: 'edge.hl',
      style: { 'underlay-color': '#ffb300', 'underlay-opacity': 0.55, 'underlay-padding': 6, 'z-index': 20, 'font-weight': 'bold' },
    },
    {
      selector: 'node:selected',
      style: { 'overlay-color': '#000', 'overlay-opacity': 0.18, 'overlay-padding': 6 },
    },
    {
      selector: 'edge:selected',
      style: { 'overlay-color': '#000', 'overlay-opacity': 0.18, 'overlay-padding': 5 },
    },
  );
  return s;
}

/** An inline SVG sample of a relationship type's line, for the legend. */
export function edgeSampleSVG(r) {
  const dash = r.dash ? ` stroke-dasharray="${r.dash.join(' ')}"` : '';
  const head = arrowPath(r.arrow, 52);
  const tail = r.both ? arrowPath(r.arrow, 8, true) : '';
  return `<svg width="60" height="14" viewBox="0 0 60 14" aria-hidden="true" focusable="false">` +
    `<line x1="4" y1="7" x2="50" y2="7" stroke="${r.color}" stroke-width="${Math.min(r.width, 4)}"${dash}/>` +
    `<g fill="${r.color}" stroke="${r.color}">${head}${tail}</g></svg>`;
}

function arrowPath(shape, x, reversed = false) {
  const d = reversed ? -1 : 1;
  const p = (dx, dy) => `${x + d * dx},${7 + dy}`;
  switch (shape) {
    case 'none':
      return '';
    case 'tee':
    case 'triangle-tee':
      return `<rect x="${x - 1}" y="1" width="3" height="12"/>` + (shape === 'triangle-tee' ? `<polygon points="${p(-8, -5)} ${p(-1, 0)} ${p(-8, 5)}"/>` : '');
    case 'circle':
    case 'circle-triangle':
      return `<circle cx="${x - d * 3}" cy="7" r="4"/>`;
    case 'square':
      return `<rect x="${x - 5}" y="2" width="9" height="9"/>`;
    case 'diamond':
      return `<polygon points="${p(-10, 0)} ${p(-4, -5)} ${p(2, 0)} ${p(-4, 5)}"/>`;
    case 'vee':
    case 'chevron':
      return `<polyline points="${p(-8, -6)} ${p(0, 0)} ${p(-8, 6)}" fill="none" stroke-width="2.5"/>`;
    default:
      return `<polygon points="${p(-9, -6)} ${p(1, 0)} ${p(-9, 6)}"/>`;
  }
}
