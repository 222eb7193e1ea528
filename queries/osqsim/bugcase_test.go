package osqsim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// bugCase holds the parts of testdata/bugcases/*.json these tests read.
type bugCase struct {
	// Rows is B10's shape: {"host", "row"} pairs.
	Rows []struct {
		Host string      `json:"host"`
		Row  queries.Row `json:"row"`
	}
	// Rows23 is B23's shape: plain rows.
	Rows23 []queries.Row
}

func readBugCase(t *testing.T, name string) bugCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "bugcases", name))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Rows json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var c bugCase
	if json.Unmarshal(raw.Rows, &c.Rows) != nil || len(c.Rows) == 0 || c.Rows[0].Row == nil {
		c.Rows = nil
		if err := json.Unmarshal(raw.Rows, &c.Rows23); err != nil {
			t.Fatalf("%s: rows: %v", name, err)
		}
	}
	return c
}
