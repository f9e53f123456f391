package graph

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// quoterCases are strings whose every kind of byte appendString must
// write as gqlgen does, at the start, middle and end and across the
// eight-byte words it skips.
var quoterCases = []string{
	"",
	"plain",
	"exactly8",
	"sixteen bytes ok",
	"Iyad Ag Ghaly",
	`a "quoted" name`,
	`"`,
	`back\slash`,
	`\`,
	`ends with a backslash \`,
	"tab\there",
	"new\nline",
	"carriage\rreturn",
	"\x00nul at the start",
	"nul at the end\x00",
	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f",
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	"\b backspace \f form feed",
	"space and delete: \x20\x7f",
	"!#[]{}~ and 0x21 0x5b 0x5d 0x7e are plain",
	"<b>html</b> & entities &amp;",
	"line\u2028separator and paragraph\u2029separator",
	"Jamāʿat Nuṣrat al-Islām wal-Muslimīn",
	"جماعة نصرة الإسلام والمسلمين",
	"emoji 🏴 and CJK 基地",
	"invalid \xff\xfe UTF-8",
	"truncated \xe2\x80",
	"lone continuation \x80 byte",
	"surrogate \xed\xa0\x80 half",
	"overlong \xc0\xaf slash",
	"\xe2\x80\"",
	"invalid before a quote \xc3\"x",
	"invalid before a control \xe2\x80\n",
	"12345678\"12345678\\12345678\x1f12345678",
	"\x7f\x80\x9f\xa0\xbf\xc0\xdf\xe0\xef\xf0\xf7\xf8\xff",
}

// appendString writes exactly what graphql.MarshalString and
// graphql.MarshalID write.
func TestAppendString(t *testing.T) {
	for _, s := range quoterCases {
		t.Run(fmt.Sprintf("%q", s), func(t *testing.T) {
			checkQuoted(t, s)
		})
	}
}

// FuzzAppendString compares appendString with gqlgen on any string.
func FuzzAppendString(f *testing.F) {
	for _, s := range quoterCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkQuoted(t, s) })
}

// checkQuoted checks appendString against gqlgen's marshalers for s,
// appended after a prefix that must stay.
func checkQuoted(tb testing.TB, s string) {
	tb.Helper()
	var str, id bytes.Buffer
	graphql.MarshalString(s).MarshalGQL(&str)
	graphql.MarshalID(s).MarshalGQL(&id)
	if str.String() != id.String() {
		tb.Fatalf("%q: MarshalString wrote %s and MarshalID %s, want them equal", s, str.Bytes(), id.Bytes())
	}
	got := appendString([]byte("prefix:"), s)
	if want := "prefix:" + str.String(); string(got) != want {
		tb.Errorf("appendString(%q): got %s, want %s", s, got, want)
	}
}

// needsEscape finds a byte appendString escapes wherever it is in a word,
// and nothing else, whatever the bytes around it.
func TestNeedsEscape(t *testing.T) {
	fillers := []byte{'a', 0x00, 0x1f, 0x20, 0x21, '"', '"' + 1, '\\' - 1, '\\', '\\' + 1, 0x7f, 0x80, 0x9f, 0xa0, 0xe2, 0xff}
	for _, fill := range fillers {
		t.Run(fmt.Sprintf("filler %#x", fill), func(t *testing.T) {
			for pos := range 8 {
				for c := range 256 {
					var w [8]byte
					for i := range w {
						w[i] = fill
					}
					w[pos] = byte(c)
					want := false
					for _, x := range w {
						want = want || !jsonPlain[x]
					}
					if got := needsEscape(word(string(w[:]), 0)); got != want {
						t.Errorf("needsEscape(% x): got %v, want %v", w, got, want)
					}
				}
			}
		})
	}
}

// appendDate writes what model.MarshalPartialDate writes, for every
// day, month and year of years whose digits and leap days differ, and
// for every year alone.
func TestAppendDate(t *testing.T) {
	var dates []string
	for year := 1; year <= 9999; year++ {
		dates = append(dates, fmt.Sprintf("%04d", year))
	}
	for _, year := range []int{1, 9, 10, 99, 100, 999, 1000, 1900, 1999, 2000, 2011, 2023, 2024, 2100, 9999} {
		for month := 1; month <= 12; month++ {
			dates = append(dates, fmt.Sprintf("%04d-%02d", year, month))
			for day := 1; day <= 31; day++ {
				dates = append(dates, fmt.Sprintf("%04d-%02d-%02d", year, month, day))
			}
		}
	}
	cases := []network.PartialDate{{}} // the zero date is null
	for _, s := range dates {
		if d, err := network.ParsePartialDate(s); err == nil { // February 30th and such are not dates
			cases = append(cases, d)
		}
	}
	for _, d := range cases {
		var want bytes.Buffer
		model.MarshalPartialDate(d).MarshalGQL(&want)
		if got := appendDate([]byte("prefix:"), d); string(got) != "prefix:"+want.String() {
			t.Errorf("appendDate(%q): got %s, want prefix:%s", d.String(), got, want.Bytes())
		}
	}
}

// appendOptional writes what gqlgen writes for a model.Optional string.
func TestAppendOptional(t *testing.T) {
	for _, s := range []string{"", "reportedly", `a "note"`, "x\u2028y"} {
		t.Run(fmt.Sprintf("%q", s), func(t *testing.T) {
			want := "null"
			if p := model.Optional(s); p != nil {
				var buf bytes.Buffer
				graphql.MarshalString(*p).MarshalGQL(&buf)
				want = buf.String()
			}
			if got := appendOptional(nil, s); string(got) != want {
				t.Errorf("appendOptional(%q): got %s, want %s", s, got, want)
			}
		})
	}
}
