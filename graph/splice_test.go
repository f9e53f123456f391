package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// spliceResponse writes what json.Marshal writes, or declines.
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
		{"html in a string", &graphql.Response{Data: json.RawMessage(`{"a":"<b>&"}`)}, false},
		{"a line separator", &graphql.Response{Data: json.RawMessage("{\"a\":\"x\u2028y\"}")}, false},
		{"no data", &graphql.Response{Errors: gqlerror.List{{Message: "bad"}}}, false},
		{"incremental", &graphql.Response{Data: json.RawMessage(`{}`), HasNext: &yes}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := json.Marshal(c.resp)
			if err != nil {
				t.Fatal(err)
			}
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
