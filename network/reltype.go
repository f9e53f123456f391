package network

// RelType is a relationship type. The list below is the contract: the
// GraphQL enum, the dataset format and the Neo4j relationship types all use
// these names.
type RelType string

// The relationship types.
const (
	MemberOf            RelType = "MEMBER_OF"
	LeaderOf            RelType = "LEADER_OF"
	Founded             RelType = "FOUNDED"
	PledgedAllegianceTo RelType = "PLEDGED_ALLEGIANCE_TO"
	AffiliateOf         RelType = "AFFILIATE_OF"
	PartOf              RelType = "PART_OF"
	MergedInto          RelType = "MERGED_INTO"
	RenamedTo           RelType = "RENAMED_TO"
	SplitFrom           RelType = "SPLIT_FROM"
	AlliedWith          RelType = "ALLIED_WITH"
	RivalOf             RelType = "RIVAL_OF"
	Supported           RelType = "SUPPORTED"
	NegotiatedWith      RelType = "NEGOTIATED_WITH"
	MetWith             RelType = "MET_WITH"
	EmployedBy          RelType = "EMPLOYED_BY"
	Opposed             RelType = "OPPOSED"
	AssociatedWith      RelType = "ASSOCIATED_WITH"
	FamilyOf            RelType = "FAMILY_OF"
)

// RelTypes lists every relationship type in contract order.
var RelTypes = []RelType{
	MemberOf, LeaderOf, Founded, PledgedAllegianceTo, AffiliateOf, PartOf,
	MergedInto, RenamedTo, SplitFrom, AlliedWith, RivalOf, Supported,
	NegotiatedWith, MetWith, EmployedBy, Opposed, AssociatedWith, FamilyOf,
}

var relTypeSet = func() map[RelType]bool {
	m := make(map[RelType]bool, len(RelTypes))
	for _, t := range RelTypes {
		m[t] = true
	}
	return m
}()

// Valid reports whether t is one of RelTypes.
func (t RelType) Valid() bool { return relTypeSet[t] }

// Symmetric reports whether t reads the same in both directions. Symmetric
// relationships are stored once and returned for either endpoint whatever
// the requested direction.
func (t RelType) Symmetric() bool { return t == AlliedWith || t == RivalOf }

// endpointKinds gives, for the types whose direction the contract fixes,
// the kinds their from and to entities must have.
var endpointKinds = map[RelType][2]EntityKind{
	MemberOf:    {Person, Organization},
	LeaderOf:    {Person, Organization},
	Founded:     {Person, Organization},
	AffiliateOf: {Organization, Organization},
	PartOf:      {Organization, Organization},
	MergedInto:  {Organization, Organization},
	RenamedTo:   {Organization, Organization},
	SplitFrom:   {Organization, Organization},
	FamilyOf:    {Person, Person},
}

// EndpointKinds returns the kinds the contract requires at the from and to
// ends of t; fixed is false for the types that join any two entities.
func (t RelType) EndpointKinds() (from, to EntityKind, fixed bool) {
	k, fixed := endpointKinds[t]
	return k[0], k[1], fixed
}

// AllegianceTypes are followed outward by allegiance chains.
var AllegianceTypes = []RelType{PledgedAllegianceTo, AffiliateOf}

// LineageTypes are followed by lineage queries.
var LineageTypes = []RelType{MergedInto, RenamedTo, SplitFrom}

// Direction selects edges relative to an entity.
type Direction string

// The directions.
const (
	Outgoing Direction = "OUTGOING"
	Incoming Direction = "INCOMING"
	Both     Direction = "BOTH"
)

// Matches reports whether r, seen from entity id, goes in direction d.
// Symmetric relationships match every direction.
func (d Direction) Matches(r *Relationship, id string) bool {
	if d == Both || d == "" || r.Type.Symmetric() {
		return r.From == id || r.To == id
	}
	if d == Outgoing {
		return r.From == id
	}
	return r.To == id
}

// LineageDirection selects predecessors, successors or both.
type LineageDirection string

// The lineage directions.
const (
	Predecessors LineageDirection = "PREDECESSORS"
	Successors   LineageDirection = "SUCCESSORS"
	BothLineages LineageDirection = "BOTH"
)

// TowardSuccessor reports whether following r from its From end leads to a
// successor. MERGED_INTO and RENAMED_TO point from predecessor to successor;
// SPLIT_FROM points from the splinter (the successor) to its parent.
func TowardSuccessor(t RelType) bool { return t != SplitFrom }

// RelFilter narrows the relationships of an entity.
type RelFilter struct {
	// Types keeps only these types; empty means all.
	Types     []RelType
	Direction Direction
	// AsOf keeps relationships in force at that date whose other endpoint
	// exists then; zero keeps all.
	AsOf PartialDate
}

// TypeSet returns the filter's types as a set; nil means all types.
func TypeSet(types []RelType) map[RelType]bool {
	if len(types) == 0 {
		return nil
	}
	m := make(map[RelType]bool, len(types))
	for _, t := range types {
		m[t] = true
	}
	return m
}

// TypeNames returns the types as strings, or every type when types is
// empty.
func TypeNames(types []RelType) []string {
	if len(types) == 0 {
		types = RelTypes
	}
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return s
}
