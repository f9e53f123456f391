package graph

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// A fast-path answer is appended to a recycled buffer. Handed to gqlgen as
// bytes, it would be copied into the buffer gqlgen marshals the response
// data into, which starts small and so is allocated afresh, zeroed and
// page-faulted in for each large answer: a tenth of the CPU of a 400 KB
// neighbourhood (bench/profiles). Instead, when HTTPTransport serves the
// request, the answer stays in its buffer and gqlgen's data gets nothing
// at that place; the transport then writes the data in parts with the
// answer between them, and recycles the buffer once it is sent.

// appendAnswer is the graphql.Marshaler of a fast-path answer.
type appendAnswer struct {
	a appendFunc
	// ins, if set, takes the answer instead of the writer.
	ins *answerInserts
}

// appendMarshaler returns the graphql.Marshaler that appends its value with
// a and hands the bytes to the writer in one Write (or to the request's
// answerInserts, which fastRoot attaches).
func appendMarshaler(a appendFunc) *appendAnswer { return &appendAnswer{a: a} }

// MarshalGQL implements graphql.Marshaler.
func (m *appendAnswer) MarshalGQL(w io.Writer) {
	p := appendBuffers.Get().(*[]byte)
	*p = m.a((*p)[:0])
	if m.ins != nil && m.ins.add(w, p) {
		return
	}
	w.Write(*p)
	recycleBuffer(p)
}

// recycleBuffer puts p back in appendBuffers unless it grew too large.
func recycleBuffer(p *[]byte) {
	if cap(*p) <= maxPooledBuffer {
		appendBuffers.Put(p)
	}
}

// answerInserts are the answers kept out of one response's data: each is
// to be written at an offset of the buffer gqlgen marshalled the data into.
type answerInserts struct {
	// mu protects the fields below.
	mu sync.Mutex
	// data is the buffer the offsets index; nil until an answer is added.
	data *bytes.Buffer
	at   []insert
}

// insert is one answer and where it goes in the data.
type insert struct {
	off int
	p   *[]byte
}

type insertsKey struct{}

// withInserts returns ctx carrying a new answerInserts, and it.
func withInserts(ctx context.Context) (context.Context, *answerInserts) {
	ins := &answerInserts{}
	return context.WithValue(ctx, insertsKey{}, ins), ins
}

// insertsFrom returns the answerInserts of ctx, or nil.
func insertsFrom(ctx context.Context) *answerInserts {
	ins, _ := ctx.Value(insertsKey{}).(*answerInserts)
	return ins
}

// attachInserts makes m, if it is a fast-path answer, go to the request's
// answerInserts when the request has one.
func attachInserts(ctx context.Context, m graphql.Marshaler) graphql.Marshaler {
	if a, ok := m.(*appendAnswer); ok {
		a.ins = insertsFrom(ctx)
	}
	return m
}

// add takes the answer p at the end of what was written to w so far. It
// reports false, and takes nothing, when w is not the buffer of the
// response's data (gqlgen writes the data of an operation into one
// bytes.Buffer).
func (ins *answerInserts) add(w io.Writer, p *[]byte) bool {
	bb, ok := w.(*bytes.Buffer)
	if !ok {
		return false
	}
	ins.mu.Lock()
	defer ins.mu.Unlock()
	if ins.data == nil {
		ins.data = bb
	}
	if ins.data != bb {
		return false
	}
	ins.at = append(ins.at, insert{off: bb.Len(), p: p})
	return true
}

// dataParts returns data, gqlgen's response data, in parts with the
// answers in place. ok is false when there are answers but data is not
// the buffer they were kept out of (so they cannot be put back).
func (ins *answerInserts) dataParts(data []byte) (parts net.Buffers, ok bool) {
	if ins == nil {
		return net.Buffers{data}, true
	}
	ins.mu.Lock()
	defer ins.mu.Unlock()
	if len(ins.at) == 0 {
		return net.Buffers{data}, true
	}
	kept := ins.data.Bytes()
	if len(data) != len(kept) || len(data) == 0 || &data[0] != &kept[0] {
		return nil, false
	}
	last := 0
	for _, in := range ins.at {
		parts = append(parts, data[last:in.off], *in.p)
		last = in.off
	}
	return append(parts, data[last:]), true
}

// release recycles the answers' buffers, once they are written.
func (ins *answerInserts) release() {
	if ins == nil {
		return
	}
	ins.mu.Lock()
	defer ins.mu.Unlock()
	for _, in := range ins.at {
		recycleBuffer(in.p)
	}
	ins.at = nil
}
