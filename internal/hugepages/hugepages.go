// Package hugepages asks Linux to back the process's memory with
// transparent huge pages once a large data set is in it.
//
// The embedded store's traversals read records scattered over hundreds
// of megabytes: a depth-2 neighbourhood at the bench's scale M touches
// some 2,000 relationships, their ids and the incident lists of 500
// entities, nearly each on a page of its own. With 4 KB pages most of
// those reads also miss the TLB, and on a virtual machine a page walk
// walks two page tables. 2 MB pages cover the whole store with a few
// hundred TLB entries.
//
// Linux gives huge pages to every process (THP "always") or only to one
// that asks ("madvise", as on the bench machine); the Go runtime does not
// ask for its heap. Collapse asks, once, for the memory the process
// holds at that moment: it is meant to be called after a load, when the
// heap holds the data set.
package hugepages

import "errors"

// ErrNever is Collapse's answer on a system whose THP setting is "never".
var ErrNever = errors.New("transparent huge pages are set to never")

// hugePageSize is the size of a transparent huge page with 4 KB base
// pages (amd64, arm64).
const hugePageSize = 2 << 20

// Report says what Collapse did.
type Report struct {
	// Mappings is the number of anonymous private writable mappings
	// looked at.
	Mappings int
	// Collapsed is the memory, in bytes, now on huge pages: collapsed by
	// this call or already huge.
	Collapsed int64
	// Refused is the memory, in bytes, the kernel did not collapse: huge
	// pages that were not resident at all, or that it refused.
	Refused int64
}
