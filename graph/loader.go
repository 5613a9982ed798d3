package graph

import (
	"context"
	"sync"
)

// loader batches and caches loads for one request. A list resolver hints
// which keys sit together on a page; the first field that needs any of them
// loads the whole page in one statement. Unlike a time-window dataloader,
// the number of statements does not depend on goroutine scheduling.
type loader[K comparable, V any] struct {
	fetch func(ctx context.Context, keys []K) (map[K]V, error)

	mu       sync.Mutex
	done     map[K]V
	failed   map[K]error
	missing  map[K]bool
	inflight map[K]*batch
	siblings map[K][]K
}

type batch struct {
	finished chan struct{}
}

func newLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *loader[K, V] {
	return &loader[K, V]{
		fetch:    fetch,
		done:     map[K]V{},
		failed:   map[K]error{},
		missing:  map[K]bool{},
		inflight: map[K]*batch{},
		siblings: map[K][]K{},
	}
}

// hint records that keys are likely to be loaded together.
func (l *loader[K, V]) hint(keys []K) {
	if len(keys) < 2 {
		return
	}
	group := append([]K(nil), keys...)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if _, ok := l.siblings[k]; !ok {
			l.siblings[k] = group
		}
	}
}

// load returns the value for key, and whether there is one.
func (l *loader[K, V]) load(ctx context.Context, key K) (V, bool, error) {
	l.mu.Lock()
	for {
		if v, ok := l.done[key]; ok {
			l.mu.Unlock()
			return v, true, nil
		}
		if l.missing[key] {
			l.mu.Unlock()
			var zero V
			return zero, false, nil
		}
		if err, ok := l.failed[key]; ok {
			l.mu.Unlock()
			var zero V
			return zero, false, err
		}
		b, ok := l.inflight[key]
		if !ok {
			break
		}
		l.mu.Unlock()
		select {
		case <-b.finished:
		case <-ctx.Done():
			var zero V
			return zero, false, ctx.Err()
		}
		l.mu.Lock()
	}
	keys := []K{key}
	for _, k := range l.siblings[key] {
		if k == key {
			continue
		}
		_, isDone := l.done[k]
		_, isFailed := l.failed[k]
		_, isInflight := l.inflight[k]
		if !isDone && !isFailed && !isInflight && !l.missing[k] {
			keys = append(keys, k)
		}
	}
	b := &batch{finished: make(chan struct{})}
	for _, k := range keys {
		l.inflight[k] = b
	}
	l.mu.Unlock()

	vals, err := l.fetch(ctx, keys)

	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.inflight, k)
		switch v, ok := vals[k]; {
		case err != nil:
			l.failed[k] = err
		case ok:
			l.done[k] = v
		default:
			l.missing[k] = true
		}
	}
	close(b.finished)
	if err != nil {
		var zero V
		return zero, false, err
	}
	return l.done[key], !l.missing[key], nil
}
