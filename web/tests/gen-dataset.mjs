// Writes a seeded, synthetic network in the native YAML dataset format
// (data/FORMAT.md), for the explorer's scale test. Same seed, same files.
// Every name says it is synthetic; every fact cites a synthetic source.
//
//   node tests/gen-dataset.mjs OUTDIR [entities=2000] [seed=20240601]
//
// The shape: one root organization; 44 hub organizations AFFILIATE_OF it;
// every other entity tied to one hub (persons MEMBER_OF, organizations
// PART_OF), plus seeded extra ties (MET_WITH, ALLIED_WITH, RIVAL_OF,
// SUPPORTED). Every entity is within two hops of the root, so
// neighborhood(root, depth: 2, limit: N) draws all of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (s) => JSON.stringify(s); // a YAML double-quoted scalar

/** Returns {sources, entities, relationships} as YAML texts, and the root id. */
export function generate(count = 2000, seed = 20240601) {
  const rand = rng(seed);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const year = () => 1990 + Math.floor(rand() * 34);
  const pad = (n) => String(n).padStart(4, '0');

  const sources = [];
  for (let i = 1; i <= 20; i++) {
    sources.push(`  - id: "synthetic-source-${i}"\n    title: ${q(`Synthetic test source ${i}`)}\n    publisher: "Allegiance test generator"\n    published: "${2000 + i}"\n    url: "https://example.invalid/synthetic/${i}"\n`);
  }
  const src = () => `["synthetic-source-${1 + Math.floor(rand() * 20)}"]`;

  const ents = [];
  const hubs = 44;
  const root = 'synthetic-org-0000';
  ents.push({ id: root, kind: 'organization', name: 'Synthetic Root Organization 0000' });
  for (let i = 1; i <= hubs; i++) ents.push({ id: `synthetic-org-${pad(i)}`, kind: 'organization', name: `Synthetic Hub Organization ${pad(i)}` });
  for (let i = ents.length; i < count; i++) {
    const person = rand() < 0.7;
    ents.push(person
      ? { id: `synthetic-person-${pad(i)}`, kind: 'person', name: `Synthetic Person ${pad(i)}` }
      : { id: `synthetic-org-${pad(i)}`, kind: 'organization', name: `Synthetic Organization ${pad(i)}` });
  }
  const entities = ents.map((e) => `  - id: "${e.id}"\n    kind: "${e.kind}"\n    name: ${q(e.name)}\n    aliases: [${q(`${e.name} (alias)`)}]\n    description: "Synthetic entity for the explorer's scale test; not a real ${e.kind}."\n    sources: ${src()}\n`);

  const rels = [];
  let n = 0;
  const rel = (type, from, to, extra = '') => {
    rels.push(`  - id: "synthetic-rel-${++n}"\n    type: "${type}"\n    from: "${from}"\n    to: "${to}"\n${extra}    sources: ${src()}\n`);
  };
  const hubIds = ents.slice(1, hubs + 1).map((e) => e.id);
  for (const h of hubIds) rel('AFFILIATE_OF', h, root, `    since: "${year()}"\n`);
  const members = new Map(hubIds.map((h) => [h, []]));
  for (const e of ents.slice(hubs + 1)) {
    const h = pick(hubIds);
    members.get(h).push(e);
    rel(e.kind === 'person' ? 'MEMBER_OF' : 'PART_OF', e.id, h, rand() < 0.5 ? `    since: "${year()}"\n` : '');
  }
  const extras = Math.floor(count / 2);
  for (let i = 0; i < extras; i++) {
    const group = members.get(pick(hubIds));
    if (group.length < 2) continue;
    const a = pick(group);
    const b = pick(group);
    if (a === b) continue;
    if (a.kind === 'person' && b.kind === 'person') {
      const y = year();
      rel('MET_WITH', a.id, b.id, `    since: "${y}"\n    until: "${y + Math.floor(rand() * 3)}"\n`);
    }
    else if (a.kind === 'organization' && b.kind === 'organization') rel(rand() < 0.5 ? 'ALLIED_WITH' : 'RIVAL_OF', a.id, b.id);
    else rel('SUPPORTED', a.id, b.id, rand() < 0.3 ? '    qualifier: "reportedly"\n' : '');
  }
  const head = '# Synthetic test data from web/tests/gen-dataset.mjs: not real people or groups.\n';
  return {
    root,
    files: {
      'sources.yaml': `${head}sources:\n${sources.join('\n')}`,
      'entities.yaml': `${head}entities:\n${entities.join('\n')}`,
      'relationships.yaml': `${head}relationships:\n${rels.join('\n')}`,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, count = '2000', seed = '20240601'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node tests/gen-dataset.mjs OUTDIR [entities] [seed]');
    process.exit(2);
  }
  const { files, root } = generate(Number(count), Number(seed));
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  console.log(root);
}
