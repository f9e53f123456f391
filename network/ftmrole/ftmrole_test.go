package ftmrole

import (
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		schema, role, summary string
		wantType              network.RelType
		wantRole              string
	}{
		{"UnknownLink", "PLEDGED_ALLEGIANCE_TO", "", network.PledgedAllegianceTo, ""},
		{"UnknownLink", "PLEDGED_ALLEGIANCE_TO: emir", "", network.PledgedAllegianceTo, "emir"},
		{"UnknownLink", "financier", "", network.AssociatedWith, "financier"},
		{"UnknownLink", "PLEDGED_ALLEGIANCE_TOX", "", network.AssociatedWith, "PLEDGED_ALLEGIANCE_TOX"},
		{"Succession", "RENAMED_TO", "", network.RenamedTo, ""},
		{"Succession", "MEMBER_OF", "", network.MergedInto, "MEMBER_OF"},
		{"Succession", "", "renamed in 2007", network.RenamedTo, ""},
		{"Succession", "absorbed", "renamed", network.MergedInto, "absorbed"},
	} {
		var gotType network.RelType
		var gotRole string
		if tc.schema == "UnknownLink" {
			gotType, gotRole = UnknownLinkType(tc.role)
		} else {
			gotType, gotRole = SuccessionType(tc.role, tc.summary)
		}
		if gotType != tc.wantType || gotRole != tc.wantRole {
			t.Errorf("%s role %q summary %q: got %s %q, want %s %q", tc.schema, tc.role, tc.summary, gotType, gotRole, tc.wantType, tc.wantRole)
		}
	}
}
