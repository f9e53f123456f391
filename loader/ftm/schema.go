package ftm

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// entitySchemas are the FtM schemas read as entities, with their kind.
var entitySchemas = map[string]network.EntityKind{
	"Person":       network.Person,
	"Organization": network.Organization,
	"LegalEntity":  network.Organization,
	"Company":      network.Organization,
}

// edge describes an FtM schema read as a relationship: the properties
// naming its two ends, the property holding its role, and its type when
// the role does not decide it.
type edge struct {
	from, to string
	role     string
	rel      network.RelType
}

// edgeSchemas are the FtM schemas read as relationships.
var edgeSchemas = map[string]edge{
	"Membership":   {from: "member", to: "organization", role: "role", rel: network.MemberOf},
	"Directorship": {from: "director", to: "organization", role: "role", rel: network.LeaderOf},
	"Employment":   {from: "employee", to: "employer", role: "role", rel: network.EmployedBy},
	"Succession":   {from: "predecessor", to: "successor", role: "role", rel: network.MergedInto},
	"UnknownLink":  {from: "subject", to: "object", role: "role", rel: network.AssociatedWith},
	"Associate":    {from: "person", to: "associate", role: "relationship", rel: network.AssociatedWith},
	"Family":       {from: "person", to: "relative", role: "relationship", rel: network.FamilyOf},
}

const sanctionSchema = "Sanction"

func knownSchema(s string) bool {
	_, ent := entitySchemas[s]
	_, rel := edgeSchemas[s]
	return ent || rel || s == sanctionSchema
}

func schemaList() string {
	var all []string
	for s := range entitySchemas {
		all = append(all, s)
	}
	for s := range edgeSchemas {
		all = append(all, s)
	}
	all = append(all, sanctionSchema)
	sort.Strings(all)
	return strings.Join(all, ", ")
}

// slug lower-cases s and turns each run of characters other than a-z and
// 0-9 into one hyphen, trimming hyphens at both ends.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if b.Len() > 0 && !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// hash12 is the first 12 hex digits of the SHA-256 of s.
func hash12(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
