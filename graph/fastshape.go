package graph

import (
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// fastShape is a compiled selection of a Subgraph or a Path: the fields to
// write, in order, each under its response key.
type fastShape struct {
	fields []fastField
}

// fastField is one selected field: its kind, its response key as written
// (quoted, with its colon), and the selections of nodes, from and to (per
// concrete entity type) and of edges.
type fastField struct {
	kind    fieldKind
	keyJSON string
	person  []fastField // nodes, from, to: the fields a Person gets
	org     []fastField // the fields an Organization gets
	edge    []fastField // edges
}

// fieldKind is a field the fast path writes. The writers switch on it
// rather than on the field's name, which would compare strings for every
// field of every node and edge.
type fieldKind uint8

// The fields the fast path writes; the zero kind is none.
const (
	fieldTypename fieldKind = iota + 1
	fieldNodes
	fieldEdges
	fieldTruncated
	fieldLength
	fieldID
	fieldName
	fieldEntityKind // Entity.kind
	fieldDescription
	fieldAliases
	fieldType
	fieldSince
	fieldUntil
	fieldRole
	fieldQualifier
	fieldEvidence
	fieldNote
	fieldFrom
	fieldTo
)

// The fields the fast path writes, by type.
var (
	subgraphFields = map[string]fieldKind{"__typename": fieldTypename, "nodes": fieldNodes, "edges": fieldEdges,
		"truncated": fieldTruncated}
	pathFields = map[string]fieldKind{"__typename": fieldTypename, "nodes": fieldNodes, "edges": fieldEdges,
		"length": fieldLength}
	entityFields = map[string]fieldKind{"__typename": fieldTypename, "id": fieldID, "name": fieldName,
		"kind": fieldEntityKind, "description": fieldDescription, "aliases": fieldAliases}
	edgeFields = map[string]fieldKind{"__typename": fieldTypename, "id": fieldID, "type": fieldType,
		"since": fieldSince, "until": fieldUntil, "role": fieldRole, "qualifier": fieldQualifier,
		"evidence": fieldEvidence, "note": fieldNote, "from": fieldFrom, "to": fieldTo}
)

// newFastField returns f as written under its response key, or false when
// allowed does not hold it or it takes arguments.
func newFastField(f graphql.CollectedField, allowed map[string]fieldKind) (fastField, bool) {
	kind := allowed[f.Name]
	if kind == 0 || len(f.Arguments) > 0 {
		return fastField{}, false
	}
	return fastField{kind: kind, keyJSON: strconv.Quote(f.Alias) + ":"}, true
}

// compileShape compiles the selection of a Subgraph or Path; nil when a
// field is not one the fast path writes.
func compileShape(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) *fastShape {
	allowed := subgraphFields
	if typ == "Path" {
		allowed = pathFields
	}
	var s fastShape
	for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
		ff, ok := newFastField(f, allowed)
		if !ok {
			return nil
		}
		switch ff.kind {
		case fieldNodes:
			if ff.person, ff.org, ok = compileEntity(oc, f.Selections); !ok {
				return nil
			}
		case fieldEdges:
			if ff.edge, ok = compileEdge(oc, f.Selections); !ok {
				return nil
			}
		}
		s.fields = append(s.fields, ff)
	}
	return &s
}

// compileEntity compiles an Entity selection for each concrete type.
func compileEntity(oc *graphql.OperationContext, sel ast.SelectionSet) (person, org []fastField, ok bool) {
	compile := func(implementors []string) ([]fastField, bool) {
		var out []fastField
		for _, f := range graphql.CollectFields(oc, sel, implementors) {
			ff, ok := newFastField(f, entityFields)
			if !ok {
				return nil, false
			}
			out = append(out, ff)
		}
		return out, true
	}
	var okP, okO bool
	person, okP = compile([]string{"Person", "Entity"})
	org, okO = compile([]string{"Organization", "Entity"})
	return person, org, okP && okO
}

// compileEdge compiles a Relationship selection.
func compileEdge(oc *graphql.OperationContext, sel ast.SelectionSet) ([]fastField, bool) {
	var out []fastField
	for _, f := range graphql.CollectFields(oc, sel, []string{"Relationship"}) {
		ff, ok := newFastField(f, edgeFields)
		if !ok {
			return nil, false
		}
		if ff.kind == fieldFrom || ff.kind == fieldTo {
			if ff.person, ff.org, ok = compileEntity(oc, f.Selections); !ok {
				return nil, false
			}
		}
		out = append(out, ff)
	}
	return out, true
}
