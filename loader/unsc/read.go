package unsc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// The list source every imported fact cites.
const (
	SourceID  = "unsc-consolidated-list"
	sourceURL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
	// Authority is the authority of the designations the importer writes.
	Authority = "United Nations Security Council"
)

// Identifier schemes the importer writes.
const (
	SchemeRef    = "unsc-ref"
	SchemeDataID = "unsc-dataid"
	// SchemeUnit identifies an organization the importer creates for a
	// unit named in a comment ("the Katiba Macina of JNIM"): the value is
	// the citing record's reference, "/", and the unit's slug.
	SchemeUnit = "unsc-unit"
)

// List is one parsed consolidated list.
type List struct {
	Generated network.PartialDate // the root's dateGenerated, day precision
	Dataset   *network.Dataset
	Warnings  []string
}

// ReadFile reads the consolidated list at path; problems name path.
func ReadFile(path string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &loader.ValidationError{Problems: []loader.Problem{{File: path, Message: err.Error()}}}
	}
	defer f.Close()
	return Read(path, f)
}

// Read parses the consolidated list XML from r, naming it name in
// problems. Any problem (malformed or truncated XML, bytes that are not
// UTF-8, a record without REFERENCE_NUMBER, a malformed date) makes it
// return a *loader.ValidationError and no list.
func Read(name string, r io.Reader) (*List, error) {
	p := &parser{file: name}
	p.decode(r)
	if len(p.problems) > 0 {
		return nil, &loader.ValidationError{Problems: p.problems}
	}
	return p.build(), nil
}

// node is one element of a record, with its text and its line.
type node struct {
	name string
	line int
	text strings.Builder
	kids []*node
}

// child returns the first child called name, or nil.
func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// all returns the children called name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// val returns the trimmed text of the first child called name.
func (n *node) val(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text.String())
	}
	return ""
}

// values returns the trimmed, non-empty texts of the VALUE children of
// every child called name.
func (n *node) values(name string) []string {
	var out []string
	for _, c := range n.all(name) {
		for _, v := range c.all("VALUE") {
			if s := strings.TrimSpace(v.text.String()); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// parser reads the XML stream record by record.
type parser struct {
	file      string
	problems  []loader.Problem
	generated network.PartialDate
	records   []*record
}

func (p *parser) problem(line int, field, format string, args ...any) {
	p.problems = append(p.problems, loader.Problem{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// decode streams the document, building one node tree per INDIVIDUAL or
// ENTITY and mapping it as soon as it closes.
func (p *parser) decode(r io.Reader) {
	dec := xml.NewDecoder(r)
	var (
		path     []string // open elements, root first
		rec      []*node  // open elements of the current record
		sawRoot  bool
		rootDone bool
	)
	field := func() string {
		if len(rec) > 0 {
			names := make([]string, len(rec))
			for i, n := range rec {
				names[i] = n.name
			}
			return strings.Join(names, "/")
		}
		return strings.Join(path, "/")
	}
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			if !sawRoot {
				p.problem(line, "CONSOLIDATED_LIST", "no CONSOLIDATED_LIST element: the file is empty or not the consolidated list")
			} else if !rootDone {
				p.problem(line, field(), "unexpected end of file: the XML is truncated")
			}
			return
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("XML syntax error on line %d: ", line))
			f := field()
			switch {
			case strings.Contains(msg, "CharsetReader"):
				f, msg = "encoding", strings.TrimPrefix(msg, "xml: ")+" (the list must be UTF-8)"
			case strings.Contains(msg, "invalid UTF-8"):
				msg += " (the list must be UTF-8)"
			case msg == "unexpected EOF":
				msg = "unexpected end of file: the XML is truncated"
			}
			p.problem(line, f, "%s", msg)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(path) == 0 {
				if sawRoot {
					p.problem(line, name, "a second root element")
					return
				}
				sawRoot = true
				if name != "CONSOLIDATED_LIST" {
					p.problem(line, name, "the root element is %s, want CONSOLIDATED_LIST", name)
					return
				}
				p.root(line, t)
			}
			path = append(path, name)
			switch {
			case len(rec) > 0:
				n := &node{name: name, line: line}
				rec[len(rec)-1].kids = append(rec[len(rec)-1].kids, n)
				rec = append(rec, n)
			case len(path) == 3 && (name == "INDIVIDUAL" && path[1] == "INDIVIDUALS" || name == "ENTITY" && path[1] == "ENTITIES"):
				rec = append(rec, &node{name: name, line: line})
			}
		case xml.EndElement:
			if len(rec) > 0 {
				if len(rec) == 1 {
					p.record(rec[0])
				}
				rec = rec[:len(rec)-1]
			}
			path = path[:len(path)-1]
			if len(path) == 0 {
				rootDone = true
			}
		case xml.CharData:
			if len(rec) > 0 {
				rec[len(rec)-1].text.Write(t)
			}
		}
	}
}

// root reads the root's dateGenerated, e.g. "2024-09-26T00:00:07.514Z".
func (p *parser) root(line int, t xml.StartElement) {
	const field = "CONSOLIDATED_LIST/@dateGenerated"
	for _, a := range t.Attr {
		if a.Name.Local != "dateGenerated" {
			continue
		}
		s := strings.TrimSpace(a.Value)
		day, _, _ := strings.Cut(s, "T")
		d, err := network.ParsePartialDate(day)
		if err != nil || len(day) != 10 {
			p.problem(line, field, "bad date %q: want YYYY-MM-DD followed by a time", s)
			return
		}
		p.generated = d
		return
	}
	p.problem(line, field, "missing: the list must say when it was generated")
}

// source is the list's one source.
func (p *parser) source() network.Source {
	return network.Source{
		ID:        SourceID,
		Title:     "UN Security Council Consolidated List",
		Publisher: Authority,
		Published: p.generated,
		URL:       sourceURL,
	}
}
