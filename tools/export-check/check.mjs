// Loads an Allegiance export with the real JavaScript library and checks it.
//
//   node check.mjs FILE FORMAT NODES EDGES
//
// FORMAT is cytoscape (loaded with cytoscape({headless: true, elements})) or
// graphology (Graph.from). Checks the node and edge counts; for graphology
// also that no node or edge attribute is named "type" (sigma.js reserves it)
// and that the x/y layout is not all one point. Exits 1 with a message on
// stderr on any failure. Run by export/thirdparty_test.go after setup.sh.
import { readFileSync } from "node:fs";
import cytoscape from "cytoscape";
import { Graph } from "graphology";

function fail(msg) {
  console.error(`check.mjs: ${msg}`);
  process.exit(1);
}

const [file, format, nodesArg, edgesArg] = process.argv.slice(2);
if (!file || !format || nodesArg === undefined || edgesArg === undefined) {
  fail("usage: node check.mjs FILE FORMAT NODES EDGES");
}
const wantNodes = Number(nodesArg);
const wantEdges = Number(edgesArg);
if (!Number.isInteger(wantNodes) || !Number.isInteger(wantEdges)) {
  fail(`NODES and EDGES must be integers, got ${nodesArg} ${edgesArg}`);
}

let json;
try {
  json = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  fail(`${file} is not JSON: ${e.message}`);
}

function counts(what, nodes, edges) {
  if (nodes !== wantNodes || edges !== wantEdges) {
    fail(`${what} ${file}: got ${nodes} nodes and ${edges} edges, want ${wantNodes} and ${wantEdges}`);
  }
}

if (format === "cytoscape") {
  // Cytoscape.js only warns and skips an edge with a missing endpoint or a
  // duplicate id: the counts catch both. Turn its warnings into failures.
  const warn = console.warn;
  console.warn = (...args) => fail(`cytoscape warned: ${args.join(" ")}`);
  let cy;
  try {
    cy = cytoscape({ headless: true, elements: json.elements });
  } catch (e) {
    fail(`cytoscape could not load ${file}: ${e.message}`);
  }
  console.warn = warn;
  counts("cytoscape", cy.nodes().length, cy.edges().length);
  cy.edges().forEach((e) => {
    if (typeof e.data("relType") !== "string") fail(`edge ${e.id()} has no relType`);
  });
  console.log(`check.mjs: cytoscape ok: ${cy.nodes().length} nodes, ${cy.edges().length} edges`);
} else if (format === "graphology") {
  let graph;
  try {
    graph = Graph.from(json);
  } catch (e) {
    fail(`graphology could not load ${file}: ${e.message}`);
  }
  counts("graphology", graph.order, graph.size);
  if (!graph.multi) fail("graphology: got a simple graph, want a multi graph");
  graph.forEachNode((key, attrs) => {
    if ("type" in attrs) fail(`node ${key} has an attribute named "type" (sigma.js reserves it)`);
    if (!Number.isFinite(attrs.x) || !Number.isFinite(attrs.y)) fail(`node ${key} has no numeric x/y`);
  });
  graph.forEachEdge((key, attrs) => {
    if ("type" in attrs) fail(`edge ${key} has an attribute named "type" (sigma.js reserves it)`);
    if (typeof attrs.relType !== "string") fail(`edge ${key} has no relType`);
  });
  if ("type" in graph.getAttributes()) fail(`the graph has an attribute named "type"`);
  if (graph.order > 1) {
    const xs = new Set(), ys = new Set();
    graph.forEachNode((_, a) => { xs.add(a.x); ys.add(a.y); });
    if (xs.size === 1 && ys.size === 1) fail("every node has the same x and y: no layout");
  }
  console.log(`check.mjs: graphology ok: ${graph.order} nodes, ${graph.size} edges (${graph.type})`);
} else {
  fail(`unknown format ${JSON.stringify(format)}: want cytoscape or graphology`);
}
