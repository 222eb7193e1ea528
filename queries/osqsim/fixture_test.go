package osqsim

import (
	"strings"
	"testing"
)

func TestLoadFixture(t *testing.T) {
	f, err := LoadFixture("testdata/linux-laptop.json")
	if err != nil {
		t.Fatal(err)
	}
	if f.Host != "deb12-laptop" || f.Platform != "linux" || f.File != "testdata/linux-laptop.json" {
		t.Errorf("got host %q platform %q file %q", f.Host, f.Platform, f.File)
	}
	if n := len(f.Tables["processes"]); n != 4 {
		t.Errorf("processes: %d rows, want 4", n)
	}
	if got := f.Tables["deb_packages"][0]["version"]; got != "1:9.2p1-2+deb12u3" {
		t.Errorf("deb_packages[0].version = %q", got)
	}
}

func TestParseFixture_Rejects(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string
	}{
		{"bad platform", `{"host":"h","platform":"macos","tables":{}}`, []string{"x.json", `"macos"`}},
		{"missing platform", `{"host":"h","tables":{}}`, []string{"x.json", "platform"}},
		{"table not on the platform", `{"host":"h","platform":"darwin","tables":{"deb_packages":[]}}`,
			[]string{"x.json", "deb_packages", "darwin"}},
		{"unknown table", `{"host":"h","platform":"linux","tables":{"proceses":[]}}`, []string{"x.json", `"proceses"`}},
		{"unknown column", `{"host":"h","platform":"linux","tables":{"users":[{"uid":"0","usrname":"root"}]}}`,
			[]string{"x.json", "users", `"usrname"`}},
		{"object value", `{"host":"h","platform":"linux","tables":{"users":[{"uid":{"n":0}}]}}`,
			[]string{"x.json", "tables.users[0].uid"}},
		{"unknown key", `{"host":"h","platform":"linux","tabels":{}}`, []string{"x.json", "tabels"}},
		{"not JSON", `{"host":`, []string{"x.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFixture("x.json", []byte(tt.json))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestParseFixture_Values(t *testing.T) {
	f, err := ParseFixture("x.json", []byte(`{"host":"h","platform":"linux",
		"tables":{"users":[{"uid":0,"gid":"0","username":"root","description":null}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	row := f.Tables["users"][0]
	if row["uid"] != "0" || row["gid"] != "0" {
		t.Errorf("numbers should read as text: %v", row)
	}
	if _, ok := row["description"]; ok {
		t.Errorf("null should leave the column out: %v", row)
	}
}
