// The details panel: everything known about the selected entity or
// relationship, with every source as a clickable citation.

import { h } from './dom.js';
import { REL_BY_TYPE } from './styles.js';

/** A citation: title (linked when there is a URL), publisher, author, date. */
export function citation(s) {
  const title = s.url
    ? h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title)
    : s.title;
  const rest = [s.publisher, s.author, s.published].filter(Boolean).join(', ');
  return h('li', { class: 'citation', dataset: { source: s.id } },
    h('cite', {}, title),
    rest ? `, ${rest}` : '',
    s.url ? h('span', { class: 'url' }, ` ${s.url}`) : '');
}

function sources(list, heading = 'Sources') {
  return h('section', { class: 'sources' },
    h('h3', {}, `${heading} (${list.length})`),
    list.length ? h('ol', {}, list.map(citation)) : h('p', {}, 'No source given.'));
}

function row(term, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return null;
  const v = Array.isArray(value) ? value.join('; ') : value;
  return [h('dt', {}, term), h('dd', {}, v)];
}

const KIND = { PERSON: 'Person', ORGANIZATION: 'Organization' };

/**
 * Renders an entity. actions maps button labels to handlers; rels lists the
 * drawn relationships touching the entity, each {id, label}, and onRel opens
 * one.
 */
export function entityPanel(e, { actions, rels, onRel, status }) {
  const dates = e.kind === 'PERSON'
    ? [row('Born', e.born), row('Died', e.died), row('Nationality', e.nationality), row('Positions', e.positions)]
    : [row('Founded', e.founded), row('Dissolved', e.dissolved), row('Types', e.types), row('Ideologies', e.ideologies), row('Areas of operation', e.areas)];
  return h('article', { class: 'panel', 'aria-labelledby': 'panel-title' },
    h('h2', { id: 'panel-title' }, e.name),
    h('p', { class: `badge kind-${e.kind.toLowerCase()}` }, KIND[e.kind], status ? ` · ${status}` : ''),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions on this entity' },
      actions.map(([label, fn, pressed]) => h('button', { type: 'button', onclick: fn, 'aria-pressed': pressed === undefined ? null : String(pressed) }, label))),
    e.description ? h('p', { class: 'description' }, e.description) : null,
    h('dl', {},
      row('Aliases', e.aliases),
      row('Weak aliases', e.weakAliases),
      row('Previous names', e.previousNames),
      row('Original script', e.originalScriptNames),
      dates,
      row('Countries', e.countries),
      row('Identifiers', (e.identifiers || []).map((i) => `${i.scheme}: ${i.value}`))),
    h('section', { class: 'designations' },
      h('h3', {}, `Designations (${e.designations.length})`),
      e.designations.length
        ? h('ul', {}, e.designations.map((d) => h('li', {},
          h('strong', {}, d.authority),
          d.program ? `: ${d.program}` : '',
          d.reference ? ` (${d.reference})` : '',
          d.listedOn ? `, listed ${d.listedOn}` : '',
          d.until ? `, until ${d.until}` : '',
          d.sources.length ? h('ol', { class: 'nested' }, d.sources.map(citation)) : null)))
        : h('p', {}, 'None recorded.')),
    h('section', { class: 'rels' },
      h('h3', {}, `Relationships in the picture (${rels.length})`),
      rels.length
        ? h('ul', {}, rels.map((r) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => onRel(r.id) }, r.label))))
        : h('p', {}, 'None drawn.')),
    sources(e.sources));
}

/** A relationship's period in words. */
export function period(r) {
  if (r.since && r.until && r.since === r.until) return `on ${r.since}`;
  if (r.since && r.until) return `${r.since} to ${r.until}`;
  if (r.since) return `since ${r.since}, still in force`;
  if (r.until) return `until ${r.until}`;
  return 'no dates given';
}

/** Renders a relationship; onEntity(id) opens an endpoint. */
export function relationshipPanel(r, { onEntity }) {
  const t = REL_BY_TYPE[r.type];
  const end = (e) => h('button', { type: 'button', class: 'link', onclick: () => onEntity(e.id) }, e.name);
  return h('article', { class: 'panel', 'aria-labelledby': 'panel-title' },
    h('h2', { id: 'panel-title' }, `${r.from.name} ${t ? t.label : r.type} ${r.to.name}`),
    h('p', { class: 'badge' }, r.type),
    r.qualifier
      ? h('p', { class: 'hedge' }, h('strong', {}, 'Hedge: '), `the source says this ${r.qualifier === 'claimed' ? 'was claimed' : `is ${r.qualifier}`} (${r.qualifier}).`)
      : h('p', { class: 'plain' }, 'Stated plainly by the sources (no hedge).'),
    h('dl', {},
      [h('dt', {}, 'From'), h('dd', {}, end(r.from))],
      [h('dt', {}, 'To'), h('dd', {}, end(r.to))],
      row('Role', r.role),
      row('Period', period(r)),
      row('Since', r.since),
      row('Until', r.until || (r.since ? 'still in force' : null)),
      row('Qualifier', r.qualifier),
      row('Note', r.note)),
    r.evidence ? h('figure', { class: 'evidence' }, h('blockquote', {}, r.evidence), h('figcaption', {}, 'Evidence, quoted from the source')) : null,
    sources(r.sources));
}
