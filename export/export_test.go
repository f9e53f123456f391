package export

import (
	"bytes"
	"errors"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// graphExportFormats are the formats this file's writers produce.
var graphExportFormats = []string{"graphml", "gexf", "cytoscape", "graphology"}

// smallExportDataset reads testdata/small.yaml: four entities (every date
// precision), four relationships (two symmetric, one hedged).
func smallExportDataset(tb testing.TB) *network.Dataset {
	tb.Helper()
	d, err := loader.ReadFiles("testdata/small.yaml")
	if err != nil {
		tb.Fatalf("reading testdata/small.yaml: %v", err)
	}
	return d
}

// writeFormatBytes writes d in format and returns the bytes.
func writeFormatBytes(tb testing.TB, format string, d *network.Dataset) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, d); err != nil {
		tb.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestXSDDates(t *testing.T) {
	tests := []struct {
		date, start, end string
	}{
		{"2011", "2011-01-01", "2011-12-31"},
		{"2011-12", "2011-12-01", "2011-12-31"},
		{"2012-02", "2012-02-01", "2012-02-29"},
		{"2013-02", "2013-02-01", "2013-02-28"},
		{"2013-04", "2013-04-01", "2013-04-30"},
		{"2017-03-02", "2017-03-02", "2017-03-02"},
		{"0999", "0999-01-01", "0999-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d := network.MustParsePartialDate(tt.date)
			if got := xsdStart(d); got != tt.start {
				t.Errorf("xsdStart(%s): got %s, want %s", tt.date, got, tt.start)
			}
			if got := xsdEnd(d); got != tt.end {
				t.Errorf("xsdEnd(%s): got %s, want %s", tt.date, got, tt.end)
			}
		})
	}
}

// reversedDataset returns a copy of d with every list in reverse order.
func reversedDataset(d *network.Dataset) *network.Dataset {
	c := &network.Dataset{}
	for i := len(d.Sources) - 1; i >= 0; i-- {
		c.Sources = append(c.Sources, d.Sources[i])
	}
	for i := len(d.Entities) - 1; i >= 0; i-- {
		c.Entities = append(c.Entities, d.Entities[i])
	}
	for i := len(d.Relationships) - 1; i >= 0; i-- {
		c.Relationships = append(c.Relationships, d.Relationships[i])
	}
	return c
}

func TestWriteIsDeterministic(t *testing.T) {
	d := smallExportDataset(t)
	for _, format := range graphExportFormats {
		t.Run(format, func(t *testing.T) {
			a := writeFormatBytes(t, format, d)
			b := writeFormatBytes(t, format, reversedDataset(d))
			if !bytes.Equal(a, b) {
				t.Errorf("Write(%s) of the same dataset in another order: got different bytes, want identical\nfirst:\n%s\nsecond:\n%s", format, a, b)
			}
			if c := writeFormatBytes(t, format, d); !bytes.Equal(a, c) {
				t.Errorf("Write(%s) twice: got different bytes, want identical", format)
			}
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	dangling := smallExportDataset(t)
	dangling.Relationships[0].To = "nobody"
	twice := smallExportDataset(t)
	twice.Entities = append(twice.Entities, twice.Entities[0])
	relTwice := smallExportDataset(t)
	relTwice.Relationships = append(relTwice.Relationships, relTwice.Relationships[1])
	clash := smallExportDataset(t)
	clash.Relationships[0].ID = "org-open"
	tests := []struct {
		name, format string
		d            *network.Dataset
	}{
		{"unknown format", "dot", smallExportDataset(t)},
		{"empty format", "", smallExportDataset(t)},
		{"edge to a missing entity", "graphml", dangling},
		{"edge to a missing entity", "graphology", dangling},
		{"entity twice", "gexf", twice},
		{"relationship twice", "cytoscape", relTwice},
		{"edge id equal to a node id", "cytoscape", clash},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.format, tt.d)
			var e *network.Error
			if !errors.As(err, &e) || e.Code != network.EINVALID {
				t.Fatalf("Write(%q): got error %v, want code %s", tt.format, err, network.EINVALID)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	tests := []struct{ format, mime, ext string }{
		{"graphml", "application/graphml+xml", ".graphml"},
		{"gexf", "application/gexf+xml", ".gexf"},
		{"cytoscape", "application/json", ".cyjs"},
		{"graphology", "application/json", ".json"},
		{"csv", "application/zip", ".zip"},
		{"ftm", "application/x-ndjson", ".ftm.json"},
		{"dot", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			mime, ext := ContentType(tt.format)
			if mime != tt.mime || ext != tt.ext {
				t.Errorf("ContentType(%q): got %q %q, want %q %q", tt.format, mime, ext, tt.mime, tt.ext)
			}
		})
	}
	for _, f := range Formats {
		if mime, _ := ContentType(f); mime == "" {
			t.Errorf("ContentType(%q) of a listed format: got no MIME type, want one", f)
		}
	}
}

func TestEscapeXML(t *testing.T) {
	tests := []struct {
		in, quote, want string
	}{
		{`a<b>&"c"`, "", `a&lt;b&gt;&amp;"c"`},
		{`say "x"`, `"`, `say &quot;x&quot;`},
		{`it's`, `'`, `it&apos;s`},
		{"line\none\ttab", "", "line\none\ttab"},
		{"line\none\ttab", `"`, "line&#xA;one&#x9;tab"},
		{"bell\x07", "", "bell\uFFFD"},
		{"bad\xffutf8", "", "bad\uFFFDutf8"},
	}
	for _, tt := range tests {
		if got := escapeXML(tt.in, tt.quote); got != tt.want {
			t.Errorf("escapeXML(%q, %q): got %q, want %q", tt.in, tt.quote, got, tt.want)
		}
	}
}
