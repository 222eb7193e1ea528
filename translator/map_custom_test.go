package translator

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

func TestMapCustom(t *testing.T) {
	catalog := []queries.Query{
		{Name: "os_version", Platforms: []string{"linux"}, Feeds: []string{"os"}},
		{Name: "custom_org_01", Platforms: []string{"linux"}, Feeds: []string{"custom:ORG-01"}},
		{Name: "custom_org_02", Platforms: []string{"linux"}, Feeds: []string{"custom:ORG-02"}},
		{Name: "custom_org_03", Platforms: []string{"linux"}, Feeds: []string{"custom:ORG-03"}},
	}
	h := &queries.HostResults{Host: "h", Results: map[string]*queries.Result{
		"os_version":    {Status: queries.StatusOK, Rows: []queries.Row{{"name": "Ubuntu", "platform": "ubuntu", "platform_like": "debian", "version": "24.04"}}},
		"custom_org_01": {Status: queries.StatusOK, Rows: []queries.Row{{"name": "TeamViewer"}}},
		"custom_org_02": {Status: queries.StatusError, Error: "no such table: foo"},
		// custom_org_03 never ran
	}}
	d := ToFacts(h, catalog)
	tests := []struct {
		id    string
		state facts.State
		rows  int
		why   string
	}{
		{"ORG-01", facts.StateOK, 1, ""},
		{"ORG-02", facts.StateUnknown, 0, "no such table: foo"},
		{"ORG-03", facts.StateUnknown, 0, "not in the input"},
	}
	for _, tt := range tests {
		sec, ok := d.Custom[tt.id]
		if !ok {
			t.Fatalf("%s missing from Custom", tt.id)
		}
		if sec.State != tt.state || len(sec.Items) != tt.rows || sec.Reason != tt.why || sec.Queries[0] == "" {
			t.Errorf("%s: %+v", tt.id, sec)
		}
	}
	if d.Custom["ORG-01"].Items[0]["name"] != "TeamViewer" {
		t.Errorf("row lost: %+v", d.Custom["ORG-01"].Items)
	}
	if d.Custom["ORG-02"].Items != nil {
		t.Error("a failed custom query must not look like zero rows")
	}
}
