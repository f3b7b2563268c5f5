package pki

import (
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"strconv"
	"sync"
)

// keyPoolPEM holds the pre-generated RSA-2048 keys written by
// pki/internal/genkeys. The pki never generates keys at run time: Go 1.26
// ignores seeded randomness in rsa.GenerateKey (its documentation says so), so keys
// from a fixed pool are what makes thumbprints stable across runs.
//
//go:embed keypool.pem
var keyPoolPEM []byte

// keyPoolSize is the number of keys in keypool.pem. A PKI takes keys in
// order and wraps around after the last one (see doc.go).
const keyPoolSize = 64

// poolKey is one parsed slot of the pool: parsing costs about 0.12 ms, so each
// slot is parsed once per process, when first used.
type poolKey struct {
	once sync.Once
	key  *rsa.PrivateKey
	skid []byte
	err  error
}

var (
	keyPoolOnce   sync.Once
	keyPoolBlocks [][]byte
	keyPoolErr    error
	poolKeys      [keyPoolSize]poolKey
)

// splitKeyPool decodes the PEM file into one DER block per slot, checking
// that each block's Slot header matches its position.
func splitKeyPool() {
	rest := keyPoolPEM
	for len(rest) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if got := block.Headers["Slot"]; got != strconv.Itoa(len(keyPoolBlocks)) {
			keyPoolErr = fmt.Errorf("pki: keypool.pem block %d has Slot header %q; regenerate it with pki/internal/genkeys", len(keyPoolBlocks), got)
			return
		}
		keyPoolBlocks = append(keyPoolBlocks, block.Bytes)
	}
	if len(keyPoolBlocks) != keyPoolSize {
		keyPoolErr = fmt.Errorf("pki: keypool.pem holds %d keys, want %d; regenerate it with pki/internal/genkeys -n %d", len(keyPoolBlocks), keyPoolSize, keyPoolSize)
	}
}

// pooledKey returns the key in slot (taken modulo the pool size) and its
// subject key identifier (RFC 5280 §4.2.1.2 method 1: SHA-1 of the
// subjectPublicKey bits).
func pooledKey(slot int) (*rsa.PrivateKey, []byte, error) {
	keyPoolOnce.Do(splitKeyPool)
	if keyPoolErr != nil {
		return nil, nil, keyPoolErr
	}
	k := &poolKeys[slot%keyPoolSize]
	k.once.Do(func() {
		parsed, err := x509.ParsePKCS8PrivateKey(keyPoolBlocks[slot%keyPoolSize])
		if err != nil {
			k.err = fmt.Errorf("pki: keypool.pem slot %d: %w", slot%keyPoolSize, err)
			return
		}
		rsaKey, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			k.err = fmt.Errorf("pki: keypool.pem slot %d holds a %T, want an RSA key", slot%keyPoolSize, parsed)
			return
		}
		sum := sha1.Sum(x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey))
		k.key, k.skid = rsaKey, sum[:]
	})
	return k.key, k.skid, k.err
}

// warmKeys parses the n slots from slot from on GOMAXPROCS workers, so that
// a batch of certificates does not parse its keys one after another.
// Errors are reported when the slots are used.
func warmKeys(from, n int) {
	parallel(n, func(i int) { _, _, _ = pooledKey(from + i) })
}
