package scenarios

import "testing"

// TestNegativeControlCatchesASymptomEveryLabShows: a symptom every TLS
// session shows (F02's old "Sending certificate") holds on the unbroken
// lab, and the negative control says so; F02's own symptoms do not.
func TestNegativeControlCatchesASymptomEveryLabShows(t *testing.T) {
	e, ok := Find("F02")
	if !ok {
		t.Fatal("no F02")
	}
	got, err := NegativeControl(e)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Clean {
		t.Errorf("F02's symptoms hold on the unbroken lab: %+v", got.Symptoms)
	}
	e.Symptoms = append(e.Symptoms, Symptom{Where: ReceiveLog, Want: literal("*,,Sending certificate")})
	e.Readings = nil
	got, err = NegativeControl(e)
	if err != nil {
		t.Fatal(err)
	}
	if got.Clean || !got.Symptoms[len(got.Symptoms)-1].Seen {
		t.Errorf("the negative control did not see \"Sending certificate\" on the unbroken lab: %+v", got.Symptoms)
	}
}
