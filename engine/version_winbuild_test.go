package engine

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// b19Case is testdata/bugcases/B19.json.
type b19Case struct {
	Rows []struct {
		Host string            `json:"host"`
		Row  map[string]string `json:"row"`
	} `json:"rows"`
	Requirement string `json:"requirement_under_test"`
	Expected    map[string]struct {
		Product   string `json:"product"`
		FullBuild string `json:"full_build"`
		Result    string `json:"result"`
	} `json:"expected"`
}

func loadB19(t *testing.T) b19Case {
	t.Helper()
	b, err := os.ReadFile("../testdata/bugcases/B19.json")
	if err != nil {
		t.Fatal(err)
	}
	var c b19Case
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("B19.json: %v", err)
	}
	if len(c.Rows) != 5 || len(c.Expected) != 5 {
		t.Fatalf("B19.json: %d rows, %d expectations; want 5 and 5", len(c.Rows), len(c.Expected))
	}
	return c
}

// curOSFromRow builds the OS facts section from an os_version row the way the
// translator does (numbers parsed, a missing revision column stays nil).
func curOSFromRow(row map[string]string) facts.OS {
	o := facts.OS{Origin: facts.Origin{State: facts.StateOK, Queries: []string{"os_version_windows"}},
		Name: row["name"], Version: row["version"], Build: row["build"], Platform: row["platform"],
		Arch: row["arch"], Family: facts.FamilyWindows, Kind: "windows"}
	o.Major = curInt(row["major"])
	o.Minor = curInt(row["minor"])
	if v, ok := row["revision"]; ok {
		o.Revision = curInt(v)
	}
	return o
}

// TestWindowsRequirement_B19 grades B19's rows against its literal requirement
// "Windows 11 23H2 at build 22631.3880 or later, or Windows 11 24H2 (26100) any revision".
func TestWindowsRequirement_B19(t *testing.T) {
	c := loadB19(t)
	if !strings.Contains(c.Requirement, "22631.3880") || !strings.Contains(c.Requirement, "26100") {
		t.Fatalf("B19 requirement changed: %q", c.Requirement)
	}
	req, err := parseWindowsRequirement(false, "22631.3880, 26100")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		doc := &facts.Document{OS: curOSFromRow(r.Row)}
		b, err := windowsBuildInfo(doc, lifecycle())
		if err != nil {
			t.Fatalf("%s: %v", r.Host, err)
		}
		want := c.Expected[r.Host]
		if b.Product != want.Product {
			t.Errorf("%s: product %q, want %q", r.Host, b.Product, want.Product)
		}
		if b.FullBuild() != want.FullBuild {
			t.Errorf("%s: full build %q, want %q", r.Host, b.FullBuild(), want.FullBuild)
		}
		got, why := req.evaluate(b)
		if string(got) != want.Result {
			t.Errorf("%s: %s (%s), want %s", r.Host, got, why, want.Result)
		}
	}
}

// TestWindowsRequirementAsOf_B19 derives the requirement from the lifecycle
// table instead of writing it by hand: Windows 11 builds serviced on
// 2024-08-13 for Home/Pro, at the newest cumulative update released 35 days
// before (the July 2024 update, 22621/22631.3880). 24H2 was not released
// yet, so any of its revisions is current. B19's hosts grade the same.
func TestWindowsRequirementAsOf_B19(t *testing.T) {
	c := loadB19(t)
	asOf := time.Date(2024, 8, 13, 0, 0, 0, 0, time.UTC)
	req := windowsRequirementAsOf(lifecycle(), false, editionConsumer, asOf, 35, "Windows 11")
	if got, want := req.String(), "22621.3880, 22631.3880, 26100, 26200"; got != want {
		t.Errorf("requirement as of 2024-08-13 = %q, want %q", got, want)
	}
	// Windows 11 21H2 (22000) left Home/Pro servicing on 2023-10-10; Enterprise kept it to 2024-10-08.
	ent := windowsRequirementAsOf(lifecycle(), false, editionEnterprise, asOf, 35, "Windows 11")
	if _, ok := ent.Min[22000]; !ok {
		t.Errorf("enterprise requirement %q lacks 22000", ent)
	}
	for _, r := range c.Rows {
		b, err := windowsBuildInfo(&facts.Document{OS: curOSFromRow(r.Row)}, lifecycle())
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := req.evaluate(b); string(got) != c.Expected[r.Host].Result {
			t.Errorf("%s: %s, want %s", r.Host, got, c.Expected[r.Host].Result)
		}
	}
}

func TestParseWindowsRequirement(t *testing.T) {
	for _, bad := range []string{"", "x", "22631.x", "22631, 22631.5", "-5"} {
		if _, err := parseWindowsRequirement(false, bad); err == nil {
			t.Errorf("parseWindowsRequirement(%q): want an error", bad)
		}
	}
	r, err := parseWindowsRequirement(true, " 20348.2655 ,17763 ")
	if err != nil || r.String() != "17763, 20348.2655" || !r.Server {
		t.Errorf("got %v %q", err, r)
	}
}

func TestWindowsBuildInfo(t *testing.T) {
	str := func(s string) *int64 { return curInt(s) }
	tests := []struct {
		name     string
		os       facts.OS
		registry map[string]string
		product  string
		full     string
		class    string
		server   bool
	}{
		{"Windows 11 named Windows 10, revision from registry UBR (older osquery)",
			facts.OS{Name: "Microsoft Windows 10 Pro", Version: "10.0.22631", Build: "22631", Major: str("10")},
			map[string]string{"UBR": "4169", "EditionID": "Professional", "ProductType": "WinNT"},
			"Windows 11", "22631.4169", editionConsumer, false},
		{"build only in version text; enterprise from the name",
			facts.OS{Name: "Microsoft Windows 11 Enterprise", Version: "10.0.22000", Build: ""},
			nil, "Windows 11", "22000.?", editionEnterprise, false},
		{"server from ProductType even when the name says nothing",
			facts.OS{Name: "Microsoft Windows", Build: "20348", Revision: str("2655")},
			map[string]string{"ProductType": "ServerNT", "EditionID": "ServerStandard"},
			"Windows Server 2022", "20348.2655", editionServer, true},
		{"LTSC edition id",
			facts.OS{Name: "Microsoft Windows 10 Enterprise LTSC 2021", Build: "19044", Revision: str("4651")},
			map[string]string{"EditionID": "EnterpriseS"}, "Windows 10", "19044.4651", editionLTSC, false},
		{"server build the table does not list",
			facts.OS{Name: "Microsoft Windows Server Datacenter", Build: "19042", Revision: str("1")},
			nil, "Windows Server (build 19042)", "19042.1", editionServer, true},
		{"26100 client is Windows 11 24H2, server is Windows Server 2025",
			facts.OS{Name: "Microsoft Windows Server 2025 Datacenter", Build: "26100", Revision: str("4349")},
			nil, "Windows Server 2025", "26100.4349", editionServer, true},
	}
	for _, tt := range tests {
		doc := &facts.Document{OS: tt.os}
		doc.OS.Platform, doc.OS.Kind, doc.OS.Family = "windows", "windows", facts.FamilyWindows
		if tt.registry != nil {
			doc.Registry.State = facts.StateOK
			for name, v := range tt.registry {
				key := winCurrentVersionKey
				if name == "ProductType" {
					key = winProductOptionsKey
				}
				doc.Registry.Items = append(doc.Registry.Items, facts.RegistryValue{Key: key, Path: key + `\` + name, Name: name, Data: v})
			}
		}
		b, err := windowsBuildInfo(doc, lifecycle())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if b.Product != tt.product || b.FullBuild() != tt.full || b.EditionClass != tt.class || b.Server != tt.server {
			t.Errorf("%s: got %s %s class %s server %v; want %s %s %s %v", tt.name, b.Product, b.FullBuild(), b.EditionClass, b.Server,
				tt.product, tt.full, tt.class, tt.server)
		}
	}
	if _, err := windowsBuildInfo(&facts.Document{OS: facts.OS{Name: "Microsoft Windows"}}, lifecycle()); err == nil {
		t.Error("no build anywhere: want an error")
	}
}
