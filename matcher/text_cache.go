package matcher

import "sync"

// stemCache remembers the analysed form of single words and short
// phrases: reading a goal looks the same words up several times (stop
// word, synonym key, reason), and analysis is the costly part. It stops
// growing at maxCachedStems so that odd input cannot fill memory.
var stemCache struct {
	sync.RWMutex
	m map[string][]string
}

const maxCachedStems = 20000

// cachedStems is stems for short text, remembered. Callers must not
// change the slice.
func cachedStems(text string) []string {
	if len(text) > 40 {
		return stems(text)
	}
	stemCache.RLock()
	s, ok := stemCache.m[text]
	stemCache.RUnlock()
	if ok {
		return s
	}
	s = stems(text)
	stemCache.Lock()
	if stemCache.m == nil {
		stemCache.m = map[string][]string{}
	}
	if len(stemCache.m) < maxCachedStems {
		stemCache.m[text] = s
	}
	stemCache.Unlock()
	return s
}
