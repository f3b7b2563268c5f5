// Command genkeys writes the pool of pre-generated RSA-2048 keys that the pki
// package ships (pki/keypool.pem). It is run once by hand; the pki never
// generates keys at run time, so certificates and thumbprints are the same on
// every run and machine.
//
//	go run ./pki/internal/genkeys -n 64 > pki/keypool.pem
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 64, "number of RSA-2048 keys to write")
	flag.Parse()
	for i := 0; i < *n; i++ {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genkeys:", err)
			os.Exit(1)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genkeys:", err)
			os.Exit(1)
		}
		block := &pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Slot": fmt.Sprint(i)}, Bytes: der}
		if err := pem.Encode(os.Stdout, block); err != nil {
			fmt.Fprintln(os.Stderr, "genkeys:", err)
			os.Exit(1)
		}
	}
}
