package knowledge

// A termFilter has a bit for each term that a query's words match (the
// term's number modulo 1,024): a passage's token without the bit of
// either of its terms holds none of the query's words, so the re-scoring
// of the best passages (proximity, spanHeld) skips it without comparing
// it with every alternative of every word. Most of a passage's tokens are
// not the query's; the filter has no false negatives, so the scores are
// the same.
type termFilter [16]uint64

// filterOf returns the filter of the terms of qs.
func filterOf(qs []qterm) *termFilter {
	var f termFilter
	for _, q := range qs {
		for _, a := range q.alts {
			t := uint32(a.term) & 1023
			f[t>>6] |= 1 << (t & 63)
		}
	}
	return &f
}

// mayHold reports whether tok may hold a term of the filter's query.
func (f *termFilter) mayHold(tok [2]int32) bool {
	a, b := uint32(tok[0])&1023, uint32(tok[1])&1023
	return f[a>>6]&(1<<(a&63)) != 0 || f[b>>6]&(1<<(b&63)) != 0
}
