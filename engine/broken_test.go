package engine

import (
	"errors"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestEscalateBroken_B08: a check whose facts are missing because the query
// timed out is ERROR naming the timeout; one whose table simply does not
// exist stays UNKNOWN; a check that does not mention the query is untouched.
func TestEscalateBroken_B08(t *testing.T) {
	doc := &facts.Document{Queries: map[string]facts.QueryState{
		"deb_packages":    {State: facts.StateUnknown, Reason: queries.BrokenError(errors.New("no answer from osquery within 60s"))},
		"deb_packages_v2": {State: facts.StateOK},
		"shadow":          {State: facts.StateUnknown, Reason: "no such table: shadow"},
	}}
	tests := []struct {
		name   string
		in     Outcome
		want   Status
		failed []string
	}{
		{"timed out", Outcome{Status: Unknown, Detail: "Packages were not collected: deb_packages: collection failed: no answer"}, Error, []string{"deb_packages"}},
		{"missing table", Outcome{Status: Unknown, Detail: "shadow was not collected: shadow: no such table: shadow"}, Unknown, nil},
		{"longer name only", Outcome{Status: Unknown, Detail: "deb_packages_v2 answered nothing"}, Unknown, nil},
		{"not unknown", Outcome{Status: Fail, Detail: "deb_packages lists telnetd"}, Fail, nil},
	}
	for _, tt := range tests {
		got := escalateBroken(tt.in, doc)
		if got.Status != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got.Status, tt.want)
		}
		if tt.failed != nil {
			if f, _ := got.Evidence["collection_failed"].([]string); len(f) != 1 || f[0] != tt.failed[0] {
				t.Errorf("%s: evidence %v", tt.name, got.Evidence)
			}
		}
	}
}
