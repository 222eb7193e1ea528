package extension

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/extension/standin"
	"github.com/miccmac/miccmac-osq/queries"
)

// The example files an organisation starts from (data/examples).
const (
	examplePolicy      = "../data/examples/policy.yaml"
	exampleAttestation = "../data/examples/attestation.yaml"
)

// org01SQL is ORG-01's query in the example policy, as the extension sends it.
const org01SQL = "SELECT name, path FROM processes WHERE name IN ('TeamViewer', 'AnyDesk', 'teamviewerd');"

func loadExamplePolicy(t testing.TB) *policy.Policy {
	t.Helper()
	pol, err := policy.Load(examplePolicy, engine.CanonicalIDs())
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func loadAttestation(t testing.TB, path string) *facts.Attestation {
	t.Helper()
	a, err := policy.LoadAttestation(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// startHost starts a stand-in osqueryd serving the fixture after edit (nil:
// as it is) changed its tables; the database checks the edit against
// osquery's schema for the fixture's platform.
func startHost(t *testing.T, fixture string, edit func(map[string][]queries.Row)) *standin.Manager {
	t.Helper()
	fx := loadFixture(t, fixture)
	if edit != nil {
		edit(fx.Tables)
	}
	db, err := fx.Open()
	if err != nil {
		t.Fatalf("%s edited: %v", fixture, err)
	}
	t.Cleanup(func() { db.Close() })
	m := standin.New(tempSocket(t), db)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// serveConfigured runs the extension (real translator and engine) on m with
// src as its configuration, until the test ends.
func serveConfigured(t *testing.T, m *standin.Manager, src ConfigSource) {
	t.Helper()
	opts := Options{Socket: m.Socket(), Interval: 200 * time.Millisecond, ConfigSource: src, Logger: testLogger(t)}
	ctx, cancel := context.WithCancel(context.Background())
	done := runExtension(t, ctx, opts)
	t.Cleanup(func() {
		cancel()
		if err := waitRun(t, done, 5*time.Second); err != nil {
			t.Errorf("Run = %v", err)
		}
	})
	register(t, m, 5*time.Second)
}

// gen calls generate through the stand-in with the constraints.
func gen(t *testing.T, m *standin.Manager, tableName string, cs ...standin.Constraint) []map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rows, err := m.Generate(ctx, tableName, standin.ContextJSON(cs...))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func rowsByID(rows []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows {
		out[r["check_id"]] = r
	}
	return out
}

// wantRow is what one miccmac_checks row must say; detail is a substring.
type wantRow struct {
	id, property, status, detail string
}

// TestConfigSource_ExamplePolicy serves data/examples/policy.yaml with an
// attestation through the stand-in osqueryd and the real engine: the custom
// checks are collected (their SQL reaches osquery) and graded by their rules,
// the exclusion turns CUR-03 into NOT_APPLICABLE, the readiness row carries
// the policy's hash, and the attestation grades the checks it feeds, or
// makes them UNKNOWN naming the serial when it is bound to another device.
func TestConfigSource_ExamplePolicy(t *testing.T) {
	pol := loadExamplePolicy(t)
	excluded := "Excluded: " + pol.Exclude["CUR-03"]
	if pol.Exclude["CUR-03"] == "" || len(pol.CustomChecks) != 2 {
		t.Fatalf("the example policy changed: exclude %v, %d custom checks", pol.Exclude, len(pol.CustomChecks))
	}
	// The example attestation is bound to serial C02AAAAAAAA1; no fixture has it.
	mismatch := `The attestation does not count: ` + exampleAttestation + ` is for serial "C02AAAAAAAA1", this device has "C02ZK1ABMD6T".`
	macAtt := "../testdata/hosts/macos-14.attestation.yaml"
	tests := []struct {
		name        string
		fixture     string
		edit        func(map[string][]queries.Row)
		attestation string
		orgQueries  []string // custom SQL osquery must receive
		notSent     []string // custom SQL it must not (other platform)
		want        []wantRow
		evidence    map[string]string // check id -> substring of its evidence
	}{
		{
			name: "macos-14 with the example attestation (another serial)", fixture: "../testdata/hosts/macos-14.json",
			attestation: exampleAttestation,
			orgQueries:  []string{org01SQL, "SELECT name, encrypted FROM disk_encryption WHERE name LIKE '/dev/disk%';"},
			want: []wantRow{
				{"ORG-01", "minimized", "PASS", "No fail_when or partial_when rule matched (0 rows)."},
				// The fixture has no disk_encryption table: osquery's own error.
				{"ORG-02", "controlled", "UNKNOWN", "The custom check's query custom_org_02 did not answer: no such table: disk_encryption"},
				{"CUR-03", "current", "NOT_APPLICABLE", excluded},
				{"CLM-01", "claimed", "UNKNOWN", mismatch},
				{"CLM-02", "claimed", "UNKNOWN", mismatch},
				{"CLM-03", "claimed", "UNKNOWN", mismatch},
				{"ASM-01", "assessed", "UNKNOWN", `is for serial "C02AAAAAAAA1", this device has "C02ZK1ABMD6T"`},
				{"ASM-03", "assessed", "UNKNOWN", `is for serial "C02AAAAAAAA1", this device has "C02ZK1ABMD6T"`},
				// Without a usable compliance_assessment record ASM-02 falls
				// back to device evidence (the fixture's schedule), noting why.
				{"ASM-02", "assessed", "PASS", "compliance-pack queries in osquery_schedule executed within the last"},
			},
			evidence: map[string]string{"ASM-02": `"attestation_not_used":"../data/examples/attestation.yaml is for serial \"C02AAAAAAAA1\"`},
		},
		{
			name: "macos-14 with its own attestation, a remote-control tool and an unencrypted volume", fixture: "../testdata/hosts/macos-14.json",
			edit: func(tables map[string][]queries.Row) {
				tables["processes"] = append(tables["processes"], queries.Row{"pid": "4242", "name": "TeamViewer",
					"path": "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer", "uid": "501"})
				tables["disk_encryption"] = []queries.Row{
					{"name": "/dev/disk3s1", "encrypted": "1", "type": "APFS Encryption"},
					{"name": "/dev/disk4s1", "encrypted": "0", "type": ""},
					{"name": "/Volumes/NotADisk", "encrypted": "0", "type": ""}, // not matched by LIKE '/dev/disk%'
				}
			},
			attestation: macAtt,
			orgQueries:  []string{org01SQL, "SELECT name, encrypted FROM disk_encryption WHERE name LIKE '/dev/disk%';"},
			want: []wantRow{
				{"ORG-01", "minimized", "FAIL", "fail_when matched: 1 rows."},
				{"ORG-02", "controlled", "FAIL", `pass_when was not met: 1 of 2 rows have encrypted = "1".`},
				{"CUR-03", "current", "NOT_APPLICABLE", excluded},
				{"CLM-01", "claimed", "PASS", "The accountable business owner is Customer Portal team."},
				{"CLM-02", "claimed", "FAIL", "No responsible system administrator is assigned."},
			},
		},
		{
			name: "ubuntu-2404 without an attestation", fixture: "../testdata/hosts/ubuntu-2404.json",
			orgQueries: []string{org01SQL},
			notSent:    []string{"FROM disk_encryption"},
			want: []wantRow{
				{"ORG-01", "minimized", "PASS", "No fail_when or partial_when rule matched (0 rows)."},
				{"ORG-02", "controlled", "NOT_APPLICABLE", "The custom check runs on darwin only"},
				{"CUR-03", "current", "NOT_APPLICABLE", excluded},
				{"CLM-01", "claimed", "UNKNOWN", "No attestation was supplied"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &policy.DeviceFiles{Policy: pol}
			if tt.attestation != "" {
				cfg.Attestation = loadAttestation(t, tt.attestation)
			}
			m := startHost(t, tt.fixture, tt.edit)
			serveConfigured(t, m, func() (*policy.DeviceFiles, error) { return cfg, nil })

			all := gen(t, m, ChecksTable)
			rows := rowsByID(all)
			catalog := engine.CatalogFor(pol)
			if len(all) != len(catalog) || len(catalog) != len(engine.Catalog())+2 {
				t.Errorf("%d rows, want one per check of the policy's catalogue (%d = %d built-in + 2 custom)",
					len(all), len(catalog), len(engine.Catalog()))
			}
			for _, w := range tt.want {
				r, ok := rows[w.id]
				if !ok {
					t.Errorf("%s: no row", w.id)
					continue
				}
				if r["property"] != w.property || r["status"] != w.status || !strings.Contains(r["detail"], w.detail) {
					t.Errorf("%s = %s %s %q\n want %s %s, detail containing %q", w.id, r["property"], r["status"], r["detail"],
						w.property, w.status, w.detail)
				}
			}
			for id, sub := range tt.evidence {
				if !strings.Contains(rows[id]["evidence"], sub) {
					t.Errorf("%s evidence %s does not contain %s", id, rows[id]["evidence"], sub)
				}
			}
			org1 := rows["ORG-01"]
			if org1["letter"] != "M" || org1["title"] != "No remote-control tools running" || org1["risk"] == "" ||
				org1["nist_800_53"] != "CM-7" || org1["cis_v8"] != "2.3" || org1["cis_ig"] != "IG1" ||
				!strings.Contains(org1["evidence"], `"query":"custom_org_01"`) {
				t.Errorf("ORG-01 row does not carry the policy's metadata: %v", org1)
			}
			for id, r := range rows {
				if r["policy_hash"] != pol.Hash() {
					t.Errorf("%s row policy_hash %q, want %q", id, r["policy_hash"], pol.Hash())
				}
			}
			if s := rows["CUR-03"]; s["score"] != "" || !strings.Contains(s["evidence"], `"excluded_by_policy"`) {
				t.Errorf("excluded CUR-03 = score %q evidence %s, want unscored with the exclusion as evidence", s["score"], s["evidence"])
			}

			sent := m.Queries()
			for _, q := range tt.orgQueries {
				if !slices.Contains(sent, q) {
					t.Errorf("osquery never received the custom query %q", q)
				}
			}
			for _, sub := range tt.notSent {
				for _, q := range sent {
					if strings.Contains(q, sub) {
						t.Errorf("osquery received %q, a query for another platform", q)
					}
				}
			}

			rr := gen(t, m, ReadinessTable)
			if len(rr) != 1 {
				t.Fatalf("readiness rows = %v", rr)
			}
			r := rr[0]
			if r["policy_hash"] != pol.Hash() || r["detail"] != "" || r["overall_score"] == "" {
				t.Errorf("readiness policy_hash %q detail %q score %q, want the example policy's hash %q, no detail, a score",
					r["policy_hash"], r["detail"], r["overall_score"], pol.Hash())
			}
			counts := map[string]int{}
			for _, row := range all {
				counts[strings.ToLower(row["status"])]++
			}
			for _, col := range []string{"pass", "partial", "fail", "not_applicable", "unknown", "error"} {
				if r[col] != strconv.Itoa(counts[col]) {
					t.Errorf("readiness %s = %s, miccmac_checks has %d", col, r[col], counts[col])
				}
			}

			// Constraints narrow within the policy's catalogue, custom checks included.
			var minimized []string
			for _, ci := range catalog {
				if ci.Property == "minimized" {
					minimized = append(minimized, ci.ID)
				}
			}
			slices.Sort(minimized)
			if !slices.Contains(minimized, "ORG-01") {
				t.Fatalf("engine.CatalogFor lists ORG-01 outside minimized: %v", minimized)
			}
			got := gen(t, m, ChecksTable, standin.Constraint{Column: "property", Op: 2, Expr: "minimized"})
			if joined(ids(got)) != joined(minimized) {
				t.Errorf("WHERE property = 'minimized' generated %v, want %v", ids(got), minimized)
			}
			for _, row := range got {
				if row["status"] != rows[row["check_id"]]["status"] || row["detail"] != rows[row["check_id"]]["detail"] {
					t.Errorf("%s narrowed = %s %q, unnarrowed %s %q", row["check_id"], row["status"], row["detail"],
						rows[row["check_id"]]["status"], rows[row["check_id"]]["detail"])
				}
			}
			got = gen(t, m, ChecksTable, standin.Constraint{Column: "check_id", Op: 2, Expr: "ORG-01"})
			if len(got) != 1 || got[0]["check_id"] != "ORG-01" || got[0]["status"] != org1["status"] {
				t.Errorf("WHERE check_id = 'ORG-01' generated %v, want ORG-01 alone", ids(got))
			}
		})
	}
}

// serialRunner wraps a QueryRunner and records the most calls ever in
// progress at once: a collection asks one query at a time, so more than one
// means two collections overlapped.
type serialRunner struct {
	*dbRunner
	active, peak atomic.Int32
	started      chan struct{} // receives once per platform query
	gate         chan struct{} // non-nil: platform queries wait until it closes
	mu           sync.Mutex
	sent         []string
}

// queriesSeen is the SQL of every call, in order.
func (s *serialRunner) queriesSeen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

func (s *serialRunner) QueryRows(ctx context.Context, sql string) ([]map[string]string, error) {
	n := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	s.mu.Lock()
	s.sent = append(s.sent, sql)
	s.mu.Unlock()
	if sql == platformSQL {
		select {
		case s.started <- struct{}{}:
		default:
		}
		if s.gate != nil {
			select {
			case <-s.gate:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return s.dbRunner.QueryRows(ctx, sql)
}

// policyFile is a policy file the test rewrites, read by the ConfigSource on
// every assessment as DeviceConfig reads the deployed one.
type policyFile struct {
	path string
	t    *testing.T
}

func newPolicyFile(t *testing.T, yaml string) *policyFile {
	p := &policyFile{path: filepath.Join(t.TempDir(), "policy.yaml"), t: t}
	p.write(yaml)
	return p
}

func (p *policyFile) write(yaml string) {
	p.t.Helper()
	if err := os.WriteFile(p.path, []byte(yaml), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *policyFile) source() (*policy.DeviceFiles, error) {
	pol, err := policy.Load(p.path, engine.CanonicalIDs())
	if err != nil {
		return nil, err
	}
	return &policy.DeviceFiles{Policy: pol}, nil
}

func (p *policyFile) hash() string {
	p.t.Helper()
	cfg, err := p.source()
	if err != nil {
		p.t.Fatal(err)
	}
	return cfg.Policy.Hash()
}

// Policies of TestConfigSource_PolicyChange.
const (
	policyBefore = "thresholds: {max_admins: 2}\n"
	policyAfter  = `thresholds: {max_admins: 2}
exclude:
  MON-01: "Agent replaced by the host's hypervisor monitoring (change CHG-7)"
custom_checks:
  - id: ORG-09
    title: osquery itself is running
    property: monitored
    cis_ig: IG1
    frequency: LOW
    magnitude: LOW
    remediation: Start osqueryd.
    query: SELECT pid FROM processes WHERE name = 'osqueryd';
    platforms: [linux]
    pass_when: {rows: any}
`
	mon01Excluded = "Excluded: Agent replaced by the host's hypervisor monitoring (change CHG-7)"
	org09SQL      = "SELECT pid FROM processes WHERE name = 'osqueryd';"
)

// TestConfigSource_PolicyChange: a policy edited between two queries takes
// effect at the next one although the collection cache (60s, clock frozen)
// has not expired: the exclusion shows, the new custom check's query is
// collected, the readiness hash changes. Attestation edits (expired, bound to
// another serial, valid) are graded at once from the cached collection.
func TestConfigSource_PolicyChange(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	r := &serialRunner{dbRunner: newRunner(t, fx.Tables), started: make(chan struct{}, 1)}
	pf := newPolicyFile(t, policyBefore)
	var att atomic.Pointer[facts.Attestation]
	now := time.Unix(1796047335, 0)
	opts := Options{Logger: testLogger(t), CacheTTL: 60 * time.Second, Now: func() time.Time { return now }}
	opts.ConfigSource = func() (*policy.DeviceFiles, error) {
		cfg, err := pf.source()
		if cfg != nil {
			cfg.Attestation = att.Load()
		}
		return cfg, err
	}
	s := newTestService(t, r, opts)
	checks, readiness := Tables(s)[0], Tables(s)[1]
	hashBefore := pf.hash()

	rows := rowsByID(call(t, checks, `{"constraints":[]}`))
	if rows["MON-01"]["status"] == "NOT_APPLICABLE" || rows["ORG-09"] != nil {
		t.Fatalf("before the edit: MON-01 %v, ORG-09 %v", rows["MON-01"], rows["ORG-09"])
	}
	if rr := call(t, readiness, `{"constraints":[]}`); rr[0]["policy_hash"] != hashBefore {
		t.Errorf("readiness policy_hash %q, want %q", rr[0]["policy_hash"], hashBefore)
	}
	if n := r.platform.Load(); n != 1 {
		t.Fatalf("two tables under one policy ran %d collections, want 1 (cached)", n)
	}

	// An attestation edit needs no collection: it is graded per assessment,
	// against the device's clock (2025-12-03) and serial (5Q1CF32).
	owner := &facts.Assignee{Assigned: true, Name: "Platform team"}
	for _, tc := range []struct {
		att            *facts.Attestation
		status, detail string
	}{
		{&facts.Attestation{Source: "attest.yaml", Binding: facts.Binding{Serial: "5Q1CF32"}, ValidUntil: "2025-11-30", BusinessOwner: owner},
			"UNKNOWN", "The attestation does not count: attest.yaml expired on 2025-11-30."},
		{&facts.Attestation{Source: "attest.yaml", Binding: facts.Binding{Serial: "OTHER-1"}, ValidUntil: "2026-06-30", BusinessOwner: owner},
			"UNKNOWN", `The attestation does not count: attest.yaml is for serial "OTHER-1", this device has "5Q1CF32".`},
		{&facts.Attestation{Source: "attest.yaml", Binding: facts.Binding{Serial: "5Q1CF32"}, ValidUntil: "2026-06-30", BusinessOwner: owner},
			"PASS", "The accountable business owner is Platform team."},
	} {
		att.Store(tc.att)
		rows = rowsByID(call(t, checks, `{"constraints":[{"name":"check_id","affinity":"TEXT","list":[{"op":2,"expr":"CLM-01"}]}]}`))
		if got := rows["CLM-01"]; got["status"] != tc.status || got["detail"] != tc.detail {
			t.Errorf("CLM-01 with %+v = %s %q, want %s %q", *tc.att, got["status"], got["detail"], tc.status, tc.detail)
		}
	}
	if n := r.platform.Load(); n != 1 {
		t.Errorf("attestation edits ran a collection (%d), want the cached one", n)
	}

	pf.write(policyAfter)
	hashAfter := pf.hash()
	if hashAfter == hashBefore {
		t.Fatal("the edit did not change the policy hash")
	}
	rows = rowsByID(call(t, checks, `{"constraints":[]}`))
	if got := rows["MON-01"]; got["status"] != "NOT_APPLICABLE" || got["detail"] != mon01Excluded {
		t.Errorf("MON-01 after the edit = %s %q, want NOT_APPLICABLE %q", got["status"], got["detail"], mon01Excluded)
	}
	if got := rows["ORG-09"]; got["status"] != "PASS" || got["property"] != "monitored" {
		t.Errorf("ORG-09 after the edit = %v, want a PASS monitored row", got)
	}
	if n := r.platform.Load(); n != 2 {
		t.Errorf("after the edit: %d collections, want 2 (the new policy adds a query)", n)
	}
	if !slices.Contains(r.queriesSeen(), org09SQL) {
		t.Errorf("the new custom query was not sent to osquery")
	}
	if rr := call(t, readiness, `{"constraints":[]}`); rr[0]["policy_hash"] != hashAfter || rr[0]["not_applicable"] == "0" {
		t.Errorf("readiness after the edit: policy_hash %q not_applicable %s, want %q and MON-01 counted", rr[0]["policy_hash"], rr[0]["not_applicable"], hashAfter)
	}
	if n := r.platform.Load(); n != 2 {
		t.Errorf("readiness under the edited policy ran another collection (%d)", n)
	}
	if p := r.peak.Load(); p != 1 {
		t.Errorf("%d queries in flight at once, want 1", p)
	}
}

// TestConfigSource_PolicyChangeDuringCollection: the policy changes while a
// collection under the old one is running. The old query gets the old
// policy's verdicts, the new one waits for that collection to end and then
// collects under the new policy; the two never overlap.
func TestConfigSource_PolicyChangeDuringCollection(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	r := &serialRunner{dbRunner: newRunner(t, fx.Tables), started: make(chan struct{}, 1), gate: make(chan struct{})}
	pf := newPolicyFile(t, policyBefore)
	read := make(chan struct{}, 8) // one per configuration read
	now := time.Unix(1796047335, 0)
	s := newTestService(t, r, Options{Logger: testLogger(t), CacheTTL: 60 * time.Second,
		Now: func() time.Time { return now }, ConfigSource: func() (*policy.DeviceFiles, error) {
			defer func() {
				select {
				case read <- struct{}{}:
				default:
				}
			}()
			return pf.source()
		}})
	checks := Tables(s)[0]
	waitFor := func(ch <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s never happened", what)
		}
	}

	var wg sync.WaitGroup
	var before, after map[string]map[string]string
	wg.Add(1)
	go func() {
		defer wg.Done()
		before = rowsByID(call(t, checks, `{"constraints":[]}`))
	}()
	waitFor(read, "the first query's configuration read")
	waitFor(r.started, "the first collection") // held at the gate
	pf.write(policyAfter)
	wg.Add(1)
	go func() {
		defer wg.Done()
		after = rowsByID(call(t, checks, `{"constraints":[]}`))
	}()
	waitFor(read, "the second query's configuration read")
	// Let the second query reach the collector while the first collection
	// is held; whether or not it does in time, the verdicts below must hold.
	time.Sleep(50 * time.Millisecond)
	close(r.gate)
	wg.Wait()

	if before["MON-01"]["status"] == "NOT_APPLICABLE" || before["ORG-09"] != nil {
		t.Errorf("query started under the old policy: MON-01 %s, ORG-09 %v; want the old policy's verdicts",
			before["MON-01"]["status"], before["ORG-09"])
	}
	if after["MON-01"]["detail"] != mon01Excluded || after["ORG-09"]["status"] != "PASS" {
		t.Errorf("query after the edit: MON-01 %q, ORG-09 %v; want the new policy's verdicts", after["MON-01"]["detail"], after["ORG-09"])
	}
	if n := r.platform.Load(); n != 2 {
		t.Errorf("%d collections, want 2 (one per policy)", n)
	}
	if p := r.peak.Load(); p != 1 {
		t.Errorf("%d queries in flight at once: two collections overlapped", p)
	}
}
