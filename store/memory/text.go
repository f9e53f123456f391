package memory

import "strings"

// text keeps the records' ids and names in large chunks, so that a record
// refers to its strings by position and holds no pointer. The garbage
// collector then has nothing to scan in the million records of a large
// network and only a few chunks to mark, where it would otherwise visit a
// string per record on every cycle: at scale M that was half the heap's
// objects, and a third of the CPU a depth-2 neighbourhood cost.
//
// Each chunk is a strings.Builder grown once and never written past its
// capacity, so the strings sliced out of it are never moved or changed:
// they are immutable Go strings the caller may keep, and copying one out
// costs no allocation. Like the other tables, text only grows; compaction
// starts a new one holding the live records' strings only.
type text struct {
	chunks []*strings.Builder
}

// textRef is the position of a string in text; the zero textRef is "".
type textRef struct {
	chunk, off, n uint32
}

// chunkSize is the capacity of a chunk; a longer string gets a chunk of
// its own.
const chunkSize = 1 << 20

// put adds s and returns where it is.
func (x *text) put(s string) textRef {
	if s == "" {
		return textRef{}
	}
	var c *strings.Builder
	if k := len(x.chunks); k > 0 {
		c = x.chunks[k-1]
	}
	if c == nil || c.Cap()-c.Len() < len(s) {
		c = new(strings.Builder)
		c.Grow(max(chunkSize, len(s)))
		x.chunks = append(x.chunks, c)
	}
	off := c.Len()
	c.WriteString(s)
	return textRef{chunk: uint32(len(x.chunks) - 1), off: uint32(off), n: uint32(len(s))}
}

// get returns the string at r.
func (x *text) get(r textRef) string {
	if r.n == 0 {
		return ""
	}
	return x.chunks[r.chunk].String()[r.off : r.off+r.n]
}
