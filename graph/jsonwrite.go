package graph

import (
	"io"
	"strconv"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// The fast path appends its JSON to a []byte with the functions below
// rather than writing each value through an io.Writer with gqlgen's
// marshalers, which allocate a closure per value and make an interface
// call per few bytes: that was half the fast path's CPU on a large
// neighbourhood (bench/profiles). Each function writes exactly the bytes
// of the marshaler it replaces (jsonwrite_test.go compares them).

// appendFunc appends the JSON of one value to b.
type appendFunc func(b []byte) []byte

// appendMarshaler is the graphql.Marshaler of a fast-path answer: gqlgen
// writes it into the response as it writes any value. The answer is
// appended to a recycled buffer and handed to the writer in one Write.
type appendMarshaler appendFunc

// MarshalGQL implements graphql.Marshaler.
func (a appendMarshaler) MarshalGQL(w io.Writer) {
	p := appendBuffers.Get().(*[]byte)
	*p = a((*p)[:0])
	w.Write(*p)
	recycleBuffer(p)
}

// recycleBuffer puts p back in appendBuffers unless it grew too large.
func recycleBuffer(p *[]byte) {
	if cap(*p) <= maxPooledBuffer {
		appendBuffers.Put(p)
	}
}

// appendBuffers recycles the buffers answers are appended to: a large
// neighbourhood is some 400 KB, which would otherwise be grown from
// nothing, doubling, on every request (BenchmarkFastPathSubgraph took
// three times as long).
var appendBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer put back in appendBuffers, so
// that one huge answer does not stay in memory.
const maxPooledBuffer = 4 << 20

// hexDigits are the digits of a \u00XX escape, upper-case as gqlgen
// writes them.
const hexDigits = "0123456789ABCDEF"

// jsonPlain marks the bytes gqlgen's string marshaler copies as they are:
// all but the control characters, the quote and the backslash. Bytes of
// multi-byte UTF-8, and invalid UTF-8, are copied as they are too.
var jsonPlain = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s quoted as graphql.MarshalString and
// graphql.MarshalID write it. gqlgen decodes runes, but every byte it
// escapes is ASCII and an ASCII byte is always a rune of its own in Go's
// decoding (invalid bytes decode one at a time, and continuation bytes are
// never ASCII), so going byte by byte escapes the same bytes.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		// Skip eight plain bytes at a time: most strings have nothing to
		// escape.
		for i+8 <= len(s) && !needsEscape(word(s, i)) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if jsonPlain[c] {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		case '\n':
			b = append(b, '\\', 'n')
		case '\\':
			b = append(b, '\\', '\\')
		case '"':
			b = append(b, '\\', '"')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// word returns the eight bytes of s at i, little-endian (the compiler
// makes one load of it).
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// needsEscape reports whether a byte of w is one appendString escapes: a
// control character, a quote or a backslash. The tests are the exact
// "has a byte less than" and "has a zero byte" of Hacker's Delight: a
// byte that qualifies always sets its high bit in them.
func needsEscape(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, bs := w^('"'*ones), w^('\\'*ones) // zero where w has a quote, a backslash
	less := (w - 0x20*ones) &^ w
	quote := (q - ones) &^ q
	backslash := (bs - ones) &^ bs
	return (less|quote|backslash)&highs != 0
}

// appendOptional appends a nullable string as model.Optional marshals it:
// null when empty.
func appendOptional(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// appendDate appends d as model.MarshalPartialDate writes it,
// strconv.Quote(d.String()), without the fmt.Sprintf of String. The year,
// month and day are not exported; they are read back from First and Last,
// which determine them for every date ParsePartialDate makes (the only way
// to make one): a day is its own first and last day, a month spans one
// month and a year twelve. Anything outside those ranges takes the slow
// way.
func appendDate(b []byte, d network.PartialDate) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	first, last := d.First(), d.Last()
	year, month, day := first/10000, first/100%100, first%100
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return strconv.AppendQuote(b, d.String())
	}
	b = append(b, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10))
	switch {
	case first == last: // a day
		b = append(b, '-', byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10))
	case month == last/100%100: // a month
		b = append(b, '-', byte('0'+month/10), byte('0'+month%10))
	}
	return append(b, '"')
}
