package pki

import (
	"container/list"
	"sync"
)

// signatureCacheSize bounds the signatures remembered per process: about
// 300 bytes each, so at most about 1.2 MB however many certificates a
// long-running serve or a fuzzer makes. A lab needs a few dozen.
const signatureCacheSize = 4096

// sigCache is a least-recently-used cache of signatures.
type sigCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *sigEntry, most recently used first
	byKey map[memoKey]*list.Element
}

type sigEntry struct {
	key memoKey
	sig []byte
}

func newSigCache(max int) *sigCache {
	return &sigCache{max: max, order: list.New(), byKey: map[memoKey]*list.Element{}}
}

// get returns a remembered signature and marks it recently used.
func (c *sigCache) get(k memoKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*sigEntry).sig, true
}

// put remembers a signature, forgetting the least recently used one when
// the cache is full.
func (c *sigCache) put(k memoKey, sig []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[k] = c.order.PushFront(&sigEntry{key: k, sig: sig})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*sigEntry).key)
	}
}

// len is the number of signatures remembered.
func (c *sigCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// reset forgets every signature.
func (c *sigCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byKey)
}
