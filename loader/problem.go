package loader

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Problem is one thing wrong with the input, located by file, line and
// field.
type Problem struct {
	File    string
	Line    int
	Field   string
	Message string
}

// String formats p as "file:line: field: message".
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Field, p.Message)
	}
	return fmt.Sprintf("%s: %s", loc, p.Message)
}

// ValidationError lists every problem found in one run. It unwraps to a
// network.Error with code EINVALID.
type ValidationError struct {
	Problems []Problem
}

// Error implements error with one problem per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the input:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// Unwrap lets errors.As find the domain error code.
func (e *ValidationError) Unwrap() error {
	return network.Errorf(network.EINVALID, "%d problem(s) in the input", len(e.Problems))
}
