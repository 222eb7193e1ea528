package extension

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osquery/osquery-go/gen/osquery"
	"github.com/osquery/osquery-go/plugin/table"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

// dbRunner is a QueryRunner over an osqsim database without Thrift: SQL
// errors become osquery answers, and queries can be delayed.
type dbRunner struct {
	db       *osqsim.DB
	mu       sync.Mutex
	delays   map[string]time.Duration
	platform atomic.Int32 // platform queries seen = collections run
}

func (r *dbRunner) QueryRows(ctx context.Context, sql string) ([]map[string]string, error) {
	if sql == platformSQL {
		r.platform.Add(1)
	}
	r.mu.Lock()
	var d time.Duration
	for sub, dl := range r.delays {
		if strings.Contains(sql, sub) {
			d += dl
		}
	}
	r.mu.Unlock()
	if d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	rows, err := r.db.Query(ctx, sql)
	var se *osqsim.SQLError
	if errors.As(err, &se) {
		return nil, OsqueryError(se.Msg)
	}
	if err != nil {
		return nil, err
	}
	out := make([]map[string]string, len(rows))
	for i, row := range rows {
		out[i] = row
	}
	return out, nil
}

func (r *dbRunner) delay(sub string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.delays == nil {
		r.delays = map[string]time.Duration{}
	}
	if d == 0 {
		delete(r.delays, sub)
		return
	}
	r.delays[sub] = d
}

func newRunner(t *testing.T, tables map[string][]queries.Row) *dbRunner {
	return &dbRunner{db: openDB(t, tables)}
}

func newTestService(t *testing.T, r QueryRunner, opts Options) *Service {
	t.Helper()
	s, err := NewService(r, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// call runs a table plugin's generate through osquery-go's request handling,
// with a context JSON as osqueryd sends it.
func call(t *testing.T, p *table.Plugin, contextJSON string) []map[string]string {
	t.Helper()
	res := p.Call(context.Background(), osquery.ExtensionPluginRequest{"action": "generate", "context": contextJSON})
	if res.Status == nil || res.Status.Code != 0 {
		t.Fatalf("%s generate: status %+v", p.Name(), res.Status)
	}
	return res.Response
}

func TestConstraints_B05(t *testing.T) {
	var bc struct {
		Rows  []string `json:"rows_the_table_can_produce"`
		Cases []struct {
			SQL         string   `json:"sql"`
			Context     string   `json:"context_received"`
			MustReturn  string   `json:"generate_must_return"`
			FinalResult []string `json:"final_result"`
		} `json:"cases"`
	}
	b, err := os.ReadFile("../testdata/bugcases/B05.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bc); err != nil {
		t.Fatal(err)
	}
	fx := loadFixture(t, smallLinux)
	s := newTestService(t, newRunner(t, fx.Tables), fakeOptions(t))
	checks := Tables(s)[0]
	all := slices.Clone(bc.Rows)
	slices.Sort(all)
	// What this implementation returns for each case, in B05's order.
	want := [][]string{{"CUR-01"}, all, all, all, all}
	if len(bc.Cases) != len(want) {
		t.Fatalf("B05 has %d cases, test expects %d", len(bc.Cases), len(want))
	}
	for i, c := range bc.Cases {
		got := ids(call(t, checks, c.Context))
		if joined(got) != joined(want[i]) {
			t.Errorf("%s\n  context %s\n  generate returned %v, want %v", c.SQL, c.Context, got, want[i])
		}
		if strings.HasPrefix(c.MustReturn, "all rows") && joined(got) != joined(all) {
			t.Errorf("%s: must return all rows, got %v", c.SQL, got)
		}
		for _, id := range c.FinalResult {
			if !slices.Contains(got, id) {
				t.Errorf("%s: SQLite could not produce %s from %v", c.SQL, id, got)
			}
		}
	}
}

func TestNarrow(t *testing.T) {
	eq := func(v string) table.Constraint {
		return table.Constraint{Operator: table.OperatorEquals, Expression: v}
	}
	qc := func(m map[string][]table.Constraint) table.QueryContext {
		out := table.QueryContext{Constraints: map[string]table.ConstraintList{}}
		for col, cs := range m {
			out.Constraints[col] = table.ConstraintList{Affinity: table.ColumnTypeText, Constraints: cs}
		}
		return out
	}
	tests := []struct {
		name string
		qc   table.QueryContext
		want []string // nil: all
	}{
		{"no constraints", qc(nil), nil},
		{"one id", qc(map[string][]table.Constraint{"check_id": {eq("MON-02")}}), []string{"MON-02"}},
		{"IN list is a union", qc(map[string][]table.Constraint{"check_id": {eq("MON-02"), eq("CUR-04")}}), []string{"CUR-04", "MON-02"}},
		{"property", qc(map[string][]table.Constraint{"property": {eq("current")}}), []string{"CUR-01", "CUR-04"}},
		{"property and id intersect", qc(map[string][]table.Constraint{"property": {eq("current")}, "check_id": {eq("CUR-04"), eq("MON-01")}}), []string{"CUR-04"}},
		{"disjoint property and id", qc(map[string][]table.Constraint{"property": {eq("current")}, "check_id": {eq("MON-01")}}), []string{}},
		{"unknown id (custom check) is not narrowed", qc(map[string][]table.Constraint{"check_id": {eq("ORG-07")}}), nil},
		{"unknown property is not narrowed", qc(map[string][]table.Constraint{"property": {eq("Current")}}), nil},
		{"LIKE is not narrowed", qc(map[string][]table.Constraint{"check_id": {{Operator: table.OperatorLike, Expression: "CUR-%"}}}), nil},
		{"greater-than is not narrowed", qc(map[string][]table.Constraint{"check_id": {{Operator: table.OperatorGreaterThan, Expression: "INV"}}}), nil},
		{"other column is not narrowed", qc(map[string][]table.Constraint{"status": {eq("FAIL")}}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := narrow(tt.qc, testChecks)
			if (got == nil) != (tt.want == nil) || joined(got) != joined(tt.want) {
				t.Errorf("narrow = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestPolicyError_B06(t *testing.T) {
	var bc struct {
		Expected []map[string]string `json:"expected_rows_from_the_extension"`
	}
	b, err := os.ReadFile("../testdata/bugcases/B06.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bc); err != nil {
		t.Fatal(err)
	}
	reason := bc.Expected[0]["detail"]
	fx := loadFixture(t, smallLinux)
	opts := fakeOptions(t)
	opts.ConfigSource = func() (*policy.DeviceFiles, error) { return nil, errors.New(reason) }
	s := newTestService(t, newRunner(t, fx.Tables), opts)
	tables := Tables(s)

	rows := call(t, tables[0], `{"constraints":[]}`)
	if len(rows) != 1 {
		t.Fatalf("miccmac_checks returned %d rows, want the one ERROR row: %v", len(rows), rows)
	}
	for k, v := range bc.Expected[0] {
		if rows[0][k] != v {
			t.Errorf("ERROR row %s = %q, want %q", k, rows[0][k], v)
		}
	}
	if rows[0]["score"] != "" {
		t.Errorf("ERROR row is scored: %q", rows[0]["score"])
	}
	rr := call(t, tables[1], `{"constraints":[]}`)
	if len(rr) != 1 || rr[0]["overall_score"] != "" || rr[0]["tier"] != "Unassessed" || rr[0]["detail"] != reason {
		t.Errorf("miccmac_readiness = %v, want no score, tier Unassessed, detail %q", rr, reason)
	}
}

func TestCollectionFailure_ErrorRow(t *testing.T) {
	// No os_version: the platform cannot be read, nothing can be graded.
	s := newTestService(t, newRunner(t, map[string][]queries.Row{"system_info": {{"hostname": "h"}}}), fakeOptions(t))
	rows := call(t, Tables(s)[0], `{"constraints":[]}`)
	if len(rows) != 1 || rows[0]["status"] != "ERROR" || rows[0]["check_id"] != "" ||
		!strings.Contains(rows[0]["detail"], "no such table: os_version") {
		t.Fatalf("rows = %v, want one ERROR row naming the missing os_version", rows)
	}
}

func TestGenerate_PanicBecomesErrorRow(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	opts := fakeOptions(t)
	opts.grade = func(*queries.HostResults, []queries.Query, *policy.DeviceFiles, time.Time, []string) (*engine.Assessment, error) {
		panic(errors.New("check exploded"))
	}
	s := newTestService(t, newRunner(t, fx.Tables), opts)
	rows := call(t, Tables(s)[0], `{"constraints":[]}`)
	if len(rows) != 1 || rows[0]["status"] != "ERROR" || !strings.Contains(rows[0]["detail"], "internal error in miccmac_checks") {
		t.Fatalf("rows = %v, want one ERROR row for the panic", rows)
	}
}

func TestGenerate_NeverHangs(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	opts := fakeOptions(t)
	block := make(chan struct{})
	defer close(block)
	opts.ConfigSource = func() (*policy.DeviceFiles, error) { <-block; return DefaultConfig() }
	opts.CollectTimeout, opts.QueryTimeout, opts.grace = 200*time.Millisecond, 100*time.Millisecond, 100*time.Millisecond
	s := newTestService(t, newRunner(t, fx.Tables), opts)
	start := time.Now()
	rows := call(t, Tables(s)[0], `{"constraints":[]}`)
	if took := time.Since(start); took > time.Second {
		t.Errorf("generate took %s, want about 300ms", took)
	}
	if len(rows) != 1 || rows[0]["status"] != "ERROR" || !strings.Contains(rows[0]["detail"], "did not finish within 300ms") {
		t.Fatalf("rows = %v, want one ERROR row naming the deadline", rows)
	}
}

func TestCollection_SharedAndCached(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	r := newRunner(t, fx.Tables)
	r.delay(platformSQL, 100*time.Millisecond) // keep the first collection in flight
	now := time.Unix(1764772800, 0)
	var clock atomic.Int64
	clock.Store(now.Unix())
	opts := fakeOptions(t)
	opts.Now = func() time.Time { return time.Unix(clock.Load(), 0) }
	opts.CacheTTL = 60 * time.Second
	s := newTestService(t, r, opts)
	tables := Tables(s)

	var wg sync.WaitGroup
	results := make([][]map[string]string, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = call(t, tables[i%2], `{"constraints":[]}`)
		}()
	}
	wg.Wait()
	if n := r.platform.Load(); n != 1 {
		t.Fatalf("16 concurrent generates ran %d collections, want 1", n)
	}
	for i, rows := range results {
		if want := []int{5, 1}[i%2]; len(rows) != want {
			t.Errorf("caller %d: %d rows, want %d", i, len(rows), want)
		}
	}
	clock.Add(59)
	call(t, tables[1], `{"constraints":[]}`)
	if n := r.platform.Load(); n != 1 {
		t.Errorf("within the TTL: %d collections, want 1", n)
	}
	clock.Add(2)
	call(t, tables[0], `{"constraints":[]}`)
	if n := r.platform.Load(); n != 2 {
		t.Errorf("after the TTL: %d collections, want 2", n)
	}
}

func TestCollection_NoCacheWhenDisabled(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	r := newRunner(t, fx.Tables)
	opts := fakeOptions(t)
	opts.CacheTTL = -1
	s := newTestService(t, r, opts)
	for range 3 {
		call(t, Tables(s)[0], `{"constraints":[]}`)
	}
	if n := r.platform.Load(); n != 3 {
		t.Errorf("CacheTTL < 0: %d collections for 3 calls, want 3", n)
	}
}

func TestCollection_SlowQuery_B08(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	r := newRunner(t, fx.Tables)
	r.delay("FROM deb_packages", 5*time.Second)
	opts := fakeOptions(t)
	opts.QueryTimeout = 200 * time.Millisecond
	s := newTestService(t, r, opts)
	checks := Tables(s)[0]

	start := time.Now()
	rows := call(t, checks, `{"constraints":[]}`)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("generate with a slow query took %s, want about the 200ms query deadline", took)
	}
	byID := map[string]map[string]string{}
	for _, row := range rows {
		byID[row["check_id"]] = row
	}
	if row := byID["CUR-04"]; row["status"] == "PASS" || row["score"] != "" || !strings.Contains(row["detail"], "deadline") {
		t.Errorf("CUR-04 (slow deb_packages) = %v, want an unscored row naming the deadline", row)
	}
	for _, id := range []string{"MON-01", "MON-02", "INV-01", "CUR-01"} {
		if byID[id]["status"] != "PASS" {
			t.Errorf("%s = %v, want PASS: only the slow query's check is affected", id, byID[id])
		}
	}
	// The incomplete collection is not cached: once osquery answers, the
	// next call grades CUR-04.
	r.delay("FROM deb_packages", 0)
	rows = call(t, checks, `{"constraints":[{"name":"check_id","affinity":"TEXT","list":[{"op":2,"expr":"CUR-04"}]}]}`)
	if len(rows) != 1 || rows[0]["status"] != "PASS" {
		t.Errorf("follow-up CUR-04 = %v, want PASS from a fresh collection", rows)
	}
}

func TestCollection_QueryErrorIsolated(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	delete(fx.Tables, "deb_packages")
	r := newRunner(t, fx.Tables)
	s := newTestService(t, r, fakeOptions(t))
	col, err := s.col.get(context.Background(), s.catalog, "k")
	if err != nil {
		t.Fatal(err)
	}
	if res := col.host.Get("deb_packages"); res.Status != queries.StatusError || res.Error != "no such table: deb_packages" {
		t.Errorf("deb_packages result = %+v, want osquery's no such table error", res)
	}
	if res := col.host.Get("os_version"); res.Status != queries.StatusOK || len(res.Rows) != 1 || res.Rows[0]["platform"] != "debian" {
		t.Errorf("os_version result = %+v, want the fixture's row", res)
	}
	if res := col.host.Get("programs"); res.Status != queries.StatusNotRun {
		t.Errorf("windows-only programs on linux = %+v, want not run", res)
	}
	if !col.complete || col.platform != "linux" || col.host.Host != "ext-deb-01" || col.host.Decorations["host_uuid"] == "" {
		t.Errorf("collection = complete %v platform %q host %q decorations %v", col.complete, col.platform, col.host.Host, col.host.Decorations)
	}
	// osquery answered every query: the collection is cached.
	if _, err := s.col.get(context.Background(), s.catalog, "k"); err != nil || r.platform.Load() != 1 {
		t.Errorf("second get: %v, %d collections; want the cached one", err, r.platform.Load())
	}
}
