"""Reads an Allegiance export with networkx and checks its size.

    check_networkx.py FILE FORMAT NODES EDGES

FORMAT is graphml or gexf. Exits 0 when networkx reads FILE and finds
NODES nodes and EDGES edges; otherwise prints why to stderr and exits 1.
Run by export/thirdparty_test.go with the venv that setup.sh makes.
"""

import sys

import networkx as nx


def fail(msg):
    print(f"check_networkx: {msg}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) != 5:
        fail("usage: check_networkx.py FILE FORMAT NODES EDGES")
    path, fmt = argv[1], argv[2]
    try:
        want_nodes, want_edges = int(argv[3]), int(argv[4])
    except ValueError:
        fail(f"NODES and EDGES must be integers, got {argv[3]!r} {argv[4]!r}")
    try:
        if fmt == "graphml":
            g = nx.read_graphml(path)
        elif fmt == "gexf":
            # networkx reads GEXF 1.2draft unless told the version.
            g = nx.read_gexf(path, version="1.3")
        else:
            fail(f"unknown format {fmt!r}: want graphml or gexf")
    except Exception as e:  # any parse error is a failed check
        fail(f"networkx {nx.__version__} could not read {path} as {fmt}: {type(e).__name__}: {e}")
    if not g.is_directed():
        fail(f"{fmt}: got an undirected graph, want a directed one")
    nodes, edges = g.number_of_nodes(), g.number_of_edges()
    if nodes != want_nodes or edges != want_edges:
        fail(f"{fmt} {path}: got {nodes} nodes and {edges} edges, want {want_nodes} and {want_edges}")
    # Symmetric relationships carry undirected=true; at least the attribute
    # must have come through typed as a boolean.
    for u, v, data in g.edges(data=True):
        if not isinstance(data.get("undirected"), bool):
            fail(f"{fmt}: edge {u}->{v} has undirected={data.get('undirected')!r}, want a boolean")
        if "relType" not in data:
            fail(f"{fmt}: edge {u}->{v} has no relType")
    if fmt == "gexf" and g.graph.get("mode") != "dynamic":
        fail(f"gexf: got mode {g.graph.get('mode')!r}, want 'dynamic'")
    print(f"check_networkx: {fmt} ok: {nodes} nodes, {edges} edges (networkx {nx.__version__})")


if __name__ == "__main__":
    main(sys.argv)
