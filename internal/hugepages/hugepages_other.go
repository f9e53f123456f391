//go:build !linux

package hugepages

import "errors"

// Collapse is Linux-only: elsewhere the process keeps the pages the
// system gives it.
func Collapse() (Report, error) { return Report{}, errors.ErrUnsupported }
