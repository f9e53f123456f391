// An entity picker: a text field that suggests entities as you type (names
// and aliases), following the WAI-ARIA combobox pattern. Arrow keys move
// through the suggestions, Enter picks one, Escape closes the list.

import { search } from './api.js';

let uid = 0;

function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The alias that best explains why an entity matched text, if not its name. */
function matchedAlias(entity, text) {
  const t = fold(text.trim());
  if (!t || fold(entity.name).includes(t)) return null;
  return entity.aliases.find((a) => fold(a).includes(t)) || null;
}

/**
 * Makes input a combobox. onPick(entity) is called with {id, kind, name}
 * when a suggestion is chosen; onError(err) when a search fails.
 */
export function combobox(input, { onPick, onError = () => {}, clearOnPick = false }) {
  const id = `suggest-${++uid}`;
  const list = document.createElement('ul');
  list.id = id;
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', `Suggestions for ${input.getAttribute('aria-label') || 'search'}`);
  list.hidden = true;
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id);
  input.autocomplete = 'off';

  let hits = [];
  let active = -1;
  let timer = 0;
  let seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function render() {
    list.replaceChildren();
    hits.forEach((h, i) => {
      const e = h.entity;
      const li = document.createElement('li');
      li.id = `${id}-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', i === active ? 'true' : 'false');
      li.dataset.id = e.id;
      const kind = document.createElement('span');
      kind.className = `kind kind-${e.kind.toLowerCase()}`;
      kind.textContent = e.kind === 'PERSON' ? 'Person' : 'Org.';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = e.name;
      li.append(kind, name);
      const alias = matchedAlias(e, input.value);
      if (alias) {
        const a = document.createElement('span');
        a.className = 'alias';
        a.textContent = `a.k.a. ${alias}`;
        li.append(a);
      }
      li.addEventListener('mousedown', (ev) => ev.preventDefault());
      li.addEventListener('click', () => pick(i));
      list.append(li);
    });
    if (!hits.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'No entity matches.';
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', `${id}-${active}`);
      list.children[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function pick(i) {
    const e = hits[i];
    if (!e) return;
    close();
    input.value = clearOnPick ? '' : e.entity.name;
    input.dataset.entityId = e.entity.id;
    onPick(e.entity);
  }

  async function suggest() {
    const text = input.value.trim();
    const mine = ++seq;
    if (!text) {
      hits = [];
      close();
      return;
    }
    try {
      const found = await search(text, 8);
      if (mine !== seq) return; // a later keystroke has asked again
      hits = found;
      active = -1;
      render();
    } catch (err) {
      if (mine === seq) onError(err);
    }
  }

  input.addEventListener('input', () => {
    delete input.dataset.entityId;
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (list.hidden) {
        if (hits.length) render();
        return;
      }
      ev.preventDefault();
      if (!hits.length) return;
      const n = hits.length;
      active = ev.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n;
      render();
    } else if (ev.key === 'Enter') {
      if (!list.hidden && hits.length) {
        ev.preventDefault();
        pick(active >= 0 ? active : 0);
      }
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return { close };
}
