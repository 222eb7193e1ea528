package engine

// Status is a check's verdict.
type Status string

// The verdicts. PASS, PARTIAL and FAIL are scored (100, 50, 0); the others are
// left out of the score and counted in coverage.
const (
	Pass          Status = "PASS"
	Partial       Status = "PARTIAL"
	Fail          Status = "FAIL"
	NotApplicable Status = "NOT_APPLICABLE"
	Unknown       Status = "UNKNOWN"
	Error         Status = "ERROR"
)

// Points returns the score of a scored status and false for the others.
func (s Status) Points() (float64, bool) {
	switch s {
	case Pass:
		return 100, true
	case Partial:
		return 50, true
	case Fail:
		return 0, true
	}
	return 0, false
}

// Scored reports whether the status counts toward the score.
func (s Status) Scored() bool {
	_, ok := s.Points()
	return ok
}
