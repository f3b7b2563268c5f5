package sim

import (
	"fmt"
	"testing"
)

func TestTmpLab(t *testing.T) {
	l, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	id, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hi bob")
	fmt.Println(id, err)
	m, err := l.OnPrem.GetMessages("bob@contoso.com")
	fmt.Println(len(m), err)
	id, err = l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "hi alice")
	fmt.Println(id, err)
	mm, err := l.EXO.Mailbox("alice@contoso.com")
	fmt.Println(len(mm), err)
	for _, e := range l.OnPrem.Ledger() {
		fmt.Printf("%+v\n", e)
	}
	for _, e := range l.EXO.Ledger() {
		fmt.Printf("%+v\n", e)
	}
}
func TestTmpWhere(t *testing.T) {
	l, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hi bob")
	l.Send("bob@contoso.com", []string{"alice@contoso.com", "carol@fabrikam.com"}, "hi alice")
	w, err := l.Whereabouts()
	fmt.Println(err)
	for _, x := range w {
		fmt.Printf("%+v\n", x)
	}
}
func TestTmpHold(t *testing.T) {
	l, _ := New(DefaultConfig())
	defer l.Close()
	l.Send("bob@contoso.com", []string{"carol@fabrikam.com"}, "hi")
	for _, h := range l.holdings() {
		fmt.Printf("%+v\n", *h)
	}
}
func TestTmpWizard(t *testing.T) {
	l, _ := New(DefaultConfig())
	defer l.Close()
	r, err := l.RunHybridWizard(l.Certificates["hybrid"].Thumbprint(), WizardOptions{})
	fmt.Println(err, r.Equal())
	fmt.Print(r.String())
}
func TestTmpTrace(t *testing.T) {
	l, _ := New(DefaultConfig())
	defer l.Close()
	id, _ := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hi bob")
	fmt.Print(l.Trace(id).String())
}
func TestTmpManifest(t *testing.T){
 l, _ := New(DefaultConfig()); defer l.Close()
 m, err := l.WriteManifest(t.TempDir()); fmt.Println(err)
 for _, e := range m.Endpoints { fmt.Printf("%+v\n", e) }
}
