package memory

import "hash/maphash"

// idTable finds record indexes by id (of entities, relationships and
// search terms): an open-addressing hash table of int32 indexes whose keys
// are read from the records themselves, a few bytes per record where a
// map[string]int32 costs tens, and no pointer for the garbage collector to
// follow.
type idTable struct {
	seed maphash.Seed
	// slots hold index+1; 0 is empty and tombstone marks a removed entry.
	slots []int32
	// used counts live entries and tombstones.
	used, live int
}

const tombstone = -1

func newIDTable(n int) *idTable {
	t := &idTable{seed: maphash.MakeSeed()}
	t.slots = make([]int32, tableSize(n))
	return t
}

// tableSize is a power of two keeping n entries at most half full.
func tableSize(n int) int {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return size
}

// find returns the index stored under id, or -1.
func (t *idTable) find(id string, key func(int32) string) int32 {
	mask := len(t.slots) - 1
	for p := int(maphash.String(t.seed, id)) & mask; ; p = (p + 1) & mask {
		switch v := t.slots[p]; v {
		case 0:
			return -1
		case tombstone:
		default:
			if key(v-1) == id {
				return v - 1
			}
		}
	}
}

// findOrInsert returns the index stored under key(i), or stores i there
// and returns i.
func (t *idTable) findOrInsert(i int32, key func(int32) string) int32 {
	if 4*(t.used+1) > 3*len(t.slots) {
		t.rehash(tableSize(t.live+1), key)
	}
	id := key(i)
	mask := len(t.slots) - 1
	free := -1
	for p := int(maphash.String(t.seed, id)) & mask; ; p = (p + 1) & mask {
		switch v := t.slots[p]; v {
		case 0:
			if free < 0 {
				free = p
				t.used++
			}
			t.slots[free] = i + 1
			t.live++
			return i
		case tombstone:
			if free < 0 {
				free = p
			}
		default:
			if key(v-1) == id {
				return v - 1
			}
		}
	}
}

// insert stores i under key(i), which must not be present.
func (t *idTable) insert(i int32, key func(int32) string) {
	if 4*(t.used+1) > 3*len(t.slots) {
		t.rehash(tableSize(t.live+1), key)
	}
	mask := len(t.slots) - 1
	for p := int(maphash.String(t.seed, key(i))) & mask; ; p = (p + 1) & mask {
		if t.slots[p] == 0 {
			t.slots[p] = i + 1
			t.used++
			t.live++
			return
		}
	}
}

// remove deletes the entry of id, if any.
func (t *idTable) remove(id string, key func(int32) string) {
	mask := len(t.slots) - 1
	for p := int(maphash.String(t.seed, id)) & mask; ; p = (p + 1) & mask {
		switch v := t.slots[p]; v {
		case 0:
			return
		case tombstone:
		default:
			if key(v-1) == id {
				t.slots[p] = tombstone
				t.live--
				return
			}
		}
	}
}

func (t *idTable) rehash(size int, key func(int32) string) {
	old := t.slots
	t.slots = make([]int32, size)
	t.used, t.live = 0, 0
	for _, v := range old {
		if v > 0 {
			t.insert(v-1, key)
		}
	}
}
