package nlu

import (
	"math/bits"
	"slices"
)

// Classifying a message looks up each of its features (a long message has
// a thousand) in the vocabulary and sorts them first: these two are most
// of its cost, so they have code of their own. Both give exactly what a Go
// map and slices.Sort give.

// A keyTable maps feature keys to vocabulary rows: open addressing with
// linear probing, at most half full. Feature keys are hashes already, so a
// multiplication spreads them over the slots; a Go map would hash them
// again. The keys are apart from the rows, so that a look-up, which most
// often misses (half a message's features are unknown), reads 8 bytes a
// slot. Key 0 marks an empty slot; the key 0 itself, if the vocabulary has
// it, is kept aside.
type keyTable struct {
	keys  []uint64
	rows  []int32
	shift uint // 64 - log2(len(keys))
	// zero is the row of key 0 plus one, or 0 if it is not in the table.
	zero int32
}

// newKeyTable returns a table of keys[i] -> i. The keys are distinct.
func newKeyTable(keys []uint64) keyTable {
	size := 2
	for size < 2*len(keys) {
		size <<= 1
	}
	t := keyTable{keys: make([]uint64, size), rows: make([]int32, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
	for r, k := range keys {
		if k == 0 {
			t.zero = int32(r) + 1
			continue
		}
		i := t.slot(k)
		for t.keys[i] != 0 {
			i = (i + 1) & (size - 1)
		}
		t.keys[i], t.rows[i] = k, int32(r)
	}
	return t
}

// slot is where a search for k starts: Fibonacci hashing on the high bits.
func (t *keyTable) slot(k uint64) int { return int((k * 0x9E3779B97F4A7C15) >> t.shift) }

// get returns the row of k, and false if k is not in the table.
func (t *keyTable) get(k uint64) (int32, bool) {
	if k == 0 {
		return t.zero - 1, t.zero > 0
	}
	mask := len(t.keys) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.rows[i], true
		case 0:
			return 0, false
		}
	}
}

// split returns the rows of the keys that are in the table, and the keys
// that are not.
func (t *keyTable) split(keys []uint64) (rows []int32, unknown []uint64) {
	for _, k := range keys {
		if r, ok := t.get(k); ok {
			rows = append(rows, r)
		} else {
			unknown = append(unknown, k)
		}
	}
	return rows, unknown
}

// uniq sorts keys and removes duplicates, using buf (which it may grow
// and returns) as scratch space.
func uniq(keys, buf []uint64) (sorted, scratch []uint64) {
	sortKeys(keys, &buf)
	return slices.Compact(keys), buf
}

// sortKeys sorts keys in place. Keys are hashes, spread evenly over their
// high bits, so a message's thousand keys go to buckets by their top bits,
// a few to a bucket, each then sorted by insertion: no comparisons across
// buckets, where a general sort makes ten per key.
func sortKeys(keys []uint64, buf *[]uint64) {
	if len(keys) < 64 {
		slices.Sort(keys)
		return
	}
	// About two keys to a bucket.
	b := bits.Len(uint(len(keys))) - 1
	shift := uint(64 - b)
	var count [1 << 10]int32
	if b > 10 {
		b, shift = 10, 64-10
	}
	n := 1 << b
	for _, k := range keys {
		count[k>>shift]++
	}
	start := int32(0)
	for i := range n {
		c := count[i]
		count[i] = start
		start += c
	}
	if cap(*buf) < len(keys) {
		*buf = make([]uint64, len(keys))
	}
	out := (*buf)[:len(keys)]
	for _, k := range keys {
		d := k >> shift
		out[count[d]] = k
		count[d]++
	}
	// count[i] is now the end of bucket i.
	lo := int32(0)
	for i := range n {
		hi := count[i]
		if bucket := out[lo:hi]; len(bucket) > 16 {
			slices.Sort(bucket)
		} else {
			for j := 1; j < len(bucket); j++ {
				for k := j; k > 0 && bucket[k] < bucket[k-1]; k-- {
					bucket[k], bucket[k-1] = bucket[k-1], bucket[k]
				}
			}
		}
		lo = hi
	}
	copy(keys, out)
}
