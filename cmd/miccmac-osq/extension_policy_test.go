//go:build !windows

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/extension"
	"github.com/miccmac/miccmac-osq/extension/standin"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
	"github.com/miccmac/miccmac-osq/translator"
)

const ubuntuFixture = "../../testdata/hosts/ubuntu-2404.json"

// writeFile writes b to path with exactly mode (the umask cannot widen it,
// but Chmod makes it exact).
func writeFile(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestExtensionBinary_UntrustedPolicy: the real binary given a policy it must
// refuse (under a directory others can write: os.MkdirTemp("") is under
// /tmp) or a file that does not exist answers miccmac_checks with one ERROR
// row naming the file and why, and miccmac_readiness with no score, tier
// Unassessed and the same reason. Nothing is collected under a refused
// configuration. This runs everywhere, as root or not.
func TestExtensionBinary_UntrustedPolicy(t *testing.T) {
	dir, err := os.MkdirTemp("", "miccmac-pol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	example, err := os.ReadFile("../../data/examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	untrusted := filepath.Join(dir, "policy.yaml")
	writeFile(t, untrusted, example, 0o644) // a valid policy: only where it lives is wrong
	why := policy.CheckTrusted(untrusted)
	if why == nil {
		// TMPDIR names a directory only root can write: make this one
		// world-writable so the refusal does not depend on where it is.
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		why = policy.CheckTrusted(untrusted)
		t.Logf("%s is trusted; made %s world-writable: %v", os.TempDir(), dir, why)
	}
	if why == nil {
		t.Fatalf("policy.CheckTrusted(%s) accepts a file under a world-writable directory", untrusted)
	}
	missing := filepath.Join(dir, "absent.yaml")
	tests := []struct {
		name   string
		env    []string
		file   string
		detail string
	}{
		{"policy under a world-writable directory", []string{"MICCMAC_POLICY=" + untrusted}, untrusted,
			fmt.Sprintf("refusing %s: %v", untrusted, why)},
		{"policy file missing", []string{"MICCMAC_POLICY=" + missing}, missing,
			fmt.Sprintf("cannot read %s (named by MICCMAC_POLICY): no such file", missing)},
		{"attestation file missing", []string{"MICCMAC_ATTESTATION=" + missing}, missing,
			fmt.Sprintf("cannot read %s (named by MICCMAC_ATTESTATION): no such file", missing)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := startStandin(t, smallLinuxFixture)
			// Only the variable under test is set; the others read nothing.
			env := append([]string{"MICCMAC_POLICY=", "MICCMAC_ATTESTATION=", "MICCMAC_INVENTORY="}, tt.env...)
			p := startExtension(t, []string{"--socket", m.Socket(), "--interval", "1"}, env...)
			waitRegistered(t, m, 5*time.Second)

			rows := generate(t, m, extension.ChecksTable)
			if len(rows) != 1 {
				t.Fatalf("miccmac_checks returned %d rows, want the one ERROR row: %v", len(rows), rows)
			}
			r := rows[0]
			if r["status"] != "ERROR" || r["check_id"] != "" || r["score"] != "" || r["detail"] != tt.detail ||
				!containsAll(r["detail"], tt.file) {
				t.Errorf("ERROR row = status %q check_id %q score %q detail %q\n want ERROR, no id, no score, detail %q",
					r["status"], r["check_id"], r["score"], r["detail"], tt.detail)
			}
			if tt.file == untrusted && !containsAll(r["detail"], "refusing", untrusted) {
				t.Errorf("detail %q does not say it refuses %s", r["detail"], untrusted)
			}
			// Narrowing constraints do not hide the error either.
			if rows := generate(t, m, extension.ChecksTable, standin.Constraint{Column: "check_id", Op: 2, Expr: "MON-01"}); len(rows) != 1 || rows[0]["detail"] != tt.detail {
				t.Errorf("WHERE check_id = 'MON-01' = %v, want the ERROR row", rows)
			}

			rr := generate(t, m, extension.ReadinessTable)
			if len(rr) != 1 {
				t.Fatalf("miccmac_readiness returned %d rows: %v", len(rr), rr)
			}
			want := map[string]string{"tier": "Unassessed", "overall_score": "", "coverage": "", "pass": "", "fail": "",
				"policy_hash": "", "detail": tt.detail, "model_version": engine.ModelVersion}
			for k, v := range want {
				if rr[0][k] != v {
					t.Errorf("readiness %s = %q, want %q", k, rr[0][k], v)
				}
			}
			if qs := m.Queries(); len(qs) != 0 {
				t.Errorf("osquery was queried under a refused configuration: %q", qs)
			}
			if !containsAll(p.stderr.String(), "generate failed") {
				t.Errorf("the refusal was not logged")
			}
			if code := p.stop(t); code != 0 {
				t.Errorf("exit %d after SIGTERM: a bad policy must not stop the extension", code)
			}
		})
	}
}

// trustedPolicy excludes MON-04 (FAIL on ubuntu-2404) and adds a check.
const trustedPolicy = `# written by TestExtensionBinary_TrustedPolicy
exclude:
  MON-04: "Audit events are collected by the hypervisor (contract HV-31)"
custom_checks:
  - id: ORG-05
    title: PostgreSQL is running
    property: inventoried
    cis_ig: IG1
    frequency: LOW
    magnitude: MEDIUM
    remediation: Start postgresql.service.
    query: SELECT pid, name FROM processes WHERE name = 'postgres';
    platforms: [linux]
    pass_when: {rows: any}
`

// untrustedAncestor returns the first of dir and its parents that is not
// root-owned or that group or others may write, and why; "" when none.
func untrustedAncestor(dir string) (string, string) {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return p, err.Error()
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		switch {
		case !ok:
			return p, "owner unreadable"
		case st.Uid != 0:
			return p, fmt.Sprintf("owned by uid %d", st.Uid)
		case fi.Mode().Perm()&0o022 != 0:
			return p, fmt.Sprintf("writable by group or others (mode %04o)", fi.Mode().Perm())
		}
		if p == filepath.Dir(p) {
			return "", ""
		}
	}
}

// TestExtensionBinary_TrustedPolicy: a root-owned 0644 policy in a 0755
// directory, with every parent root-owned and not group/world-writable, is
// used by the real binary: the excluded check is NOT_APPLICABLE, the custom
// check is collected and graded, the attestation and inventory record next
// to it grade CLM-01 and INV-04,
// every row matches the engine run in-process on the same data under the
// same files, and miccmac_readiness carries the policy's hash. It needs root
// and a work tree no ordinary user can write, and says so when it skips.
func TestExtensionBinary_TrustedPolicy(t *testing.T) {
	if uid := os.Geteuid(); uid != 0 {
		t.Skipf("running as uid %d: a trusted policy must be root-owned, which only root can create", uid)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if p, why := untrustedAncestor(wd); p != "" {
		t.Skipf("%s is %s: no file under the work tree can be trusted (the untrusted case still runs)", p, why)
	}
	rel, err := os.MkdirTemp(".", "pol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(rel) })
	if err := os.Chmod(rel, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	polPath, attPath := filepath.Join(dir, "policy.yaml"), filepath.Join(dir, "attestation.yaml")
	writeFile(t, polPath, []byte(trustedPolicy), 0o644)
	att, err := os.ReadFile("../../testdata/hosts/ubuntu-2404.attestation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, attPath, att, 0o644)
	invPath := filepath.Join(dir, "inventory.yaml")
	inv, err := os.ReadFile("../../testdata/hosts/ubuntu-2404.inventory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, invPath, inv, 0o644)
	for _, f := range []string{polPath, attPath, invPath} {
		if err := policy.CheckTrusted(f); err != nil {
			t.Fatalf("policy.CheckTrusted refuses a root-owned 0644 file in a trusted tree: %v", err)
		}
	}
	pol, err := policy.Load(polPath, engine.CanonicalIDs())
	if err != nil {
		t.Fatal(err)
	}
	if pol.Hash() == policy.Default().Hash() {
		t.Fatal("the test policy hashes like the built-in one")
	}

	m, fx, db := startStandin(t, ubuntuFixture)
	p := startExtension(t, []string{"--socket", m.Socket(), "--interval", "1"},
		"MICCMAC_POLICY="+polPath, "MICCMAC_ATTESTATION="+attPath, "MICCMAC_INVENTORY="+invPath)
	waitRegistered(t, m, 5*time.Second)
	list := generate(t, m, extension.ChecksTable)
	rows := byCheckID(list)

	for _, w := range []struct{ id, status, detail string }{
		{"MON-04", "NOT_APPLICABLE", "Excluded: Audit events are collected by the hypervisor (contract HV-31)"},
		{"ORG-05", "PASS", "pass_when matched: 6 rows."},
		{"CLM-01", "PASS", "The accountable business owner is Data Platform (A. Smith)."},
		{"INV-04", "PASS", "The inventory record was reviewed 48 days ago (policy: every 90 days)."},
	} {
		if r := rows[w.id]; r["status"] != w.status || r["detail"] != w.detail {
			t.Errorf("%s = %s %q, want %s %q", w.id, r["status"], r["detail"], w.status, w.detail)
		}
	}
	if !slices.Contains(m.Queries(), "SELECT pid, name FROM processes WHERE name = 'postgres';") {
		t.Error("osquery never received ORG-05's query")
	}

	// The same data, policy and attestation graded in-process.
	catalog := pol.Catalog(queries.MustBuiltin())
	doc := translator.ToFacts(osqsim.Collect(context.Background(), db, catalog, fx.Platform, fx.Host), catalog)
	if doc.Attestation, err = policy.LoadAttestation(attPath); err != nil {
		t.Fatal(err)
	}
	if doc.Inventory, err = policy.LoadInventory(invPath); err != nil {
		t.Fatal(err)
	}
	want, err := engine.Assess(doc, pol, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, prop := range want.Properties {
		for _, c := range prop.Checks {
			n++
			if r := rows[c.CheckID]; r["status"] != string(c.Status) || r["detail"] != c.Detail || r["score"] != fmtScore(c.Score, 0) {
				t.Errorf("%s: extension %s %q score %q, engine %s %q", c.CheckID, r["status"], r["detail"], r["score"], c.Status, c.Detail)
			}
		}
	}
	if len(list) != n || n != len(engine.Catalog())+1 {
		t.Errorf("%d rows, engine graded %d, want %d built-in checks + ORG-05", len(list), n, len(engine.Catalog()))
	}

	rr := generate(t, m, extension.ReadinessTable)
	if len(rr) != 1 {
		t.Fatalf("readiness rows = %v", rr)
	}
	r := rr[0]
	wantR := map[string]string{"policy_hash": pol.Hash(), "overall_score": fmtScore(want.OverallScore, 1), "tier": want.Tier,
		"not_applicable": strconv.Itoa(want.Counts[engine.NotApplicable]), "detail": ""}
	for k, v := range wantR {
		if r[k] != v {
			t.Errorf("readiness %s = %q, want %q", k, r[k], v)
		}
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("exit %d", code)
	}
}
