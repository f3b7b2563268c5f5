package fakeexo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fromOnPrem is a message as on-prem's send connector with
// CloudServicesMailEnabled hands it over: its organization headers converted
// to cross-premises ones, one folded header, and an organization header
// forged by someone on the way.
const fromOnPrem = "X-MS-Exchange-CrossPremises-AuthAs: Internal\r\n" +
	"X-MS-Exchange-CrossPremises-Antispam-ScanContext:\r\n\tDIR:Originating;\r\n" +
	"x-ms-exchange-organization-scl: -1\r\n" +
	"Subject: Quarterly numbers\r\n" +
	"\r\n" +
	"Body line one.\r\n"

func TestStampInbound(t *testing.T) {
	tests := []struct {
		name              string
		internal, promote bool
		want              string
	}{
		{
			name: "HybridPromoted", internal: true, promote: true,
			want: "X-MS-Exchange-Organization-AuthAs: Internal\r\n" +
				"X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n" +
				"X-MS-Exchange-Organization-AuthMechanism: 10\r\n" +
				"X-CrossPremisesHeadersPromoted: EXO01.mail.protection.outlook.com\r\n" +
				"X-CrossPremisesHeadersFiltered: EXO01.mail.protection.outlook.com\r\n" +
				"X-MS-Exchange-Organization-Antispam-ScanContext:\r\n\tDIR:Originating;\r\n" +
				"Subject: Quarterly numbers\r\n\r\nBody line one.\r\n",
		},
		{
			name: "TreatMessagesAsInternal", internal: true,
			want: "X-MS-Exchange-Organization-AuthAs: Internal\r\n" +
				"X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n" +
				"Subject: Quarterly numbers\r\n\r\nBody line one.\r\n",
		},
		{
			name: "Anonymous",
			want: "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n" +
				"X-MS-Exchange-Organization-MessageDirectionality: Incoming\r\n" +
				"X-MS-Exchange-Organization-FromEntityHeader: Internet\r\n" +
				"Subject: Quarterly numbers\r\n\r\nBody line one.\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(stampInbound([]byte(fromOnPrem), tt.internal, tt.promote, "EXO01.mail.protection.outlook.com"))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("stampInbound (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStampOutbound(t *testing.T) {
	const stored = "X-CrossPremisesHeadersPromoted: EXO01.mail.protection.outlook.com\r\n" +
		"X-MS-Exchange-Organization-AuthAs: Internal\r\n" +
		"X-MS-Exchange-CrossPremises-AuthAs: Anonymous\r\n" +
		"X-MS-Exchange-CrossPremises-Stale: 1\r\n" +
		"Subject: To on-prem\r\n\r\nHi\r\n"
	tests := []struct {
		name          string
		crossPremises bool
		want          string
	}{
		{name: "CloudServicesMailEnabled", crossPremises: true,
			want: "X-MS-Exchange-CrossPremises-AuthAs: Internal\r\nX-MS-Exchange-CrossPremises-Stale: 1\r\nSubject: To on-prem\r\n\r\nHi\r\n"},
		{name: "HeaderFirewall", want: "Subject: To on-prem\r\n\r\nHi\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(stampOutbound([]byte(stored), tt.crossPremises))); diff != "" {
				t.Errorf("stampOutbound (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitMessage(t *testing.T) {
	tests := []struct {
		name        string
		data        string
		wantSubject string
		wantBack    string
	}{
		{name: "Folded", data: "Subject: a\r\n b\r\n\r\nbody\r\n", wantSubject: "a b", wantBack: "Subject: a\r\n b\r\n\r\nbody\r\n"},
		{name: "NoHeader", data: "just a body\r\n", wantSubject: "", wantBack: "just a body\r\n"},
		{name: "NoBody", data: "Subject: only\r\n", wantSubject: "only", wantBack: "Subject: only\r\n"},
		{name: "BareLF", data: "Subject: lf\n\nbody\n", wantSubject: "lf", wantBack: "Subject: lf\n\nbody\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := splitMessage([]byte(tt.data))
			if got := h.get("subject"); got != tt.wantSubject {
				t.Errorf("get(Subject) = %q, want %q", got, tt.wantSubject)
			}
			if got := string(h.bytes()); got != tt.wantBack {
				t.Errorf("bytes() = %q, want %q", got, tt.wantBack)
			}
		})
	}
}
