package unsc

import (
	"reflect"
	"sort"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Report says what a reload changed, by reference number.
type Report struct{ Added, Changed, Removed, Unchanged []string }

// Reconcile turns a parsed list into the dataset to load on top of prev
// (a store's Snapshot): records new to prev are added, records whose
// imported content differs are rewritten, derived relationships that the
// new list no longer states are put in DeleteRelationships (except those
// of delisted records: a delisting is not a retraction), and records
// that prev holds with an open UN designation but the list no longer has
// are delisted: their entity is kept and its UN designation gets Until =
// list.Generated. Entities are matched to prev by their unsc-ref
// identifier, NOT by id, because entity resolution may have folded a UN
// record into a curated entity with another id (in that case keep that
// entity's id and its non-UN fields; only the UN-derived fields are
// compared and updated). Loading the same list twice: the second
// Reconcile reports everything Unchanged and produces a dataset whose
// Load changes nothing.
//
// An entity prev holds under the record's own id and citing nothing but
// the list is the importer's own: it is compared whole and rewritten
// whole. Any other matched entity is a folded one: it is unchanged when it
// holds every value the list gives (its name as name or alias, each alias,
// birth date, document, note …) and the same UN designation; a change adds
// the missing values and replaces the UN designation. Values the list no
// longer gives stay on a folded entity, since a snapshot cannot tell them
// from curated ones. Unit organizations (SchemeUnit) are matched the same
// way and count towards the record whose comment names them; one the list
// no longer names is deleted when it is the importer's own.
func Reconcile(prev *network.Dataset, list *List) (*network.Dataset, Report) {
	if prev == nil {
		prev = &network.Dataset{}
	}
	out := &network.Dataset{}
	cur := list.Dataset
	for _, s := range cur.Sources {
		if !containsSource(prev.Sources, s) {
			out.Sources = append(out.Sources, s)
		}
	}

	prevByKey := map[string]*network.Entity{}
	prevByID := map[string]*network.Entity{}
	for i := range prev.Entities {
		e := &prev.Entities[i]
		prevByID[e.ID] = e
		for _, k := range matchKeys(e) {
			if prevByKey[k] == nil {
				prevByKey[k] = e
			}
		}
	}
	curByKey := map[string]*network.Entity{}
	curByID := map[string]*network.Entity{}
	for i := range cur.Entities {
		e := &cur.Entities[i]
		curByID[e.ID] = e
		curByKey[matchKey(e)] = e
	}

	added, changed, removed := map[string]bool{}, map[string]bool{}, map[string]bool{}
	idMap := map[string]string{}
	for i := range cur.Entities {
		n := &cur.Entities[i]
		old := prevByKey[matchKey(n)]
		switch {
		case old == nil:
			out.Entities = append(out.Entities, *n.Clone())
			if ref := identifier(n, SchemeRef); ref != "" {
				added[ref] = true
			} else {
				changed[unitOwner(n)] = true
			}
		case ownedByList(old, n.ID):
			idMap[n.ID] = old.ID
			if !sameEntity(old, n) {
				out.Entities = append(out.Entities, *n.Clone())
				changed[owner(n)] = true
			}
		default:
			idMap[n.ID] = old.ID
			if !covers(old, n) {
				out.Entities = append(out.Entities, fold(old, n))
				changed[owner(n)] = true
			}
		}
	}
	for i := range prev.Entities {
		o := &prev.Entities[i]
		for _, k := range matchKeys(o) {
			if curByKey[k] != nil || prevByKey[k] != o {
				continue
			}
			scheme, value, _ := strings.Cut(k, ":")
			switch {
			case scheme == SchemeRef:
				// The entity may already be rewritten for another record
				// folded into it: delist on that copy.
				at := -1
				for j := range out.Entities {
					if out.Entities[j].ID == o.ID {
						at = j
					}
				}
				base := o
				if at >= 0 {
					base = &out.Entities[at]
				}
				if c, ok := delist(base, value, list.Generated); ok {
					if at >= 0 {
						out.Entities[at] = c
					} else {
						out.Entities = append(out.Entities, c)
					}
					removed[value] = true
				}
			case ownedByList(o, o.ID):
				out.DeleteEntities = append(out.DeleteEntities, o.ID)
				changed[unitOwner(o)] = true
			}
		}
	}

	// Derived relationships, matched on (from, type, to) after mapping the
	// list's ids to the ids prev holds.
	prevRels := map[string]*network.Relationship{}
	for i := range prev.Relationships {
		r := &prev.Relationships[i]
		if derived(r) {
			prevRels[relKey(r)] = r
		}
	}
	matched := map[string]bool{}
	for i := range cur.Relationships {
		r := *cur.Relationships[i].Clone()
		who := relOwner(&r, curByID, cur.Entities)
		if to, ok := idMap[r.From]; ok {
			r.From = to
		}
		if to, ok := idMap[r.To]; ok {
			r.To = to
		}
		if r.From == r.To {
			continue // two records of one entity, folded by resolution
		}
		r.ID = relID(r.From, r.Type, r.To)
		k := relKey(&r)
		p := prevRels[k]
		if p != nil {
			matched[k] = true
			r.ID = p.ID
			if sameRel(p, &r) {
				continue
			}
		}
		out.Relationships = append(out.Relationships, r)
		changed[who] = true
	}
	for k, p := range prevRels {
		if !matched[k] {
			owner := relOwner(p, prevByID, prev.Entities)
			if removed[owner] {
				// A delisting is not a retraction: what the list said of a
				// record while it was listed stays, as the entity does.
				continue
			}
			out.DeleteRelationships = append(out.DeleteRelationships, p.ID)
			changed[owner] = true
		}
	}
	sort.Strings(out.DeleteRelationships)
	sort.Strings(out.DeleteEntities)
	out.Sort()

	var rep Report
	for i := range cur.Entities {
		ref := identifier(&cur.Entities[i], SchemeRef)
		switch {
		case ref == "":
		case added[ref]:
			rep.Added = append(rep.Added, ref)
		case changed[ref]:
			rep.Changed = append(rep.Changed, ref)
		default:
			rep.Unchanged = append(rep.Unchanged, ref)
		}
	}
	for ref := range removed {
		rep.Removed = append(rep.Removed, ref)
	}
	for _, s := range [][]string{rep.Added, rep.Changed, rep.Removed, rep.Unchanged} {
		sort.Strings(s)
	}
	return out, rep
}

// matchKey is what matches an entity across loads: its reference number,
// or a unit's SchemeUnit value; "" for anything else.
// matchKeys returns every key of e: an entity into which resolution folded
// several records (two listings of one person) has one per record.
func matchKeys(e *network.Entity) []string {
	var keys []string
	for _, id := range e.Identifiers {
		if id.Scheme == SchemeRef || id.Scheme == SchemeUnit {
			keys = append(keys, id.Scheme+":"+id.Value)
		}
	}
	return keys
}

func matchKey(e *network.Entity) string {
	if v := identifier(e, SchemeRef); v != "" {
		return SchemeRef + ":" + v
	}
	if v := identifier(e, SchemeUnit); v != "" {
		return SchemeUnit + ":" + v
	}
	return ""
}

func identifier(e *network.Entity, scheme string) string {
	for _, id := range e.Identifiers {
		if id.Scheme == scheme {
			return id.Value
		}
	}
	return ""
}

// unitOwner is the reference of the record whose comment names unit e.
func unitOwner(e *network.Entity) string {
	ref, _, _ := strings.Cut(identifier(e, SchemeUnit), "/")
	return ref
}

// owner is the reference a change to e counts for.
func owner(e *network.Entity) string {
	if ref := identifier(e, SchemeRef); ref != "" {
		return ref
	}
	return unitOwner(e)
}

// ownedByList reports whether e is the importer's own: held under id and
// citing the list alone.
func ownedByList(e *network.Entity, id string) bool {
	if e.ID != id || len(matchKeys(e)) > 1 {
		return false // another record was folded into it
	}
	for _, s := range e.SourceIDs {
		if s != SourceID {
			return false
		}
	}
	return true
}

// derived reports whether r is a relationship this importer extracted.
func derived(r *network.Relationship) bool {
	return strings.HasPrefix(r.Qualifier, network.DerivedFromText) && contains(r.SourceIDs, SourceID)
}

func relKey(r *network.Relationship) string { return r.From + "|" + string(r.Type) + "|" + r.To }

// relOwner is the reference of the record whose comment states r: an
// endpoint whose notes hold the evidence, a unit's record, any record
// whose notes hold it, else the From endpoint's record.
func relOwner(r *network.Relationship, byID map[string]*network.Entity, all []network.Entity) string {
	for _, id := range []string{r.From, r.To} {
		if e := byID[id]; e != nil && identifier(e, SchemeRef) != "" && notesHold(e, r.Evidence) {
			return identifier(e, SchemeRef)
		}
	}
	for _, id := range []string{r.From, r.To} {
		if e := byID[id]; e != nil && identifier(e, SchemeUnit) != "" {
			return unitOwner(e)
		}
	}
	for i := range all {
		if ref := identifier(&all[i], SchemeRef); ref != "" && notesHold(&all[i], r.Evidence) {
			return ref
		}
	}
	if e := byID[r.From]; e != nil {
		return owner(e)
	}
	return ""
}

func notesHold(e *network.Entity, evidence string) bool {
	for _, n := range e.Notes {
		if evidence != "" && strings.Contains(n, evidence) {
			return true
		}
	}
	return false
}

// unDesignation returns the index of e's UN designation for ref, or -1.
func unDesignation(e *network.Entity, ref string) int {
	for i, d := range e.Designations {
		if d.Authority == Authority && d.Reference == ref {
			return i
		}
	}
	return -1
}

// delist closes the open UN designation of e, if it has one.
func delist(e *network.Entity, ref string, on network.PartialDate) (network.Entity, bool) {
	i := unDesignation(e, ref)
	if i < 0 || !e.Designations[i].Until.IsZero() {
		return network.Entity{}, false
	}
	c := e.Clone()
	c.Designations[i].Until = on
	return *c, true
}

// sameEntity compares two entities field by field, an empty list equal
// to a missing one.
func sameEntity(a, b *network.Entity) bool {
	return reflect.DeepEqual(normalized(a), normalized(b))
}

func normalized(e *network.Entity) *network.Entity {
	c := e.Clone()
	v := reflect.ValueOf(c).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	for i := range c.Designations {
		if len(c.Designations[i].SourceIDs) == 0 {
			c.Designations[i].SourceIDs = nil
		}
	}
	return c
}

func sameRel(a, b *network.Relationship) bool {
	return a.Type == b.Type && a.From == b.From && a.To == b.To && a.Role == b.Role &&
		a.Since == b.Since && a.Until == b.Until && a.Qualifier == b.Qualifier &&
		a.Evidence == b.Evidence && a.Note == b.Note && sameStrings(a.SourceIDs, b.SourceIDs)
}

// covers reports whether the folded entity old holds every UN-derived
// value of n and n's UN designation.
func covers(old, n *network.Entity) bool {
	names := append([]string{old.Name}, old.Aliases...)
	if old.Kind != n.Kind || !contains(names, n.Name) {
		return false
	}
	for _, p := range stringLists(old, n) {
		if !subset(*p[1], *p[0]) {
			return false
		}
	}
	if !subset(n.Aliases, names) || !structSubset(n.Documents, old.Documents) ||
		!structSubset(n.BirthDates, old.BirthDates) || !structSubset(n.Identifiers, old.Identifiers) {
		return false
	}
	for _, d := range n.Designations {
		i := unDesignation(old, d.Reference)
		if i < 0 || !sameDesignation(old.Designations[i], d) {
			return false
		}
	}
	return true
}

// fold returns old with the UN-derived values of n added and its UN
// designation replaced; old's id, name and other fields are kept.
func fold(old, n *network.Entity) network.Entity {
	c := old.Clone()
	if n.Name != c.Name {
		c.Aliases = addUnique(c.Aliases, n.Name)
	}
	for _, a := range n.Aliases {
		if a != c.Name {
			c.Aliases = addUnique(c.Aliases, a)
		}
	}
	for _, p := range stringLists(c, n) {
		for _, s := range *p[1] {
			*p[0] = addUnique(*p[0], s)
		}
	}
	c.Documents = structUnion(c.Documents, n.Documents)
	c.BirthDates = structUnion(c.BirthDates, n.BirthDates)
	c.Identifiers = structUnion(c.Identifiers, n.Identifiers)
	if c.Born.IsZero() {
		c.Born = n.Born
	}
	for _, d := range n.Designations {
		d.SourceIDs = append([]string(nil), d.SourceIDs...)
		if i := unDesignation(c, d.Reference); i >= 0 {
			c.Designations[i] = d
		} else {
			c.Designations = append(c.Designations, d)
		}
	}
	return *c
}

// stringLists pairs the UN-derived string lists of a (first) and b.
func stringLists(a, b *network.Entity) [][2]*[]string {
	return [][2]*[]string{
		{&a.WeakAliases, &b.WeakAliases}, {&a.PreviousNames, &b.PreviousNames},
		{&a.OriginalScriptNames, &b.OriginalScriptNames}, {&a.Notes, &b.Notes},
		{&a.Topics, &b.Topics}, {&a.Addresses, &b.Addresses},
		{&a.Nationality, &b.Nationality}, {&a.BirthPlaces, &b.BirthPlaces},
		{&a.Positions, &b.Positions}, {&a.SourceIDs, &b.SourceIDs},
	}
}

func sameDesignation(a, b network.Designation) bool {
	return a.ID == b.ID && a.Authority == b.Authority && a.Program == b.Program && a.Reference == b.Reference &&
		a.ListedOn == b.ListedOn && a.Until == b.Until && sameStrings(a.SourceIDs, b.SourceIDs)
}

func containsSource(list []network.Source, s network.Source) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func subset(sub, of []string) bool {
	for _, s := range sub {
		if !contains(of, s) {
			return false
		}
	}
	return true
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func structSubset[T comparable](sub, of []T) bool {
	for _, s := range sub {
		found := false
		for _, x := range of {
			found = found || x == s
		}
		if !found {
			return false
		}
	}
	return true
}

func structUnion[T comparable](a, b []T) []T {
	for _, s := range b {
		if !structSubset([]T{s}, a) {
			a = append(a, s)
		}
	}
	return a
}
