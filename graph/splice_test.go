package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// spliceResponse writes what an encoder that does not escape HTML writes,
// or declines.
func TestSpliceResponse(t *testing.T) {
	yes := true
	cases := []struct {
		name    string
		resp    *graphql.Response
		spliced bool
	}{
		{"data", &graphql.Response{Data: json.RawMessage(`{"a":[1,2,{"b":"c"}],"d":null}`)}, true},
		{"data and errors", &graphql.Response{Data: json.RawMessage(`{"a":null}`),
			Errors: gqlerror.List{{Message: "no", Extensions: map[string]any{"code": "not_found"}}}}, true},
		{"extensions", &graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"z": 1, "a": "x"}}, true},
		{"null data", &graphql.Response{Data: json.RawMessage(`null`)}, true},
		{"html in a string", &graphql.Response{Data: json.RawMessage(`{"a":"<b>&"}`)}, true},
		{"a line separator", &graphql.Response{Data: json.RawMessage("{\"a\":\"x\u2028y\"}")}, true},
		{"no data", &graphql.Response{Errors: gqlerror.List{{Message: "bad"}}}, false},
		{"incremental", &graphql.Response{Data: json.RawMessage(`{}`), HasNext: &yes}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(c.resp); err != nil {
				t.Fatal(err)
			}
			want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			parts, ok := spliceResponse(c.resp)
			got := bytes.Join(parts, nil)
			if ok != c.spliced {
				t.Fatalf("spliceResponse(%s): got ok %v, want %v", c.name, ok, c.spliced)
			}
			if ok && string(got) != string(want) {
				t.Errorf("spliceResponse(%s): got %s, want %s", c.name, got, want)
			}
		})
	}
}
