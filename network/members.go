package network

import (
	"context"
	"sort"
)

// MaxUnitDepth bounds how many PART_OF hops Members follows down from an
// organization to its units.
const MaxUnitDepth = 4

// MembersQuery is the input of Members.
type MembersQuery struct {
	ID string
	// Types are the ties that make a member; empty means MEMBER_OF and
	// LEADER_OF.
	Types []RelType
	AsOf  PartialDate
}

// Member is one answer to "who are X's members and leaders": an entity tied
// to X, or to one of X's units, by one of the query's types.
type Member struct {
	Entity       *Entity
	Relationship *Relationship
	// Unit is the unit of X the tie points at, reached through PART_OF;
	// nil when the tie points at X itself.
	Unit *Entity
}

// Members answers "who are X's members and leaders, from every source": it
// follows PART_OF edges inward from q.ID to its units (up to MaxUnitDepth
// hops), then collects the incoming ties of q.Types to X and to every unit,
// as of q.AsOf. It uses only Store methods, so both stores give the same
// answer. Results are sorted by member id, then relationship id. It
// returns ENOTFOUND for an unknown id.
func Members(ctx context.Context, s Store, q MembersQuery) ([]Member, error) {
	if q.ID == "" {
		return nil, Errorf(EINVALID, "id is required")
	}
	if err := checkTypes(q.Types); err != nil {
		return nil, err
	}
	types := q.Types
	if len(types) == 0 {
		types = []RelType{MemberOf, LeaderOf}
	}
	root, err := s.Entities(ctx, []string{q.ID})
	if err != nil {
		return nil, err
	}
	if root[0] == nil {
		return nil, Errorf(ENOTFOUND, "unknown entity id %q", q.ID)
	}
	units := []string{q.ID}
	seen := map[string]bool{q.ID: true}
	frontier := []string{q.ID}
	for depth := 0; depth < MaxUnitDepth && len(frontier) > 0; depth++ {
		rels, err := s.RelationshipsOf(ctx, frontier, RelFilter{Types: []RelType{PartOf}, Direction: Incoming, AsOf: q.AsOf})
		if err != nil {
			return nil, err
		}
		var next []string
		for _, rs := range rels {
			for _, r := range rs {
				if !seen[r.From] {
					seen[r.From] = true
					next = append(next, r.From)
				}
			}
		}
		sort.Strings(next)
		units, frontier = append(units, next...), next
	}
	ties, err := s.RelationshipsOf(ctx, units, RelFilter{Types: types, Direction: Incoming, AsOf: q.AsOf})
	if err != nil {
		return nil, err
	}
	var ids []string
	type found struct {
		rel  *Relationship
		unit string
	}
	var all []found
	for i, rs := range ties {
		for _, r := range rs {
			if r.To != units[i] || seen[r.From] {
				continue // a tie between units is structure, not membership
			}
			all = append(all, found{r, units[i]})
			ids = append(ids, r.From)
		}
	}
	ids = append(ids, units...)
	es, err := s.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Entity{}
	for _, e := range es {
		if e != nil {
			byID[e.ID] = e
		}
	}
	out := make([]Member, 0, len(all))
	for _, f := range all {
		m := Member{Entity: byID[f.rel.From], Relationship: f.rel}
		if f.unit != q.ID {
			m.Unit = byID[f.unit]
		}
		if m.Entity != nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Entity.ID != out[j].Entity.ID {
			return out[i].Entity.ID < out[j].Entity.ID
		}
		return out[i].Relationship.ID < out[j].Relationship.ID
	})
	return out, nil
}
