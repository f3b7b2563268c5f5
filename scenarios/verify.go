package scenarios

// Probe sends the entry's probe on the run's lab, lets the lab run for the
// entry's wait, and runs its Observe steps: what the catalogue does after
// Break. MessageID and SentAt say which message it was.
func (r *Run) Probe() error { return r.probe() }

// Symptoms checks the entry's symptoms on the run's lab as it is now,
// each as a whole string where Exchange shows it.
func (r *Run) Symptoms() []SymptomResult {
	res, _ := r.check(r.Entry.Symptoms)
	return res
}

// Verify lets the lab run for the entry's settle time, then reports
// whether the probe arrived (unless the entry expects it lost for good),
// a new message sent now arrives at once and nothing was lost; for an
// entry without a probe, whether nothing was lost and its Observe steps
// no longer show a symptom. Call it after Fix.
func (r *Run) Verify() (bool, error) { return r.verify() }
