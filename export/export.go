package export

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Formats lists the export formats: graphml, gexf, cytoscape, graphology,
// csv, ftm.
var Formats = []string{"graphml", "gexf", "cytoscape", "graphology", "csv", "ftm"}

// Write writes d in format to w. "csv" is written as a zip archive holding
// nodes.csv and relationships.csv (see WriteCSV for the two files apart).
// An unknown format, or a relationship whose endpoint is not among d's
// entities, is EINVALID.
func Write(w io.Writer, format string, d *network.Dataset) error {
	switch format {
	case "graphml":
		return writeGraphFormat(w, d, writeGraphML)
	case "gexf":
		return writeGraphFormat(w, d, writeGEXF)
	case "cytoscape":
		return writeGraphFormat(w, d, writeCytoscape)
	case "graphology":
		return writeGraphFormat(w, d, writeGraphology)
	case "csv":
		return dispatchCSVZip(w, d)
	case "ftm":
		return dispatchFTM(w, d)
	}
	return network.Errorf(network.EINVALID, "unknown export format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// ContentType returns the MIME type and file extension of a format; both
// are empty for an unknown format.
func ContentType(format string) (mime, ext string) {
	switch format {
	case "graphml":
		return "application/graphml+xml", ".graphml"
	case "gexf":
		return "application/gexf+xml", ".gexf"
	case "cytoscape":
		return "application/json", ".cyjs"
	case "graphology":
		return "application/json", ".json"
	case "csv":
		return "application/zip", ".zip"
	case "ftm":
		return "application/x-ndjson", ".ftm.json"
	}
	return "", ""
}

// graphDoc is a dataset prepared for the graph formats: nodes and edges
// sorted by id, with their attribute records.
type graphDoc struct {
	nodes []graphNode
	edges []graphEdge
}

type graphNode struct {
	id, label string
	// start and end bound the entity's lifetime (zero when unknown).
	start, end network.PartialDate
	attrs      attrRecord
}

type graphEdge struct {
	id, source, target, label string
	relType                   string
	undirected                bool
	// since and until bound the edge's period (zero when open).
	since, until network.PartialDate
	attrs        attrRecord
}

// writeGraphFormat prepares d and hands it to one of the graph writers.
func writeGraphFormat(w io.Writer, d *network.Dataset, write func(io.Writer, *graphDoc) error) error {
	g, err := prepareGraph(d)
	if err != nil {
		return err
	}
	return write(w, g)
}

// prepareGraph checks d and builds the sorted nodes and edges with their
// records. It does not change d.
func prepareGraph(d *network.Dataset) (*graphDoc, error) {
	sources := make(map[string]*network.Source, len(d.Sources))
	for i := range d.Sources {
		sources[d.Sources[i].ID] = &d.Sources[i]
	}
	entities := make([]*network.Entity, len(d.Entities))
	for i := range d.Entities {
		entities[i] = &d.Entities[i]
	}
	sort.Slice(entities, func(i, j int) bool { return entities[i].ID < entities[j].ID })
	rels := make([]*network.Relationship, len(d.Relationships))
	for i := range d.Relationships {
		rels[i] = &d.Relationships[i]
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].ID < rels[j].ID })

	g := &graphDoc{nodes: make([]graphNode, len(entities)), edges: make([]graphEdge, len(rels))}
	known := make(map[string]bool, len(entities))
	for i, e := range entities {
		if known[e.ID] {
			return nil, network.Errorf(network.EINVALID, "entity %q appears twice", e.ID)
		}
		known[e.ID] = true
		g.nodes[i] = graphNode{id: e.ID, label: e.Name, start: e.Start(), end: e.End(), attrs: nodeAttrs(e, sources)}
	}
	for i, r := range rels {
		if i > 0 && rels[i-1].ID == r.ID {
			return nil, network.Errorf(network.EINVALID, "relationship %q appears twice", r.ID)
		}
		for _, end := range []string{r.From, r.To} {
			if !known[end] {
				return nil, network.Errorf(network.EINVALID, "relationship %q refers to entity %q, which is not in the export", r.ID, end)
			}
		}
		g.edges[i] = graphEdge{
			id: r.ID, source: r.From, target: r.To, label: edgeLabel(r), relType: string(r.Type),
			undirected: r.Type.Symmetric(), since: r.Since, until: r.Until,
			attrs: edgeAttrs(r, sources),
		}
	}
	return g, nil
}

// edgeLabel is the relationship type, followed by the qualifier in
// brackets when there is one, so a drawing keeps the hedge visible.
func edgeLabel(r *network.Relationship) string {
	if r.Qualifier == "" {
		return string(r.Type)
	}
	return string(r.Type) + " (" + r.Qualifier + ")"
}

// attrType is how an attribute's value is written.
type attrType int

const (
	textAttr   attrType = iota // a string
	listAttr                   // a list of strings: "; "-joined in XML
	objectAttr                 // structured: JSON text in XML
	boolAttr                   // a boolean
)

// attrField is one attribute of the graph formats.
type attrField struct {
	name string
	typ  attrType
}

// nodeAttrFields and edgeAttrFields are the attributes, in the order the XML
// formats declare them. The label is written by each format its own way.
var nodeAttrFields = []attrField{
	{"kind", textAttr},
	{"aliases", listAttr},
	{"previousNames", listAttr},
	{"description", textAttr},
	{"born", textAttr},
	{"died", textAttr},
	{"founded", textAttr},
	{"dissolved", textAttr},
	{"nationality", listAttr},
	{"countries", listAttr},
	{"orgTypes", listAttr},
	{"ideologies", listAttr},
	{"areas", listAttr},
	{"positions", listAttr},
	{"topics", listAttr},
	{"identifiers", objectAttr},
	{"designations", objectAttr},
	{"sourceIds", listAttr},
	{"sources", objectAttr},
}

var edgeAttrFields = []attrField{
	{"relType", textAttr},
	{"role", textAttr},
	{"since", textAttr},
	{"until", textAttr},
	{"qualifier", textAttr},
	{"evidence", textAttr},
	{"note", textAttr},
	{"undirected", boolAttr},
	{"sourceIds", listAttr},
	{"sources", objectAttr},
}

// attrRecord holds a node's or an edge's attribute values by field name:
// string, []string, bool, or a JSON-marshalable structure. Empty values
// are absent.
type attrRecord map[string]any

func (rec attrRecord) text(name, v string) {
	if v != "" {
		rec[name] = v
	}
}

func (rec attrRecord) list(name string, v []string) {
	if len(v) > 0 {
		rec[name] = v
	}
}

// sourceJSON is a cited source as written in an export.
type sourceJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Author    string `json:"author,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url,omitempty"`
}

type designationJSON struct {
	ID        string       `json:"id"`
	Authority string       `json:"authority,omitempty"`
	Program   string       `json:"program,omitempty"`
	Reference string       `json:"reference,omitempty"`
	ListedOn  string       `json:"listedOn,omitempty"`
	Until     string       `json:"until,omitempty"`
	Sources   []sourceJSON `json:"sources,omitempty"`
}

type identifierJSON struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// sourcesJSON resolves ids against the dataset's sources; a source the
// dataset lacks keeps its id alone.
func sourcesJSON(ids []string, sources map[string]*network.Source) []sourceJSON {
	if len(ids) == 0 {
		return nil
	}
	out := make([]sourceJSON, len(ids))
	for i, id := range ids {
		out[i] = sourceJSON{ID: id}
		if s := sources[id]; s != nil {
			out[i] = sourceJSON{ID: id, Title: s.Title, Publisher: s.Publisher, Author: s.Author, Published: s.Published.String(), URL: s.URL}
		}
	}
	return out
}

func nodeAttrs(e *network.Entity, sources map[string]*network.Source) attrRecord {
	rec := attrRecord{}
	rec.text("kind", strings.ToLower(string(e.Kind)))
	rec.list("aliases", e.Aliases)
	rec.list("previousNames", e.PreviousNames)
	rec.text("description", e.Description)
	rec.text("born", e.Born.String())
	rec.text("died", e.Died.String())
	rec.text("founded", e.Founded.String())
	rec.text("dissolved", e.Dissolved.String())
	rec.list("nationality", e.Nationality)
	rec.list("countries", e.Countries)
	rec.list("orgTypes", e.Types)
	rec.list("ideologies", e.Ideologies)
	rec.list("areas", e.Areas)
	rec.list("positions", e.Positions)
	rec.list("topics", e.Topics)
	if len(e.Identifiers) > 0 {
		ids := make([]identifierJSON, len(e.Identifiers))
		for i, id := range e.Identifiers {
			ids[i] = identifierJSON{Scheme: id.Scheme, Value: id.Value}
		}
		rec["identifiers"] = ids
	}
	if len(e.Designations) > 0 {
		ds := make([]designationJSON, len(e.Designations))
		for i, d := range e.Designations {
			ds[i] = designationJSON{
				ID: d.ID, Authority: d.Authority, Program: d.Program, Reference: d.Reference,
				ListedOn: d.ListedOn.String(), Until: d.Until.String(),
				Sources: sourcesJSON(d.SourceIDs, sources),
			}
		}
		rec["designations"] = ds
	}
	rec.list("sourceIds", e.SourceIDs)
	if refs := sourcesJSON(e.SourceIDs, sources); refs != nil {
		rec["sources"] = refs
	}
	return rec
}

func edgeAttrs(r *network.Relationship, sources map[string]*network.Source) attrRecord {
	rec := attrRecord{}
	rec.text("relType", string(r.Type))
	rec.text("role", r.Role)
	rec.text("since", r.Since.String())
	rec.text("until", r.Until.String())
	rec.text("qualifier", r.Qualifier)
	rec.text("evidence", r.Evidence)
	rec.text("note", r.Note)
	rec["undirected"] = r.Type.Symmetric()
	rec.list("sourceIds", r.SourceIDs)
	if refs := sourcesJSON(r.SourceIDs, sources); refs != nil {
		rec["sources"] = refs
	}
	return rec
}

// xmlValue renders an attrRecord value as the XML formats write it: lists
// "; "-joined, structures as JSON text, booleans as true/false.
func xmlValue(f attrField, v any) (string, error) {
	switch f.typ {
	case textAttr:
		return v.(string), nil
	case listAttr:
		return strings.Join(v.([]string), "; "), nil
	case boolAttr:
		return strconv.FormatBool(v.(bool)), nil
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", network.Errorf(network.EINTERNAL, "encoding %s: %v", f.name, err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// xsdStart and xsdEnd turn a partial date into an xsd:date: the first day
// of its period for a start, the last day for an end.
func xsdStart(d network.PartialDate) string { return formatYYYYMMDD(d.First()) }

func xsdEnd(d network.PartialDate) string { return formatYYYYMMDD(d.Last()) }

func formatYYYYMMDD(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 8 {
		s = "0" + s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}
