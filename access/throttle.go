package access

import (
	"sync"
	"time"
)

// throttle limits failed sign-ins per key (an e-mail address or a network
// address) within a window; past the limit the key is locked out until the
// window ends. It is per server process.
type throttle struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	keys   map[string]*attempts
}

type attempts struct {
	failures int
	since    time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, now: time.Now, keys: map[string]*attempts{}}
}

// blocked reports whether the key is locked out, and until when.
func (t *throttle) blocked(key string) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.keys[key]
	if a == nil {
		return false, time.Time{}
	}
	if t.now().Sub(a.since) > t.window {
		delete(t.keys, key)
		return false, time.Time{}
	}
	return a.failures >= t.limit, a.since.Add(t.window)
}

func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.keys[key]
	if a == nil || t.now().Sub(a.since) > t.window {
		a = &attempts{since: t.now()}
		t.keys[key] = a
	}
	a.failures++
}

func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}
