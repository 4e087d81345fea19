package bot

import "sync"

// recentSet remembers the last 4,096 keys added, to do a thing once per key
// without growing for ever.
type recentSet struct {
	mu   sync.Mutex
	keys map[string]bool
	ring []string
	next int
}

const recentSize = 4096

// add adds key and reports whether it was new.
func (r *recentSet) add(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys[key] {
		return false
	}
	if r.keys == nil {
		r.keys = make(map[string]bool, recentSize)
		r.ring = make([]string, recentSize)
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.keys, old)
	}
	r.ring[r.next] = key
	r.next = (r.next + 1) % recentSize
	r.keys[key] = true
	return true
}
