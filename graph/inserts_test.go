package graph

import (
	"bytes"
	"context"
	"testing"
)

// answerInserts puts each answer back where it was kept out of the data,
// and refuses data that is not the buffer the offsets index.
func TestAnswerInserts(t *testing.T) {
	answer := func(s string) *appendAnswer {
		return appendMarshaler(func(b []byte) []byte { return append(b, s...) })
	}
	cases := []struct {
		name string
		// run marshals the data as gqlgen would, into buf, and returns
		// what it calls the data.
		run  func(ctx context.Context, buf *bytes.Buffer) []byte
		want string
		ok   bool
	}{
		{"no answers", func(ctx context.Context, buf *bytes.Buffer) []byte {
			buf.WriteString(`{"a":1}`)
			return buf.Bytes()
		}, `{"a":1}`, true},
		{"two answers around another field", func(ctx context.Context, buf *bytes.Buffer) []byte {
			buf.WriteString(`{"a":`)
			attachInserts(ctx, answer(`[1,2]`)).MarshalGQL(buf)
			buf.WriteString(`,"b":3,"c":`)
			attachInserts(ctx, answer(`{"d":null}`)).MarshalGQL(buf)
			buf.WriteString(`}`)
			return buf.Bytes()
		}, `{"a":[1,2],"b":3,"c":{"d":null}}`, true},
		{"an answer marshalled into another buffer is written there", func(ctx context.Context, buf *bytes.Buffer) []byte {
			buf.WriteString(`{"a":`)
			attachInserts(ctx, answer(`1`)).MarshalGQL(buf)
			var other bytes.Buffer
			attachInserts(ctx, answer(`2`)).MarshalGQL(&other)
			buf.WriteString(`,"b":`)
			buf.Write(other.Bytes())
			buf.WriteString(`}`)
			return buf.Bytes()
		}, `{"a":1,"b":2}`, true},
		{"data copied out of the buffer", func(ctx context.Context, buf *bytes.Buffer) []byte {
			buf.WriteString(`{"a":`)
			attachInserts(ctx, answer(`1`)).MarshalGQL(buf)
			buf.WriteString(`}`)
			return bytes.Clone(buf.Bytes())
		}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, ins := withInserts(context.Background())
			defer ins.release()
			var buf bytes.Buffer
			data := c.run(ctx, &buf)
			parts, ok := ins.dataParts(data)
			if ok != c.ok {
				t.Fatalf("dataParts: got ok %v, want %v", ok, c.ok)
			}
			if got := string(bytes.Join(parts, nil)); ok && got != c.want {
				t.Errorf("dataParts: got %s, want %s", got, c.want)
			}
		})
	}
}

// Without a request's answerInserts, an answer is written to the writer.
func TestAppendAnswerWithoutInserts(t *testing.T) {
	var buf bytes.Buffer
	attachInserts(context.Background(), appendMarshaler(func(b []byte) []byte { return append(b, `"x"`...) })).MarshalGQL(&buf)
	if got, want := buf.String(), `"x"`; got != want {
		t.Errorf("MarshalGQL: got %s, want %s", got, want)
	}
}
