package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFollow(t *testing.T) {
	sides := map[string]string{"mail.contoso.com": "EX01", "edge01.contoso.com": "EDGE01", "mail.fabrikam.com": "MAIL01"}
	tests := []struct {
		name    string
		all     []*holding
		want    []Whereabouts
		wantErr string
	}{
		{name: "HandedOnAndDelivered", all: []*holding{
			{side: "Exchange Online", messageID: "<m>", recipient: "bob@contoso.com", place: "handoff", host: "mail.contoso.com [203.0.113.10]", target: "bob@contoso.com"},
			{side: "EX01", messageID: "<m>", recipient: "bob@contoso.com", place: "mailbox", where: "bob@contoso.com"},
		}, want: []Whereabouts{{MessageID: "<m>", Recipient: "bob@contoso.com", Path: []string{"Exchange Online", "EX01"}, Place: "mailbox", Where: "bob@contoso.com"}}},
		{name: "QueuedWithItsError", all: []*holding{
			{side: "EX01", messageID: "<m>", recipient: "carol@fabrikam.com", place: "queue", where: `EX01\3`, lastError: "[{LED=451 4.4.0 ...}]"},
		}, want: []Whereabouts{{MessageID: "<m>", Recipient: "carol@fabrikam.com", Path: []string{"EX01"}, Place: "queue", Where: `EX01\3`, LastError: "[{LED=451 4.4.0 ...}]"}}},
		{name: "HandOffNobodyHolds", all: []*holding{
			{side: "EX01", messageID: "<m>", recipient: "carol@fabrikam.com", place: "handoff", host: "edge01.contoso.com", target: "carol@fabrikam.com"},
		}, want: []Whereabouts{{MessageID: "<m>", Recipient: "carol@fabrikam.com", Path: []string{"EX01"}}},
			wantErr: "sim: something was lost: <m> for carol@fabrikam.com was handed from EX01 to edge01.contoso.com, which holds no record of it"},
		{name: "NDRThatWentNowhere", all: []*holding{
			{side: "EX01", messageID: "<m>", recipient: "alice@contoso.com", place: "ndr", where: "<ndr>"},
		}, want: []Whereabouts{{MessageID: "<m>", Recipient: "alice@contoso.com", Path: []string{"EX01"}, Place: "ndr", Where: "<ndr>"}},
			wantErr: "sim: something was lost: the NDR <ndr> for <m> went nowhere"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := follow(tc.all, sides)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("follow (-want +got):\n%s", diff)
			}
			if gotErr := errString(err); gotErr != tc.wantErr {
				t.Errorf("follow error = %q, want %q", gotErr, tc.wantErr)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
