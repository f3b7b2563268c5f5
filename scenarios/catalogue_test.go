package scenarios_test

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/simtest/match"
)

var update = flag.Bool("update", false, "rewrite scenarios/testdata/*.txt from this run's transcripts; please verify the diffs carefully before committing them!")

// The catalogue reads like the Exchange story: each documented failure is
// reproduced on a fresh default lab, shown where Exchange shows it, fixed
// the documented way, and then the mail arrives. Every spec runs its own
// lab (BeforeEach), so specs are independent and run in any order, in
// parallel too.
var _ = DescribeTableSubtree("documented hybrid mail-flow failures",
	func(e scenarios.Entry) {
		var res scenarios.Result
		BeforeEach(func() {
			res = scenarios.Execute(e)
			Expect(res.Err).NotTo(HaveOccurred())
		})
		It("shows the failure where Exchange shows it", func() {
			Expect(res.Symptoms).NotTo(BeEmpty())
			for _, s := range res.Symptoms {
				Expect(s).To(match.BeSeen())
			}
			for _, rd := range res.Readings {
				for _, s := range rd.Symptoms {
					Expect(s).To(match.BeSeen(), "reading %s (%s)", rd.Reading.Conflict, rd.Reading.Name)
				}
			}
		})
		It("shows none of its symptoms on the unbroken lab (negative control)", func() {
			Expect(res.Control.Clean).To(BeTrue(), "symptoms held without the failure:\n%s", res.Transcript)
		})
		It("clears with the documented fix, and the mail arrives with nothing lost", func() {
			Expect(res).To(match.BeVerified())
		})
		It("tells the same story as its golden transcript", func() {
			path := filepath.Join("testdata", e.ID+"-"+e.Slug+".txt")
			if *update {
				Expect(os.WriteFile(path, []byte(res.Transcript), 0o644)).To(Succeed())
				return
			}
			want, err := os.ReadFile(path)
			Expect(err).NotTo(HaveOccurred(), "no golden transcript: run go test ./scenarios -update and review it")
			Expect(res.Transcript).To(Equal(string(want)), "%s differs from this run (-want +got):\n%s", path, cmp.Diff(string(want), res.Transcript))
		})
	},
	entries(),
)

// entries turns the catalogue into table entries labelled by direction,
// KB and area.
func entries() []TableEntry {
	var out []TableEntry
	for _, e := range scenarios.Catalogue() {
		labels := append([]string{string(e.Direction)}, e.Labels...)
		out = append(out, Entry(e.ID+" "+e.Title, Label(labels...), e))
	}
	return out
}
