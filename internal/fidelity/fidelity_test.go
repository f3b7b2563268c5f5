package fidelity

import "testing"

func TestCheck(t *testing.T) {
	const template = `{time},{field},{sid},{n},receiving message`
	tests := []struct {
		name, sample, got, want string
	}{
		{name: "Both", sample: "2024-03-13T09:01:18.724Z,X,08DC42C8FF236A1F,5,receiving message",
			got: "2026-01-05T09:00:00.001Z,Y,08DE4BBB14049000,7,receiving message"},
		{name: "GotDiffers", sample: "2024-03-13T09:01:18.724Z,X,08DC42C8FF236A1F,5,receiving message",
			got:  "2026-01-05T09:00:00.001Z,Y,08DE4BBB14049000,7,Receiving message",
			want: "fidelity: the lab's output differs from the real sample beyond what varies:\n got      2026-01-05T09:00:00.001Z,Y,08DE4BBB14049000,7,Receiving message\n sample   2024-03-13T09:01:18.724Z,X,08DC42C8FF236A1F,5,receiving message\n template {time},{field},{sid},{n},receiving message"},
		{name: "SampleDiffers", sample: "2024-03-13T09:01:18Z,X,08DC42C8FF236A1F,5,receiving message",
			got:  "2026-01-05T09:00:00.001Z,Y,08DE4BBB14049000,7,receiving message",
			want: "fidelity: the real sample does not fit the template:\n sample   2024-03-13T09:01:18Z,X,08DC42C8FF236A1F,5,receiving message\n template {time},{field},{sid},{n},receiving message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(template, tt.sample, tt.got)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Check() = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := Pattern("{nope}"); err == nil || err.Error() != `fidelity: template "{nope}": unknown placeholder {nope}: use one of time, sid, n, field, text, host, ip, port, guid, hex, dec, alg, proto, build, id, addr, list` {
		t.Errorf("Pattern({nope}) = %v", err)
	}
}

func FuzzPattern(f *testing.F) {
	f.Add("{time},{sid},x")
	f.Add("{")
	f.Fuzz(func(t *testing.T, template string) {
		Pattern(template) // must not panic
	})
}
