// Package export writes a network, or part of it, in the formats other tools
// read: GraphML (networkx, yEd, Gephi), GEXF 1.3 (Gephi), Cytoscape.js
// elements JSON, graphology's serialized graph (sigma.js), CSV (spreadsheets,
// Gephi's import) and FollowTheMoney entities (OpenSanctions, Aleph).
//
// The input is always a *network.Dataset: a store's Snapshot or a
// neighbourhood (see Subgraph). Every output is sorted by id, so two exports
// of the same data are byte-identical and can be diffed.
//
// # One attribute set for every graph format
//
// GraphML, GEXF, Cytoscape.js and graphology carry the same attributes. A
// node carries label (the name), kind ("person" or "organization"), aliases,
// previousNames, description, born, died, founded, dissolved, nationality,
// countries, orgTypes, ideologies, areas, positions, topics, identifiers,
// designations, sourceIds and sources. An edge carries label, relType,
// role, since, until, qualifier, evidence, note, undirected, sourceIds and
// sources. No attribute is named "type": sigma.js reserves it for its
// render programs, so the relationship type is relType and the entity kind
// is kind. An absent value is left out rather than written empty.
//
// An edge's label is its relType followed by its qualifier in brackets,
// e.g. "LEADER_OF (claimed)", so that a hedge stays visible on a drawing;
// the qualifier is also an attribute of its own.
//
// Dates are written as the sources give them, as strings: "2011",
// "2011-12" or "2017-03-02".
//
// In the XML formats (GraphML, GEXF) every attribute is a string except
// undirected (boolean). A list of strings (aliases, countries, sourceIds,
// …) is joined with "; ". Structured values are JSON text: sources is a
// JSON array of {"id","title","publisher","author","published","url"}
// objects, one per cited source, so the file stands alone;
// designations is a JSON array of {"id","authority","program","reference",
// "listedOn","until","sources"}; identifiers a JSON array of
// {"scheme","value"}. In the JSON formats (Cytoscape.js, graphology) lists
// are JSON arrays and structured values JSON objects.
//
// # Direction
//
// Every edge is written from the relationship's From to its To. ALLIED_WITH
// and RIVAL_OF read the same both ways (network.RelType.Symmetric): they
// carry undirected=true, every other edge undirected=false. GraphML and
// GEXF declare all edges directed, because networkx refuses a graph that
// mixes directed and undirected edges; graphology's export is a "mixed"
// graph in which the symmetric edges are undirected edges.
//
// # GEXF lifetimes
//
// The GEXF export is dynamic (mode="dynamic", timeformat="date"). A node
// lives from its start (born for a person, founded for an organization) to
// its end (died, dissolved); an edge from since to until. Each is written as
// one <spell>, closed when the data has an end and open otherwise; a node or
// edge with neither date has no spell and exists throughout. A partial date
// becomes an xsd:date: a start is the first day of its period and an end
// the last day, so "2011" starts on 2011-01-01 and ends on 2011-12-31,
// "2012-02" starts on 2012-02-01 and ends on 2012-02-29, and a full date is
// itself.
//
// # Layout
//
// The graphology and Cytoscape.js exports carry positions (x and y
// attributes; Cytoscape's "position") so that sigma.js or Cytoscape's
// preset layout can draw them at once. The layout is deterministic: the
// nodes, sorted by id, start evenly spaced on a circle, and for graphs of
// up to 1000 nodes 60 Fruchterman-Reingold iterations with linear cooling
// and a pull to the centre bring related nodes together, within a square
// 1000 wide centred on the origin. Coordinates are rounded to three
// decimals; larger graphs keep the circle.
//
// # CSV and FollowTheMoney
//
// CSV is two files, nodes.csv and relationships.csv (WriteCSV); Write with
// "csv" writes them as a zip archive of those two files. FollowTheMoney is
// one JSON entity per line (WriteFTM).
package export
