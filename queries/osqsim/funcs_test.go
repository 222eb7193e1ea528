package osqsim

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestFunctions checks osquery's SQL additions. Expected values come from
// osquery's documentation (docs/wiki/introduction/sql.md) where it gives one.
func TestFunctions(t *testing.T) {
	db, err := Open(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		expr string
		want string // "NULL" means the key is absent
	}{
		// split: any byte of the tokens splits, empty parts dropped, parts trimmed.
		{`split('192.168.0.1', '.', 1)`, "168"},
		{`split('192.168.0.1', '.0', 0)`, "192"},
		{`split(1001, 1, 0)`, "00"},
		{`split(500, 1, 0)`, "500"},
		{`split('a, b,,c', ',', 2)`, "c"},
		{`split('a, b', ',', 1)`, "b"},
		{`split('a,b', ',', 5)`, "NULL"},
		{`split('a,b', ',', -1)`, "NULL"},
		{`split(NULL, ',', 0)`, "NULL"},
		// regex_split and regex_match
		{`regex_split('192.168.0.1', '\.', 1)`, "168"},
		{`regex_split('192.168.0.1', '\.0', 0)`, "192.168"},
		{`regex_split('a--b--', '--', 2)`, "NULL"},
		{`regex_split(',a', ',', 0)`, ""},
		{`regex_match('hello world. Goodbye', '(\w+) \w+', 0)`, "hello world"},
		{`regex_match('hello world. Goodbye', '(\w+) \w+', 1)`, "hello"},
		{`regex_match('hello world', '(\w+) \w+', 2)`, "NULL"},
		{`regex_match('abc', 'x', 0)`, "NULL"},
		{`regex_match('ab', 'a(x)?b', 1)`, ""},
		{`regex_match('Linux 6.1.0-28-amd64', '(\d+)\.(\d+)', 2)`, "1"},
		// inet_aton
		{`inet_aton('1.0.1.5')`, "16777477"},
		{`inet_aton('255.255.255.255')`, "4294967295"},
		{`inet_aton('::1')`, "NULL"},
		{`inet_aton('1.2.3')`, "NULL"},
		// concat / concat_ws with osquery's NULL handling
		{`concat('hello', NULL, ' ', 'world')`, "hello world"},
		{`concat_ws(' ', 'hello', NULL, 'world')`, "hello world"},
		{`concat_ws('-', 'a', NULL)`, "a-"},
		{`concat_ws(',', 1, 2.5)`, "1,2.5"},
		// encoding
		{`to_base64('CPU0')`, "Q1BVMA=="},
		{`from_base64('Q1BVMA==')`, "CPU0"},
		{`from_base64('Q1BVMA')`, "CPU0"},
		{`from_base64('not base64!')`, ""},
		{`conditional_to_base64('CPU0')`, "CPU0"},
		{`conditional_to_base64('CPU0' || char(183))`, "Q1BVMMK3"},
		{`to_base64(NULL)`, "NULL"},
		// hashing (the docs' sha1 example; the others are the standard digests,
		// as the docs' md5/sha256 examples do not match their input)
		{`sha1('Guest')`, "face83ee3014bdc8f98203cc94e2e89222452e90"},
		{`sha256('Guest')`, "5ed8944a85a9763fd315852f448cb7de36c5e928e13b3be427f98f7dc455f141"},
		{`md5('Guest')`, "adb831a7fdd83dd1e2a309ce7591dff8"},
		{`md5(NULL)`, "NULL"},
		{`community_id_v1('66.35.250.204', '128.232.110.120', 80, 34855, 6)`, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
		{`community_id_v1('66.35.250.204', '2001:0:3238:DFE1:63::FEFB', 80, 2347, 6)`, "1:rxU6O+b2d9kbSWjRmVDoBbowx6g="},
		{`community_id_v1('66.35.250.204', '2001:0:3238:DFE1:63::FEFB', 80, 2347, 6, 37)`, "1:jmJ2ORP31di4mtsQPIKzyoEb3yo="},
		{`community_id_v1('nope', '1.2.3.4', 80, 2347, 6)`, "NULL"},
		// network
		{`in_cidr_block('10.0.0.0/26', '10.0.0.24')`, "1"},
		{`in_cidr_block('2001:db8::/48', '2001:db8:0:ffff:ffff:ffff:ffff:ffff')`, "1"},
		{`in_cidr_block('10.0.0.0/26', '10.0.0.64')`, "0"},
		{`in_cidr_block('10.0.0.0/24', '10.0.0.0')`, "0"},
		{`in_cidr_block('10.0.0.0/24', '10.0.0.255')`, "0"},
		{`in_cidr_block('10.0.0.7/32', '10.0.0.7')`, "1"},
		// versions and collations
		{`version_compare('1.0', '1.0')`, "0"},
		{`version_compare('4:1.1.0', '4:1.1.0-3', 'ARCH')`, "0"},
		{`version_compare('50.4.1b', '50.4.1c')`, "-1"},
		{`version_compare('1.0.0~rc2^2021', '1.0.0', 'RHEL')`, "-1"},
		{`version_compare('1:1.2.13-2', '4.2.1', 'ARCH')`, "1"},
		{`version_compare('1.10', '1.9')`, "1"},
		{`version_compare('22.07.5-2ubuntu1.3', '22.07.5-2ubuntu1.4', 'dpkg')`, "-1"},
		{`'1.0' = '1.0' COLLATE VERSION`, "1"},
		{`'50.4.1b' < '50.4.1c' COLLATE VERSION`, "1"},
		{`'20.10a' > '20.102' COLLATE VERSION`, "1"},
		{`'4:2' = '4:2-1' COLLATE VERSION_ARCH`, "1"},
		{`'2-2pre' < '2-2rc' COLLATE VERSION_ARCH`, "1"},
		{`'42.2-1' > '42.1-2' COLLATE VERSION_ARCH`, "1"},
		{`'1:2.0-10' = '1:2.0-10' COLLATE VERSION_DPKG`, "1"},
		{`'22.07.5-2ubuntu1.3' < '22.07.5-2ubuntu1.4' COLLATE VERSION_DPKG`, "1"},
		{`'2:8.2.3995-1ubuntu2.9' > '2:8.2.3995-1ubuntu2.3' COLLATE VERSION_DPKG`, "1"},
		{`'0.5.0~rc1^202' = '0.5.0~rc1^202' COLLATE VERSION_RHEL`, "1"},
		{`'1.1.0~BETA2' < '1.1.0~CR1' COLLATE VERSION_RHEL`, "1"},
		{`'1.0.0' > '1.0.0~rc2' COLLATE VERSION_RHEL`, "1"},
		// math: log is natural, ceil/floor are integers, doubles print with ".0"
		{`sqrt(16)`, "4.0"},
		{`round(sqrt(107372805120), 6)`, "327677.898431"},
		{`round(log(107372805120), 10)`, "25.3995727758"},
		{`round(log10(107372805120), 10)`, "11.0308942992"},
		{`ceil(1.2)`, "2"},
		{`floor(-1.2)`, "-2"},
		{`ceil(7)`, "7"},
		{`power(2, 10)`, "1024.0"},
		{`round(pi(), 5)`, "3.14159"},
		{`round(degrees(pi()), 6)`, "180.0"},
		{`round(sin(30), 12)`, "-0.988031624093"},
		{`sqrt(NULL)`, "NULL"},
		{`0.5`, "0.5"},
		{`1514201750.14937`, "1514201750.14937"},
	}
	for _, tt := range tests {
		rows, err := db.Query(context.Background(), "SELECT "+tt.expr+" AS v")
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		got, ok := rows[0]["v"]
		if !ok {
			got = "NULL"
		}
		if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestFunctions_Errors(t *testing.T) {
	db, err := Open(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	long := "'" + strings.Repeat("a{1}", 70) + "'" // 280 bytes, over osquery's 256
	tests := []struct{ expr, want string }{
		{`sqrt(-1)`, "Numerical argument out of domain"},
		{`log(0)`, "Numerical result out of range"},
		{`split('a', '', 0)`, "Invalid input to split function"},
		{`regex_match('a', '(', 0)`, "Invalid regex"},
		{`regex_match('a', ` + long + `, 0)`, "Invalid regex: too big, max size is 256 bytes"},
		{`version_compare('1', 2)`, "Must provide two version strings to compare."},
		{`version_compare('1', '2', 'GENTOO')`, "The optional third parameter does not match one of: (ARCH, DPKG, RHEL)."},
		{`in_cidr_block('10.0.0.0/8', 5)`, "IP addresss must be a string"},
		{`in_cidr_block('2001:db8::/48', '10.0.0.1')`, "CIDR for IP address v4 cannot be parsed"},
		{`community_id_v1_strict('nope', '1.2.3.4', 80, 2347, 6)`, "Community ID saddr cannot be parsed as IP"},
		{`concat_ws()`, "Missing separator to concat_ws"},
	}
	for _, tt := range tests {
		_, err := db.Query(context.Background(), "SELECT "+tt.expr)
		var se *SQLError
		if !errors.As(err, &se) || se.Msg != tt.want {
			t.Errorf("%s: got %v, want %q", tt.expr, err, tt.want)
		}
	}
}

func TestVersionCompare_Sign(t *testing.T) {
	tests := []struct {
		l, r   string
		flavor string
		want   int
	}{
		{"1.2.3", "1.2.10", "", -1},
		{"2.0", "2.0.1", "", -1},
		{"1:1.0", "2.0", "DPKG", 1},
		{"1.0~rc1", "1.0", "RHEL", -1},
		{"1.0^git1", "1.0", "RHEL", 1},
		{"", "1", "", -1},
		{"7", "", "", 1},
	}
	for _, tt := range tests {
		got := versionCompare(tt.l, tt.r, versionFlavors[tt.flavor])
		if sign(got) != tt.want {
			t.Errorf("versionCompare(%q, %q, %s) = %d, want sign %d", tt.l, tt.r, tt.flavor, got, tt.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
