package unsc

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

func TestBadInput(t *testing.T) {
	type where struct {
		line  int
		field string
		msg   string // a word the message must hold
	}
	tests := []struct {
		file string
		want []where
	}{
		{"truncated.xml", []where{{10, "INDIVIDUAL/COMMENTS1", "truncated"}}},
		{"invalid-utf8.xml", []where{{6, "INDIVIDUAL/FIRST_NAME", "UTF-8"}}},
		{"latin1.xml", []where{{1, "encoding", "UTF-8"}}},
		{"missing-ref.xml", []where{{10, "INDIVIDUAL/REFERENCE_NUMBER", "missing"}}},
		{"bad-date.xml", []where{
			{11, "INDIVIDUAL/INDIVIDUAL_DATE_OF_BIRTH/DATE", "1958-13-01"},
			{20, "ENTITY/LISTED_ON", "2013-02-30"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tc.file)
			l, err := ReadFile(path)
			if l != nil {
				t.Errorf("ReadFile(%s): got a list, want none", path)
			}
			var ve *loader.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ReadFile(%s): got %v, want a *loader.ValidationError", path, err)
			}
			if network.ErrorCode(err) != network.EINVALID {
				t.Errorf("ReadFile(%s): code %q, want %q", path, network.ErrorCode(err), network.EINVALID)
			}
			if len(ve.Problems) != len(tc.want) {
				t.Fatalf("ReadFile(%s): got problems %v, want %d", path, ve.Problems, len(tc.want))
			}
			for i, w := range tc.want {
				p := ve.Problems[i]
				if p.File != path || p.Line != w.line || p.Field != w.field || !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %d: got %+v, want file %s, line %d, field %q, message holding %q", i, p, path, w.line, w.field, w.msg)
				}
			}
		})
	}
}
