// The explorer's GraphQL client: every query it sends, to /graphql on the
// page's own origin, with the session credential.

import { authHeaders } from '../auth.js';

/** An error from the API, with its extensions.code when it has one. */
export class APIError extends Error {
  constructor(message, code, status) {
    super(message);
    this.name = 'APIError';
    this.code = code;
    this.status = status;
  }
}

/** Sends one GraphQL request and returns its data, or throws APIError. */
export async function gql(query, variables = {}) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
        ...authHeaders(),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new APIError(`the server did not answer (${err.message})`, 'UNAVAILABLE', 0);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`the server answered HTTP ${res.status} without JSON`, 'INTERNAL', res.status);
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    let msg = e.message;
    if (res.status === 401) msg = 'the server needs a credential: enter an API key or token above';
    if (res.status === 403) msg = 'this credential may not read the network';
    throw new APIError(msg, e.extensions && e.extensions.code, res.status);
  }
  return body.data;
}

const NODE = 'id kind name';
const EDGE = 'id type from { id } to { id } since until qualifier';
const SUBGRAPH = `nodes { ${NODE} } edges { ${EDGE} } truncated`;
const SOURCE = 'id title publisher author published url';

/** Up to limit search hits for text. */
export async function search(text, limit = 8) {
  const d = await gql(
    `query Suggest($q: String!, $limit: Int) {
      search(query: $q, limit: $limit) { score entity { id kind name aliases } }
    }`,
    { q: text, limit },
  );
  return d.search;
}

/** The neighbourhood subgraph of id. */
export async function neighborhood(id, { depth = 1, limit = 500, asOf = null, types = null } = {}) {
  const d = await gql(
    `query Neighborhood($id: ID!, $depth: Int, $limit: Int, $asOf: PartialDate, $types: [RelationshipType!]) {
      neighborhood(id: $id, depth: $depth, limit: $limit, asOf: $asOf, types: $types) { ${SUBGRAPH} }
    }`,
    { id, depth, limit, asOf, types },
  );
  return d.neighborhood;
}

/** The shortest path between two entities, or null. */
export async function shortestPath(from, to, { asOf = null, types = null } = {}) {
  const d = await gql(
    `query Path($from: ID!, $to: ID!, $asOf: PartialDate, $types: [RelationshipType!]) {
      shortestPath(from: $from, to: $to, asOf: $asOf, types: $types, maxDepth: 10) {
        length nodes { ${NODE} } edges { ${EDGE} }
      }
    }`,
    { from, to, asOf, types },
  );
  return d.shortestPath;
}

/** Every allegiance chain from id. */
export async function allegianceChains(id, { asOf = null } = {}) {
  const d = await gql(
    `query Chains($id: ID!, $asOf: PartialDate) {
      allegianceChains(from: $id, asOf: $asOf) { length nodes { ${NODE} } edges { ${EDGE} } }
    }`,
    { id, asOf },
  );
  return d.allegianceChains;
}

/** The lineage (predecessors and successors) of id. */
export async function lineage(id, { asOf = null } = {}) {
  const d = await gql(
    `query Lineage($id: ID!, $asOf: PartialDate) {
      lineage(id: $id, direction: BOTH, asOf: $asOf) { ${SUBGRAPH} }
    }`,
    { id, asOf },
  );
  return d.lineage;
}

/** Everything the details panel shows about an entity. */
export async function entityDetails(id) {
  const d = await gql(
    `query Entity($id: ID!) {
      entity(id: $id) {
        id kind name aliases weakAliases previousNames originalScriptNames description countries
        identifiers { scheme value }
        sources { ${SOURCE} }
        designations { id authority program reference listedOn until sources { ${SOURCE} } }
        ... on Person { born died nationality positions }
        ... on Organization { founded dissolved types ideologies areas }
      }
    }`,
    { id },
  );
  return d.entity;
}

/**
 * Everything the details panel shows about a relationship. The API has no
 * relationship(id) query, so it reads the relationships of the edge's
 * source entity, of the edge's type, and picks the one.
 */
export async function relationshipDetails(edge) {
  const d = await gql(
    `query Relationship($from: ID!, $types: [RelationshipType!]) {
      entity(id: $from) {
        relationships(types: $types, direction: BOTH) {
          id type role since until qualifier evidence note
          from { id name kind } to { id name kind }
          sources { ${SOURCE} }
        }
      }
    }`,
    { from: edge.from, types: [edge.type] },
  );
  if (!d.entity) return null;
  return d.entity.relationships.find((r) => r.id === edge.id) || null;
}
