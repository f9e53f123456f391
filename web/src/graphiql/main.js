// GraphiQL 5, served offline: Monaco's workers are bundled by Vite
// (graphiql/setup-workers/vite) and its fonts are inlined in its CSS. The
// tabs open with the README's example queries.

import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/react/font/roboto.css';
import '@graphiql/react/font/fira-code.css';
import './graphiql.css';

import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import examples from 'virtual:readme-examples';

import { authHeaders, bindCredentialField } from '../auth.js';

/** Posts a GraphQL request to /graphql with the session credential. */
async function fetcher(params, opts = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      ...(opts.headers || {}),
      ...authHeaders(),
    },
    body: JSON.stringify(params),
  });
  return res.json();
}

bindCredentialField(document.getElementById('credential'));

/** An operation name from a title: its first five words, capitalized. */
function operationName(title) {
  const words = title.replace(/[^A-Za-z0-9 ]/g, '').split(/\s+/).filter(Boolean).slice(0, 5);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Example';
}

// Each README example in its own tab, named after its question.
const tabs = examples.map((e) => {
  const q = e.query.startsWith('{') ? `query ${operationName(e.title)} ${e.query}` : e.query;
  return { query: `# ${e.title}\n${q}\n` };
});

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: tabs,
    defaultQuery: tabs.length ? tabs[0].query : '{ stats { entities relationships } }\n',
    defaultEditorToolsVisibility: false,
  }),
);
