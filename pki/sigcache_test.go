package pki

import (
	"fmt"
	"testing"
)

// TestSigCacheBounded: the cache keeps at most its size, forgets the least
// recently used first, and a get makes an entry recent.
func TestSigCacheBounded(t *testing.T) {
	c := newSigCache(3)
	key := func(i int) memoKey { return memoKey{slot: i, digest: fmt.Sprint(i)} }
	for i := range 3 {
		c.put(key(i), []byte{byte(i)})
	}
	if _, ok := c.get(key(0)); !ok { // 0 is now the most recent
		t.Fatal("entry 0 forgotten before the cache was full")
	}
	c.put(key(3), []byte{3}) // forgets 1, the least recently used
	c.put(key(4), []byte{4}) // forgets 2
	if c.len() != 3 {
		t.Errorf("len = %d, want 3", c.len())
	}
	for i, want := range []bool{true, false, false, true, true} {
		if _, ok := c.get(key(i)); ok != want {
			t.Errorf("entry %d remembered = %v, want %v", i, ok, want)
		}
	}
	c.reset()
	if c.len() != 0 {
		t.Errorf("len after reset = %d", c.len())
	}
}
