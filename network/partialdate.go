package network

import (
	"fmt"
	"strconv"
)

// PartialDate is a date known to the year, the month or the day: "2011",
// "2011-12" or "2017-03-02". It is kept as written and compared as the
// interval it denotes. The zero value means "unknown". It takes four
// bytes: every relationship holds two and every entity four, and the
// embedded store copies them out by the thousand.
type PartialDate struct {
	year       int16
	month, day uint8
}

// ParsePartialDate parses YYYY, YYYY-MM or YYYY-MM-DD. Impossible dates
// (month 13, February 30) are errors with code EINVALID.
func ParsePartialDate(s string) (PartialDate, error) {
	bad := func(why string) (PartialDate, error) {
		return PartialDate{}, Errorf(EINVALID, "invalid partial date %q: %s", s, why)
	}
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return bad("want YYYY, YYYY-MM or YYYY-MM-DD")
	}
	num := func(part string) (int, bool) {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(part)
		return n, err == nil
	}
	// Four digits make a year below 10,000, which int16 holds.
	year, ok := num(s[:4])
	if !ok || year == 0 {
		return bad("bad year")
	}
	var month, day int
	if len(s) >= 7 {
		if s[4] != '-' {
			return bad("want YYYY-MM")
		}
		if month, ok = num(s[5:7]); !ok || month < 1 || month > 12 {
			return bad("month out of range")
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return bad("want YYYY-MM-DD")
		}
		if day, ok = num(s[8:10]); !ok || day < 1 || day > daysIn(year, month) {
			return bad("day out of range")
		}
	}
	return PartialDate{year: int16(year), month: uint8(month), day: uint8(day)}, nil
}

// MustParsePartialDate is ParsePartialDate for constants in tests and
// examples; it panics on a malformed literal.
func MustParsePartialDate(s string) PartialDate {
	d, err := ParsePartialDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IsZero reports whether d is unknown.
func (d PartialDate) IsZero() bool { return d.year == 0 }

// String returns d as written: "2011", "2011-12" or "2011-12-01"; "" when
// zero.
func (d PartialDate) String() string {
	switch {
	case d.year == 0:
		return ""
	case d.month == 0:
		return fmt.Sprintf("%04d", d.year)
	case d.day == 0:
		return fmt.Sprintf("%04d-%02d", d.year, d.month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, d.month, d.day)
}

// First is the first day of the interval d denotes, as a YYYYMMDD integer.
func (d PartialDate) First() int {
	m, day := int(d.month), int(d.day)
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return int(d.year)*10000 + m*100 + day
}

// Last is the last day of the interval d denotes, as a YYYYMMDD integer.
func (d PartialDate) Last() int {
	m, day := int(d.month), int(d.day)
	if m == 0 {
		m = 12
	}
	if day == 0 {
		day = daysIn(int(d.year), m)
	}
	return int(d.year)*10000 + m*100 + day
}

// Before reports whether d's interval ends before e's begins. Either being
// zero gives false.
func (d PartialDate) Before(e PartialDate) bool {
	if d.IsZero() || e.IsZero() {
		return false
	}
	return d.Last() < e.First()
}

// Open bounds of the day axis used when a period has no start or no end.
const (
	MinDay = 0
	MaxDay = 99991231
)

// Bounds returns the period [since, until] as YYYYMMDD integers, open ends
// becoming MinDay and MaxDay. Stores index these bounds.
func Bounds(since, until PartialDate) (lo, hi int) {
	lo, hi = MinDay, MaxDay
	if !since.IsZero() {
		lo = since.First()
	}
	if !until.IsZero() {
		hi = until.Last()
	}
	return lo, hi
}

// Overlaps reports whether the period [since, until] overlaps the interval
// asOf denotes. A zero asOf overlaps everything.
func Overlaps(since, until, asOf PartialDate) bool {
	if asOf.IsZero() {
		return true
	}
	lo, hi := Bounds(since, until)
	return lo <= asOf.Last() && hi >= asOf.First()
}
