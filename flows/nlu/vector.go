package nlu

import (
	"math"
	"math/bits"
)

// Turning a message's features into a vector is, after the dot products,
// most of classifying it. vector sorts the keys and removes their
// duplicates, for two reasons: the dot products must add the rows in one
// order (float32 sums depend on it), and a feature counts once. Rows are
// numbered in key order (newSpace), so the rows of the known features in
// row order are that order: messageVector marks them in a bit set, which
// yields them sorted and once each, and sorts nothing. The unknown
// features count in the norm only, once each: a small hash set of them
// tells which were met.
//
// The norm is then summed in another order than vector's. Its terms are
// float32 squares added in float64; when the ratio of their sum to the
// smallest term is under 2^29 (a 24-bit significand in a 53-bit one), every
// partial sum is exact, in any order, and so is the result. With idf at
// least 1 and group weights of 0.5 and 1 it always is (the ratio is under
// 2^22); when it is not, messageVector says so and the caller sorts.

// A rowSet is a set of vocabulary rows, two levels of bits: a bit per row,
// and a bit per word of those that is not zero, so that reading the set
// (which empties it) visits only the words that hold rows.
type rowSet struct {
	words, summary []uint64
	unknown        []uint64 // hash set of the unknown keys met; 0 is empty
}

// messageVector returns the L2-normalised vector of the features of a
// message, the rows in b.known and the keys in b.keys (in any order,
// duplicates allowed), as vector returns it for their keys sorted and
// unique; and false if the norm could not be shown exact, when the vector
// may differ and the caller uses vector.
func (s *space) messageVector(b *buffers) (sparse, bool) {
	rs := &b.rowSet
	if n := (len(s.idf) + 63) / 64; len(rs.words) < n {
		rs.words = make([]uint64, n)
		rs.summary = make([]uint64, (n+63)/64)
	}
	size := 16
	for size < 2*len(b.keys) {
		size <<= 1
	}
	if cap(rs.unknown) < size {
		rs.unknown = make([]uint64, size)
	}
	unknown := rs.unknown[:size]
	clear(unknown)
	shift := uint(64 - bits.TrailingZeros(uint(size)))
	zero := false // key 0 met, unknown

	var unseen [4]float64 // the term of an unknown feature, by group
	for g, w := range groupWeight {
		v := w * s.unseen
		unseen[g] = float64(v * v)
	}
	words, summary, value := rs.words, rs.summary, s.value
	var norm float64
	for _, r := range b.known {
		w, bit := uint(r)>>6, uint64(1)<<(uint(r)&63)
		if words[w]&bit != 0 {
			continue
		}
		words[w] |= bit
		summary[w>>6] |= 1 << (w & 63)
		v := value[r]
		norm += float64(v * v)
	}
	for _, k := range b.keys {
		if r, ok := s.vocab.get(k); ok {
			w, bit := uint(r)>>6, uint64(1)<<(uint(r)&63)
			if words[w]&bit != 0 {
				continue
			}
			words[w] |= bit
			summary[w>>6] |= 1 << (w & 63)
			v := value[r]
			norm += float64(v * v)
			continue
		}
		if k == 0 {
			if zero {
				continue
			}
			zero = true
		} else if !insertKey(unknown, shift, k) {
			continue
		}
		norm += unseen[k&3]
	}

	// Each known feature gives at most one row.
	if n := len(b.known) + len(b.keys); cap(b.rows) < n {
		b.rows, b.vals = make([]int32, n), make([]float32, n)
	}
	rows, vals := b.rows[:cap(b.rows)], b.vals[:cap(b.vals)]
	n := 0
	for i, sw := range summary {
		if sw == 0 {
			continue
		}
		summary[i] = 0
		for ; sw != 0; sw &= sw - 1 {
			w := i<<6 | bits.TrailingZeros64(sw)
			for bw := words[w]; bw != 0; bw &= bw - 1 {
				r := int32(w<<6 | bits.TrailingZeros64(bw))
				rows[n], vals[n] = r, value[r]
				n++
			}
			words[w] = 0
		}
	}
	rows, vals = rows[:n], vals[:n]
	b.rows, b.vals = rows, vals
	if norm > 0 && norm >= math.Ldexp(s.least, 29) {
		return sparse{}, false
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range vals {
			vals[i] *= inv
		}
	}
	return sparse{rows, vals}, true
}

// leastTerm returns the smallest non-zero term of the norm of a vector of
// s: the square of the smallest value of a feature.
func (s *space) leastTerm() float64 {
	least := math.Inf(1)
	term := func(v float32) {
		if t := float64(v * v); t > 0 && t < least {
			least = t
		}
	}
	for _, v := range s.value {
		term(v)
	}
	for _, w := range groupWeight {
		term(w * s.unseen)
	}
	return least
}

// insertKey adds k (not 0) to the open-addressing set, and reports whether
// it was not there.
func insertKey(set []uint64, shift uint, k uint64) bool {
	mask := len(set) - 1
	for i := int((k * 0x9E3779B97F4A7C15) >> shift); ; i = (i + 1) & mask {
		switch set[i] {
		case k:
			return false
		case 0:
			set[i] = k
			return true
		}
	}
}
