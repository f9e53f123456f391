// Builds the explorer (index.html) and GraphiQL (graphiql.html) into dist/,
// which the Go package embeds. Everything the pages load is bundled: no CDN.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * The README's example queries, for GraphiQL's tabs: each ```graphql block
 * of the "Example queries" section, titled by the bold words before it.
 */
export function readmeExamples(readme) {
  const start = readme.indexOf('## Example queries');
  if (start < 0) throw new Error('README.md has no "## Example queries" section');
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const out = [];
  const re = /```graphql\n([\s\S]*?)```/g;
  let m;
  while ((m = re.exec(section))) {
    const before = section.slice(0, m.index);
    const bold = [...before.matchAll(/\*\*([^*]+)\*\*/g)].pop();
    out.push({ title: bold ? bold[1] : `Example ${out.length + 1}`, query: m[1].trim() });
  }
  if (!out.length) throw new Error('README.md has no ```graphql example in "## Example queries"');
  return out;
}

function readmeExamplesPlugin() {
  const id = 'virtual:readme-examples';
  const file = resolve(here, '../README.md');
  return {
    name: 'readme-examples',
    resolveId: (s) => (s === id ? `\0${id}` : null),
    load(s) {
      if (s !== `\0${id}`) return null;
      this.addWatchFile(file);
      return `export default ${JSON.stringify(readmeExamples(readFileSync(file, 'utf8')))};`;
    },
  };
}

// go:embed needs dist/ to exist in a clean clone, so a committed .gitkeep
// lives there; the build empties dist/ and puts it back.
function keepFile() {
  return {
    name: 'keep-dist-gitkeep',
    closeBundle() {
      writeFileSync(resolve(here, 'dist/.gitkeep'), '');
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [readmeExamplesPlugin(), keepFile()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      // React libraries mark modules "use client", which means nothing in a
      // plain bundle; the bundler warns about each one.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: {
        index: resolve(here, 'index.html'),
        graphiql: resolve(here, 'graphiql.html'),
      },
    },
  },
});
