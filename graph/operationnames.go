package graph

import (
	"regexp"
	"sync"
)

var operationNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// nameLimiter bounds the operation names used as metric labels: clients
// choose them, so an unbounded set would grow memory without limit.
type nameLimiter struct {
	mu    sync.Mutex
	max   int
	names map[string]bool
}

func newNameLimiter(max int) *nameLimiter {
	return &nameLimiter{max: max, names: map[string]bool{}}
}

func (l *nameLimiter) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationNameRE.MatchString(name) {
		return "other"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.names[name] {
		return name
	}
	if len(l.names) >= l.max {
		return "other"
	}
	l.names[name] = true
	return name
}
