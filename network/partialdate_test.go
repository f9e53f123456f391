package network_test

import (
	"errors"
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestParsePartialDate(t *testing.T) {
	cases := []struct {
		in          string
		ok          bool
		first, last int
	}{
		{"2011", true, 20110101, 20111231},
		{"2011-12", true, 20111201, 20111231},
		{"2017-03-02", true, 20170302, 20170302},
		{"2024-02", true, 20240201, 20240229},
		{"2023-02", true, 20230201, 20230228},
		{"2000-02-29", true, 20000229, 20000229},
		{"1900-02-29", false, 0, 0},
		{"2013-02-30", false, 0, 0},
		{"2013-13", false, 0, 0},
		{"2013-00", false, 0, 0},
		{"2013-04-31", false, 0, 0},
		{"0000", false, 0, 0},
		{"March 2017", false, 0, 0},
		{"2017/03/02", false, 0, 0},
		{"17", false, 0, 0},
		{"", false, 0, 0},
		{"２０１７", false, 0, 0},
	}
	for _, c := range cases {
		d, err := network.ParsePartialDate(c.in)
		if !c.ok {
			var e *network.Error
			if !errors.As(err, &e) || e.Code != network.EINVALID {
				t.Errorf("ParsePartialDate(%q): got %v, %v; want code %q", c.in, d, err, network.EINVALID)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePartialDate(%q): got error %v", c.in, err)
			continue
		}
		if d.String() != c.in || d.First() != c.first || d.Last() != c.last {
			t.Errorf("ParsePartialDate(%q): got %q [%d, %d], want %q [%d, %d]", c.in, d, d.First(), d.Last(), c.in, c.first, c.last)
		}
	}
}

func TestOverlaps(t *testing.T) {
	d := network.MustParsePartialDate
	zero := network.PartialDate{}
	cases := []struct {
		since, until, asOf network.PartialDate
		want               bool
	}{
		{d("2011-12"), d("2017-03-02"), d("2012-12-31"), true},
		{d("2017-03-02"), zero, d("2012"), false},
		{d("2017-03-02"), zero, d("2017"), true},        // the year 2017 overlaps from March 2
		{d("2017-03-02"), zero, d("2017-03-01"), false}, // but not the day before
		{zero, d("2020-06"), d("2020-06-30"), true},     // June 2020 runs to its last day
		{zero, d("2020-06"), d("2020-07"), false},
		{d("2006"), d("2006"), d("2006-07"), true},
		{zero, zero, d("1990"), true},
		{d("2020"), d("2021"), zero, true}, // no asOf keeps everything
	}
	for _, c := range cases {
		if got := network.Overlaps(c.since, c.until, c.asOf); got != c.want {
			t.Errorf("Overlaps([%s, %s], %s): got %v, want %v", c.since, c.until, c.asOf, got, c.want)
		}
	}
}
