package pki

// Hooks for the external tests in package pki_test.

// ResetCaches forgets every remembered signature and every parsed pool key,
// so that a benchmark measures a cold process.
func ResetCaches() {
	resetSignatureMemo()
	poolKeys = [keyPoolSize]poolKey{}
}

// DER exposes the name encoder.
func (n Name) DER() []byte { return n.der() }

// NameFromDER exposes the name decoder.
func NameFromDER(der []byte) (Name, error) { return nameFromDER(der) }
