package pki

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// signatureMemo remembers the signatures the pki has made in this process,
// the most recently used signatureCacheSize of them, keyed by the key slot
// and the digest of the complete signing input. RSA PKCS#1 v1.5 signatures
// are deterministic, so returning a remembered signature is
// indistinguishable from signing again; it makes a lab that starts many
// times per process cost one RSA signature per distinct certificate or CRL,
// not one per start.
var signatureMemo = newSigCache(signatureCacheSize)

type memoKey struct {
	slot   int
	hash   crypto.Hash
	digest string
}

// memoSigner signs certificates and CRLs with a pooled key through the memo.
// It is never handed out: Certificate.Key is the plain *rsa.PrivateKey, so
// TLS handshake signatures (RSA-PSS, randomised) do not fill the memo.
type memoSigner struct {
	slot int
	key  *rsa.PrivateKey
}

func (s memoSigner) Public() crypto.PublicKey { return &s.key.PublicKey }

func (s memoSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if _, pss := opts.(*rsa.PSSOptions); pss {
		return nil, errors.New("pki: internal error: certificates are signed with PKCS#1 v1.5, not PSS")
	}
	k := memoKey{slot: s.slot % keyPoolSize, hash: opts.HashFunc(), digest: string(digest)}
	if sig, ok := signatureMemo.get(k); ok {
		return sig, nil
	}
	sig, err := rsa.SignPKCS1v15(nil, s.key, opts.HashFunc(), digest)
	if err != nil {
		return nil, err
	}
	signatureMemo.put(k, sig)
	return sig, nil
}

// resetSignatureMemo forgets every remembered signature (benchmarks use it to
// measure a cold start).
func resetSignatureMemo() { signatureMemo.reset() }

// signJob is one certificate to sign. Everything that varies between runs
// (serial, key slot, validity) is fixed in the template before any job runs,
// so the order in which workers finish does not matter.
type signJob struct {
	template *x509.Certificate
	parent   *x509.Certificate // may itself be an unsigned template
	pub      crypto.PublicKey
	signer   memoSigner
	out      *x509.Certificate
}

// signAll signs independent certificates on GOMAXPROCS workers.
func signAll(jobs []*signJob) error {
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) { errs[i] = jobs[i].sign() })
	return errors.Join(errs...)
}

// parallel runs f(0) … f(n-1) on GOMAXPROCS workers and waits for them.
func parallel(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func (j *signJob) sign() error {
	der, err := x509.CreateCertificate(nil, j.template, j.parent, j.pub, j.signer)
	if err != nil {
		return fmt.Errorf("pki: signing %s: %w", renderRaw(j.template.RawSubject), err)
	}
	j.out, err = x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("pki: parsing the certificate for %s: %w", renderRaw(j.template.RawSubject), err)
	}
	return nil
}
