package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/extension"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
	"github.com/miccmac/miccmac-osq/translator"
)

// extensionFixtures are the fixture hosts the extension is checked on: the
// shared ones (testdata/hosts) and the extension's own small ones.
func extensionFixtures(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"../../testdata/hosts/*.json", "../../extension/testdata/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if !strings.HasSuffix(f, ".bundle.json") { // saved collections, not fixtures
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixture hosts")
	}
	return out
}

// reportAssessment grades the fixture the way `report` grades a collection
// of it (osqsim.Collect is how the fixture bundles are made): the catalogue
// run straight against the fixture database (no Thrift), translator.ToFacts,
// engine.Assess with the default policy at the host's own clock.
func reportAssessment(t *testing.T, fx *osqsim.Fixture, db *osqsim.DB) *engine.Assessment {
	t.Helper()
	catalog := queries.MustBuiltin()
	h := osqsim.Collect(context.Background(), db, catalog, fx.Platform, fx.Host)
	a, err := engine.Assess(translator.ToFacts(h, catalog), policy.Default(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// reportJSON runs `miccmac-osq report --format json` on a saved bundle.
func reportJSON(t *testing.T, bundle string) *engine.Assessment {
	t.Helper()
	var stdout, stderr strings.Builder
	if code := run([]string{"miccmac-osq", "report", "--format", "json", "--input", bundle}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("report %s: exit %d: %s", bundle, code, stderr.String())
	}
	var a engine.Assessment
	if err := json.Unmarshal([]byte(stdout.String()), &a); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	return &a
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func fmtScore(f *float64, decimals int) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(f2(*f, decimals), 'f', -1, 64)
}

func f2(f float64, decimals int) float64 {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// TestExtensionBinary_MatchesReport: on every fixture host (each OS family),
// the binary's miccmac_checks has one row per check with the same verdict,
// detail, evidence and references as the engine gives for the same data,
// and miccmac_readiness the same scores and counts.
func TestExtensionBinary_MatchesReport(t *testing.T) {
	families := map[string]bool{}
	for _, fixture := range extensionFixtures(t) {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			m, fx, db := startStandin(t, fixture)
			families[fx.Platform] = true
			p := startExtension(t, []string{"--socket", m.Socket(), "--timeout", "3", "--interval", "3"})
			waitRegistered(t, m, 5*time.Second)
			list := generate(t, m, extension.ChecksTable)
			rows := byCheckID(list)
			want := reportAssessment(t, fx, db)
			if got := list[0]["assessed_at"]; got != strconv.FormatInt(want.AssessedAt, 10) {
				t.Errorf("assessed_at %s, want the host clock of the collection %d", got, want.AssessedAt)
			}
			if n := len(engine.Catalog()); len(rows) != n {
				t.Errorf("%d rows, want one per check (%d)", len(rows), n)
			}
			for _, prop := range want.Properties {
				for _, c := range prop.Checks {
					got, ok := rows[c.CheckID]
					if !ok {
						t.Errorf("%s missing", c.CheckID)
						continue
					}
					ev := "{}"
					if len(c.Evidence) > 0 {
						b, _ := json.Marshal(c.Evidence)
						ev = string(b)
					}
					wantRow := map[string]string{
						"property": c.Property, "letter": c.Letter, "title": c.Title, "status": string(c.Status),
						"score": fmtScore(c.Score, 0), "detail": c.Detail, "evidence": ev, "remediation": c.Remediation,
						"risk": c.Risk, "cis_ig": c.CISIG, "nist_800_53": strings.Join(c.Controls.NIST80053, ","),
						"cis_v8": strings.Join(c.Controls.CISv8, ","), "nist_800_207": strings.Join(c.Controls.NIST800207, ","),
						"model_version": want.ModelVersion,
					}
					for k, v := range wantRow {
						if got[k] != v {
							t.Errorf("%s %s:\n extension %q\n report    %q", c.CheckID, k, got[k], v)
						}
					}
				}
			}
			rr := generate(t, m, extension.ReadinessTable)
			if len(rr) != 1 {
				t.Fatalf("readiness rows = %d", len(rr))
			}
			r := rr[0]
			wantR := map[string]string{
				"overall_score": fmtScore(want.OverallScore, 1), "tier": want.Tier,
				"coverage":    strconv.FormatFloat(f2(want.Coverage, 4), 'f', -1, 64),
				"policy_hash": want.PolicyHash, "model_version": want.ModelVersion, "detail": "",
			}
			for _, pr := range want.Properties {
				wantR[pr.Key] = fmtScore(pr.Score, 1)
			}
			for _, st := range []engine.Status{engine.Pass, engine.Partial, engine.Fail, engine.NotApplicable, engine.Unknown, engine.Error} {
				wantR[strings.ToLower(string(st))] = strconv.Itoa(want.Counts[st])
			}
			for k, v := range wantR {
				if r[k] != v {
					t.Errorf("readiness %s: extension %q, report %q", k, r[k], v)
				}
			}
			if r["assessed_at"] != list[0]["assessed_at"] {
				t.Errorf("readiness assessed_at %s, checks %s: not one collection", r["assessed_at"], list[0]["assessed_at"])
			}
			// And literally what `report` says about the saved bundle of this host.
			if bundle := strings.TrimSuffix(fixture, ".json") + ".bundle.json"; fileExists(bundle) {
				rep := reportJSON(t, bundle)
				for _, prop := range rep.Properties {
					for _, c := range prop.Checks {
						if got := rows[c.CheckID]; got["status"] != string(c.Status) || got["detail"] != c.Detail {
							t.Errorf("%s: extension %s %q, report on %s: %s %q", c.CheckID, got["status"], got["detail"],
								filepath.Base(bundle), c.Status, c.Detail)
						}
					}
				}
				if r["overall_score"] != fmtScore(rep.OverallScore, 1) || r["tier"] != rep.Tier {
					t.Errorf("readiness %s %s, report %s %s", r["overall_score"], r["tier"], fmtScore(rep.OverallScore, 1), rep.Tier)
				}
			}
			if code := p.stop(t); code != 0 {
				t.Errorf("exit %d", code)
			}
		})
	}
	for _, fam := range []string{"linux", "darwin", "windows"} {
		if !families[fam] {
			t.Errorf("no %s fixture host checked", fam)
		}
	}
}
