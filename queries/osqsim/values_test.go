package osqsim

import (
	"reflect"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

func TestCellValue(t *testing.T) {
	tests := []struct {
		typ, in string
		strict  bool
		want    any
	}{
		{"integer", "22", false, int64(22)},
		{"bigint", "-1", false, int64(-1)},
		{"bigint", "0x10", false, int64(16)},
		{"integer", "010", false, int64(8)}, // strtoll base 0 reads octal
		{"bigint", "9223372036854775807", false, int64(9223372036854775807)},
		{"unsigned_bigint", "18446744073709551615", false, "18446744073709551615"},
		{"unsigned_bigint", "18446744073709551615", true, nil},
		{"integer", "", false, ""},
		{"integer", "", true, nil},
		{"integer", "1.5", false, "1.5"},
		{"integer", "12abc", true, nil},
		{"double", "1514201750.14937", false, 1514201750.14937},
		{"double", "1", false, float64(1)},
		{"double", "n/a", false, "n/a"},
		{"text", "0042", false, "0042"},
	}
	for _, tt := range tests {
		if got := cellValue(tt.typ, tt.in, tt.strict); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("cellValue(%s, %q, strict=%v) = %#v, want %#v", tt.typ, tt.in, tt.strict, got, tt.want)
		}
	}
}

func TestQuery_ValueText(t *testing.T) {
	db, err := Open(map[string][]queries.Row{
		"package_receipts": {{"package_id": "org.gpgtools.pkg.version", "install_time": "1514201750.14937", "path": "/p"}},
		"uptime":           {{"days": "0x2", "total_seconds": "183845"}},
		"load_average":     {{"period": "1m", "average": "0.27"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := query(t, db, `SELECT r.install_time, r.install_time + 0.5 AS later, u.days, u.total_seconds / 60 AS minutes,
		l.average, 3.0 AS three FROM package_receipts r, uptime u, load_average l`)
	want := []queries.Row{{"install_time": "1514201750.14937", "later": "1514201750.64937", "days": "2",
		"minutes": "3064", "average": "0.27", "three": "3.0"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := query(t, db, `SELECT average FROM load_average WHERE average > 0.2`); len(got) != 1 {
		t.Errorf("double compares as a number: got %v", got)
	}
}
