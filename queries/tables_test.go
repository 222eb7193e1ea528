package queries

import (
	"reflect"
	"testing"
)

func TestTablesInAndSimpleColumns(t *testing.T) {
	tests := []struct {
		sql     string
		tables  []string
		columns []string
	}{
		{"SELECT name, version FROM deb_packages;", []string{"deb_packages"}, []string{"name", "version"}},
		{"SELECT name FROM deb_packages WHERE status LIKE '%installed';", []string{"deb_packages"}, []string{"name"}},
		{"SELECT node, value FROM augeas WHERE path IN (SELECT path FROM file WHERE directory = '/etc');", []string{"augeas", "file"}, nil},
		{"SELECT p.name, l.port FROM listening_ports l JOIN processes p USING (pid);", []string{"listening_ports", "processes"}, nil},
		{"WITH x AS (SELECT uid FROM users) SELECT * FROM x JOIN user_groups USING (uid);", []string{"users", "user_groups"}, nil},
		{"SELECT * FROM os_version;", []string{"os_version"}, nil},
	}
	for _, tt := range tests {
		if got := TablesIn(tt.sql); !reflect.DeepEqual(got, tt.tables) {
			t.Errorf("TablesIn(%q) = %v, want %v", tt.sql, got, tt.tables)
		}
		if got := SimpleColumns(tt.sql); !reflect.DeepEqual(got, tt.columns) {
			t.Errorf("SimpleColumns(%q) = %v, want %v", tt.sql, got, tt.columns)
		}
	}
}

func TestSQLProblems(t *testing.T) {
	if ps := SQLProblems("SELECT nmae FROM deb_packages;", []string{"linux"}); len(ps) != 1 || ps[0] != "table deb_packages has no column nmae" {
		t.Errorf("misspelt column: %v", ps)
	}
	if ps := SQLProblems("SELECT name FROM deb_packages;", []string{"linux", "windows"}); len(ps) != 1 || ps[0] != "table deb_packages does not exist on windows" {
		t.Errorf("wrong platform: %v", ps)
	}
	for _, bad := range []string{"SELEC name FROM processes", "SELECT 1 FROM processes; DROP TABLE x", "ATTACH DATABASE 'x' AS y"} {
		if ps := SQLProblems(bad, []string{"linux"}); len(ps) == 0 {
			t.Errorf("%q passed", bad)
		}
	}
	if ps := SQLProblems("SELECT name FROM processes WHERE name = 'a;b'; -- trailing", []string{"linux"}); len(ps) != 0 {
		t.Errorf("a semicolon in a string literal or a trailing one is fine: %v", ps)
	}
	if ps := SQLProblems("SELECT * FROM miccmac_checks;", nil, "miccmac_checks"); len(ps) != 0 {
		t.Errorf("skipped table reported: %v", ps)
	}
}
