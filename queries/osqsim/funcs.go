package osqsim

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base64"
	"encoding/hex"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// registerFunctions adds osquery 5.23.1's SQL additions (osquery/sql/sqlite_*.cpp)
// to d, overriding SQLite built-ins of the same name where osquery does
// (log is the natural logarithm, ceil/floor return integers, concat and
// concat_ws follow osquery's NULL handling).
//
// Not provided: the file-system functions (find_file_path_in_cmd,
// is_path_deterministic, parent_directory) and carve, which read the host.
// Regular expressions use Go's RE2 syntax where osquery uses std::regex
// (ECMAScript): look-arounds and back-references fail with "Invalid regex".
func registerFunctions(d *sqlite.Driver) {
	fns := map[string]struct {
		n int32
		f func(args []driver.Value) (driver.Value, error)
	}{
		// strings (sqlite_string.cpp)
		"split":       {3, fnSplit},
		"regex_split": {3, fnRegexSplit},
		"regex_match": {3, fnRegexMatch},
		"inet_aton":   {1, fnInetAton},
		"concat":      {-1, func(a []driver.Value) (driver.Value, error) { return concat("", a), nil }},
		"concat_ws":   {-1, fnConcatWS},
		// encoding (sqlite_encoding.cpp)
		"to_base64":             {1, fnToBase64},
		"from_base64":           {1, fnFromBase64},
		"conditional_to_base64": {1, fnConditionalToBase64},
		// hashing (sqlite_hashing.cpp)
		"md5":                    {1, hashFunc(func(b []byte) []byte { s := md5.Sum(b); return s[:] })},
		"sha1":                   {1, hashFunc(func(b []byte) []byte { s := sha1.Sum(b); return s[:] })},
		"sha256":                 {1, hashFunc(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] })},
		"community_id_v1":        {-1, communityIDFunc(false)},
		"community_id_v1_strict": {-1, communityIDFunc(true)},
		// network (sqlite_network.cpp)
		"in_cidr_block": {2, fnInCIDRBlock},
		// versions (sqlite_version.cpp)
		"version_compare": {-1, fnVersionCompare},
		// math (sqlite_math.cpp)
		"ceil":  {1, castedFunc(math.Ceil)},
		"floor": {1, castedFunc(math.Floor)},
		"power": {2, fnPower},
		"pi":    {0, func([]driver.Value) (driver.Value, error) { return math.Pi, nil }},
	}
	for name, f := range mathFuncs {
		fns[name] = struct {
			n int32
			f func(args []driver.Value) (driver.Value, error)
		}{1, doubleFunc(f)}
	}
	for name, fn := range fns {
		f := fn.f
		d.MustRegisterDeterministicScalarFunction(name, fn.n,
			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) { return f(args) })
	}
	for name, c := range versionCollations {
		cmp := c
		if err := d.RegisterCollationUtf8(name, func(l, r string) int { return versionCompare(l, r, cmp) }); err != nil {
			panic(err)
		}
	}
}

// text is sqlite3_value_text: NULL is false, numbers are rendered as SQLite does.
func text(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case []byte:
		return string(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return sqliteFloatText(x), true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	}
	return "", false
}

// sqliteFloatText renders a REAL as SQLite's "%!.15g" does (1.0, 0.5, 1.0e+20).
func sqliteFloatText(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	s := strconv.FormatFloat(f, 'g', 15, 64)
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if hasExp {
		return mant + "e" + exp
	}
	return mant
}

// number is sqlite3_value_double: text reads its leading number, else 0.
func number(v driver.Value) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case string:
		return leadingNumber(x)
	case []byte:
		return leadingNumber(string(x))
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

// integer is sqlite3_value_int64.
func integer(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case string, []byte:
		return int64(number(x))
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

var leadingNumberRE = regexp.MustCompile(`^[ \t\n\v\f\r]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`)

func leadingNumber(s string) float64 {
	m := strings.TrimLeft(leadingNumberRE.FindString(s), cSpace)
	f, _ := strconv.ParseFloat(m, 64)
	return f
}

// fnSplit is split(str, tokens, index): split on any byte of tokens, drop
// empty parts, trim whitespace, return part index or NULL.
func fnSplit(a []driver.Value) (driver.Value, error) {
	if a[0] == nil || a[1] == nil || a[2] == nil {
		return nil, nil
	}
	in, _ := text(a[0])
	tokens, _ := text(a[1])
	if tokens == "" {
		return nil, osqueryError("Invalid input to split function")
	}
	var parts []string
	start := 0
	for i := 0; i <= len(in); i++ {
		if i == len(in) || strings.IndexByte(tokens, in[i]) >= 0 {
			if i > start {
				parts = append(parts, strings.Trim(in[start:i], cSpace))
			}
			start = i + 1
		}
	}
	return pick(parts, integer(a[2])), nil
}

func pick(parts []string, i int64) driver.Value {
	if i < 0 || i >= int64(len(parts)) {
		return nil
	}
	return parts[i]
}

// regexMaxSize is osquery's --regex_max_size default.
const regexMaxSize = 256

var regexCache sync.Map // pattern -> *regexp.Regexp

func compileRegex(p string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, osqueryError("Invalid regex")
	}
	regexCache.Store(p, re)
	return re, nil
}

// fnRegexSplit is regex_split(str, pattern, index): the parts between
// matches (a trailing empty part is dropped, as std::sregex_token_iterator does).
func fnRegexSplit(a []driver.Value) (driver.Value, error) {
	if a[0] == nil || a[1] == nil || a[2] == nil {
		return nil, nil
	}
	in, _ := text(a[0])
	p, _ := text(a[1])
	if p == "" {
		return nil, osqueryError("Invalid input to split function")
	}
	if len(p) > regexMaxSize {
		return nil, osqueryError("Invalid regex")
	}
	re, err := compileRegex(p)
	if err != nil {
		return nil, err
	}
	var parts []string
	prev := 0
	for _, loc := range re.FindAllStringIndex(in, -1) {
		parts = append(parts, in[prev:loc[0]])
		prev = loc[1]
	}
	if prev < len(in) {
		parts = append(parts, in[prev:])
	}
	return pick(parts, integer(a[2])), nil
}

// fnRegexMatch is regex_match(str, pattern, index): group index of the first
// match (0 is the whole match); NULL when nothing matches or there is no such group.
func fnRegexMatch(a []driver.Value) (driver.Value, error) {
	if a[0] == nil || a[1] == nil || a[2] == nil {
		return nil, nil
	}
	in, _ := text(a[0])
	p, _ := text(a[1])
	if len(p) > regexMaxSize {
		return nil, osqueryError("Invalid regex: too big, max size is " + strconv.Itoa(regexMaxSize) + " bytes")
	}
	re, err := compileRegex(p)
	if err != nil {
		return nil, err
	}
	m := re.FindStringSubmatchIndex(in)
	i := integer(a[2])
	if m == nil || i < 0 || 2*i+1 >= int64(len(m)) {
		return nil, nil
	}
	if m[2*i] < 0 {
		return "", nil // a group that took no part in the match is empty, not NULL
	}
	return in[m[2*i]:m[2*i+1]], nil
}

// concat joins the non-NULL values; osquery appends sep after every non-NULL
// value that is not in the last position, so concat_ws('-', 'a', NULL) is "a-".
func concat(sep string, a []driver.Value) driver.Value {
	if len(a) == 0 {
		return nil
	}
	var b strings.Builder
	for i, v := range a {
		s, ok := text(v)
		if !ok {
			continue
		}
		b.WriteString(s)
		if sep != "" && i+1 < len(a) {
			b.WriteString(sep)
		}
	}
	return b.String()
}

func fnConcatWS(a []driver.Value) (driver.Value, error) {
	if len(a) == 0 {
		return nil, osqueryError("Missing separator to concat_ws")
	}
	sep, _ := text(a[0])
	return concat(sep, a[1:]), nil
}

func fnToBase64(a []driver.Value) (driver.Value, error) {
	s, ok := text(a[0])
	if !ok {
		return nil, nil
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// fnFromBase64 decodes; text that is not base64 gives "", as in osquery.
func fnFromBase64(a []driver.Value) (driver.Value, error) {
	s, ok := text(a[0])
	if !ok {
		return nil, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return string(b), nil
	}
	if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
		return string(b), nil
	}
	return "", nil
}

// fnConditionalToBase64 encodes only text with a byte outside 0x20..0x7e.
func fnConditionalToBase64(a []driver.Value) (driver.Value, error) {
	s, ok := text(a[0])
	if !ok {
		return nil, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x1f || s[i] >= 0x7f {
			return base64.StdEncoding.EncodeToString([]byte(s)), nil
		}
	}
	return s, nil
}

func hashFunc(sum func([]byte) []byte) func([]driver.Value) (driver.Value, error) {
	return func(a []driver.Value) (driver.Value, error) {
		s, ok := text(a[0])
		if !ok {
			return nil, nil
		}
		if i := strings.IndexByte(s, 0); i >= 0 {
			s = s[:i] // osquery hashes the C string
		}
		return hex.EncodeToString(sum([]byte(s))), nil
	}
}

// osqueryError is an error a SQL function reports in osquery's exact words.
type osqueryError string

func (e osqueryError) Error() string { return string(e) }
