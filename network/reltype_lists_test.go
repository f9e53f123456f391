package network_test

import (
	"fmt"
	goast "go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/network"
)

// network.RelTypes is the one list of relationship types. Other files list
// them again by hand, for tools that cannot import Go; each list must name
// the same types, once each. To add a type, see "How to add a relationship
// type" in README.md. The paths are relative to this package's directory,
// where go test runs.
func TestRelTypeListsAgree(t *testing.T) {
	want := network.TypeNames(nil)
	consts := relTypeConsts(t)
	lists := []struct {
		file, what string
		read       func() ([]string, error)
		inOrder    bool // the list claims contract order
	}{
		{"network/reltype.go", "the RelType constants", func() ([]string, error) { return constValues(consts), nil }, false},
		{"schema.graphqls", "enum RelationshipType", schemaEnum, false},
		{"gqlgen.yml", "models.RelationshipType.enum_values", gqlgenEnumValues(consts), false},
		{"web/src/explorer/styles.js", "REL_TYPES (the edge styles, legend and type filters)", stylesTypes, true},
		{"data/FORMAT.md", "the relationships table's type row", formatTypes, false},
		{"bench/peer/gen-schema.mjs", "const types", peerGenTypes, false},
		{"bench/peer/schema.graphql", "the @relationship fields of Person and Organization", peerSchemaTypes, false},
		{"bench/suite/queries_test.go", "var relTypes", suiteRelTypes, false},
	}
	for _, l := range lists {
		t.Run(l.file, func(t *testing.T) {
			got, err := l.read()
			if err != nil {
				t.Fatalf("%s: %s: %v", l.file, l.what, err)
			}
			if msg := compareTypes(got, want); msg != "" {
				t.Errorf("%s: %s %s: got %v, want %v (network.RelTypes)", l.file, l.what, msg, got, want)
			} else if l.inOrder && !slices.Equal(got, want) {
				t.Errorf("%s: %s is out of contract order: got %v, want %v (network.RelTypes)", l.file, l.what, got, want)
			}
		})
	}
}

// compareTypes says how got differs from want as a set, each type once:
// "lacks X; has Y, which network.RelTypes lacks; names Z twice"; "" when
// they agree.
func compareTypes(got, want []string) string {
	var lacks, extra, twice []string
	count := map[string]int{}
	for _, g := range got {
		count[g]++
		if count[g] == 2 {
			twice = append(twice, g)
		}
		if count[g] == 1 && !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if count[w] == 0 {
			lacks = append(lacks, w)
		}
	}
	var parts []string
	if len(lacks) > 0 {
		parts = append(parts, "lacks "+strings.Join(lacks, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "has "+strings.Join(extra, ", ")+", which network.RelTypes lacks")
	}
	if len(twice) > 0 {
		parts = append(parts, "names "+strings.Join(twice, ", ")+" more than once")
	}
	return strings.Join(parts, "; ")
}

// relTypeConst is a constant of type RelType declared in reltype.go.
type relTypeConst struct{ name, value string }

// relTypeConsts parses reltype.go for its RelType constants, in order, so
// that a constant left out of RelTypes shows, and gqlgen.yml's Go names can
// be checked against the constants' values.
func relTypeConsts(t *testing.T) []relTypeConst {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "reltype.go", nil, 0)
	if err != nil {
		t.Fatalf("parsing reltype.go: %v", err)
	}
	var out []relTypeConst
	for _, d := range f.Decls {
		g, ok := d.(*goast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*goast.ValueSpec)
			if id, ok := v.Type.(*goast.Ident); !ok || id.Name != "RelType" {
				continue
			}
			for i, n := range v.Names {
				lit, ok := v.Values[i].(*goast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("reltype.go: constant %s: got a value that is not a string literal, want one", n.Name)
				}
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, relTypeConst{n.Name, s})
			}
		}
	}
	return out
}

func constValues(cs []relTypeConst) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.value
	}
	return out
}

func readRepo(path string) (string, error) {
	b, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(path)))
	return string(b), err
}

// schemaEnum reads the values of enum RelationshipType in schema.graphqls.
func schemaEnum() ([]string, error) {
	src, err := readRepo("schema.graphqls")
	if err != nil {
		return nil, err
	}
	doc, err := gqlparser.ParseSchema(&ast.Source{Name: "schema.graphqls", Input: src})
	if err != nil {
		return nil, err
	}
	var out []string
	found := false
	for _, d := range append(doc.Definitions, doc.Extensions...) {
		if d.Name != "RelationshipType" {
			continue
		}
		if d.Kind != ast.Enum {
			return nil, fmt.Errorf("got a %s, want an enum", d.Kind)
		}
		found = true
		for _, v := range d.EnumValues {
			out = append(out, v.Name)
		}
	}
	if !found {
		return nil, fmt.Errorf("no such enum")
	}
	return out, nil
}

// gqlgenEnumValues reads the keys of the RelationshipType enum_values in
// gqlgen.yml, and checks that the model is network.RelType and that each
// key maps to the network constant whose value it is.
func gqlgenEnumValues(consts []relTypeConst) func() ([]string, error) {
	return func() ([]string, error) {
		const pkg = "github.com/allegiance/allegiance/network."
		src, err := readRepo("gqlgen.yml")
		if err != nil {
			return nil, err
		}
		var cfg struct {
			Models map[string]struct {
				Model      any       `yaml:"model"`
				EnumValues yaml.Node `yaml:"enum_values"`
			} `yaml:"models"`
		}
		if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
			return nil, err
		}
		m, ok := cfg.Models["RelationshipType"]
		if !ok {
			return nil, fmt.Errorf("no such model")
		}
		if m.Model != pkg+"RelType" {
			return nil, fmt.Errorf("model: got %v, want %s", m.Model, pkg+"RelType")
		}
		if m.EnumValues.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("got no mapping, want one")
		}
		constOf := map[string]string{}
		for _, c := range consts {
			constOf[c.value] = c.name
		}
		var out []string
		var wrong []string
		for i := 0; i+1 < len(m.EnumValues.Content); i += 2 {
			key := m.EnumValues.Content[i].Value
			var v struct {
				Value string `yaml:"value"`
			}
			if err := m.EnumValues.Content[i+1].Decode(&v); err != nil {
				return nil, fmt.Errorf("%s: %v", key, err)
			}
			out = append(out, key)
			if name, ok := constOf[key]; ok && v.Value != pkg+name {
				wrong = append(wrong, fmt.Sprintf("%s: got value %s, want %s", key, v.Value, pkg+name))
			}
		}
		if len(wrong) > 0 {
			return nil, fmt.Errorf("%s", strings.Join(wrong, "; "))
		}
		return out, nil
	}
}

// stylesTypes reads the type of each entry of REL_TYPES in styles.js. The
// explorer's legend, type filters and edge styles all iterate REL_TYPES
// (web/src/explorer/main.js), so this is its one list.
func stylesTypes() ([]string, error) {
	src, err := readRepo("web/src/explorer/styles.js")
	if err != nil {
		return nil, err
	}
	_, rest, ok := strings.Cut(src, "export const REL_TYPES = [")
	if !ok {
		return nil, fmt.Errorf("no REL_TYPES array")
	}
	body, _, ok := strings.Cut(rest, "\n];")
	if !ok {
		return nil, fmt.Errorf("REL_TYPES: no closing ];")
	}
	return submatches(regexp.MustCompile(`\btype:\s*'([A-Z_]+)'`), body), nil
}

// formatTypes reads the types in the "type" row of FORMAT.md's
// relationships table: "| type | yes | one of A B C |".
func formatTypes() ([]string, error) {
	src, err := readRepo("data/FORMAT.md")
	if err != nil {
		return nil, err
	}
	_, rest, ok := strings.Cut(src, "\n## relationships\n")
	if !ok {
		return nil, fmt.Errorf("no ## relationships section")
	}
	for _, line := range strings.Split(rest, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) >= 4 && strings.TrimSpace(cells[1]) == "type" {
			list, ok := strings.CutPrefix(strings.TrimSpace(cells[3]), "one of ")
			if !ok {
				return nil, fmt.Errorf("type row: got %q, want it to start \"one of \"", cells[3])
			}
			return strings.Fields(list), nil
		}
	}
	return nil, fmt.Errorf("no type row in the relationships table")
}

// peerGenTypes reads the benchmark peer's list of types, from which it
// generates one relationship field per type and direction.
func peerGenTypes() ([]string, error) {
	src, err := readRepo("bench/peer/gen-schema.mjs")
	if err != nil {
		return nil, err
	}
	return arrayOfStrings(src, "const types = [", "];")
}

// suiteRelTypes reads the benchmark suite's list of types, from which it
// asks the peer for every relationship of an entity.
func suiteRelTypes() ([]string, error) {
	src, err := readRepo("bench/suite/queries_test.go")
	if err != nil {
		return nil, err
	}
	return arrayOfStrings(src, "var relTypes = []string{", "\n}")
}

// peerSchemaTypes reads the types of the @relationship fields of Person and
// Organization in the peer's generated schema, and checks that each type
// has a field in each direction on both.
func peerSchemaTypes() ([]string, error) {
	src, err := readRepo("bench/peer/schema.graphql")
	if err != nil {
		return nil, err
	}
	doc, err := gqlparser.ParseSchema(&ast.Source{Name: "schema.graphql", Input: src})
	if err != nil {
		return nil, err
	}
	perNode := map[string]map[string][]string{} // node type → rel type → directions
	var order []string
	for _, d := range doc.Definitions {
		if d.Name != "Person" && d.Name != "Organization" {
			continue
		}
		perNode[d.Name] = map[string][]string{}
		for _, f := range d.Fields {
			dir := f.Directives.ForName("relationship")
			if dir == nil {
				continue
			}
			typ, way := dir.Arguments.ForName("type"), dir.Arguments.ForName("direction")
			if typ == nil || way == nil {
				return nil, fmt.Errorf("%s.%s: @relationship without type or direction", d.Name, f.Name)
			}
			if d.Name == "Person" && len(perNode[d.Name][typ.Value.Raw]) == 0 {
				order = append(order, typ.Value.Raw)
			}
			perNode[d.Name][typ.Value.Raw] = append(perNode[d.Name][typ.Value.Raw], way.Value.Raw)
		}
	}
	var bad []string
	for _, node := range []string{"Person", "Organization"} {
		rels, ok := perNode[node]
		if !ok {
			return nil, fmt.Errorf("no type %s", node)
		}
		for _, typ := range network.TypeNames(nil) {
			if dirs := rels[typ]; len(dirs) > 0 && !slices.Equal(dirs, []string{"OUT", "IN"}) {
				bad = append(bad, fmt.Sprintf("%s %s: got directions %v, want [OUT IN]", node, typ, dirs))
			}
		}
	}
	if !slices.Equal(mapKeysSorted(perNode["Person"]), mapKeysSorted(perNode["Organization"])) {
		bad = append(bad, fmt.Sprintf("Person has fields for %v, Organization for %v, want the same",
			mapKeysSorted(perNode["Person"]), mapKeysSorted(perNode["Organization"])))
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return order, nil
}

func mapKeysSorted(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// arrayOfStrings returns the double-quoted strings between start and the
// first end after it.
func arrayOfStrings(src, start, end string) ([]string, error) {
	_, rest, ok := strings.Cut(src, start)
	if !ok {
		return nil, fmt.Errorf("no %q", start)
	}
	body, _, ok := strings.Cut(rest, end)
	if !ok {
		return nil, fmt.Errorf("%q: no closing %q", start, end)
	}
	return submatches(regexp.MustCompile(`"([^"]*)"`), body), nil
}

func submatches(re *regexp.Regexp, s string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
