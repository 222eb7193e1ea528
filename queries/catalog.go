package queries

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Query is one catalogue entry: a named osquery SQL statement, the platforms it
// runs on and the fact sections it feeds.
type Query struct {
	// Name is unique across the catalogue; result logs carry it as
	// pack/<pack>/<name> or pack_<pack>_<name>.
	Name string `json:"name"`
	SQL  string `json:"sql"`
	// Platforms are osquery platform tokens: linux, darwin, windows.
	Platforms []string `json:"platforms"`
	// Description says what the query gathers and why.
	Description string `json:"description"`
	// Feeds names the fact sections (mapper keys) the rows feed.
	Feeds []string `json:"feeds"`
	// Interval is the suggested schedule interval in seconds for the packs.
	Interval int `json:"interval"`
	// File is the catalogue file the query came from.
	File string `json:"file"`
}

// RunsOn reports whether the query is meant for the given osquery platform.
func (q Query) RunsOn(platform string) bool {
	for _, p := range q.Platforms {
		if p == platform || p == "all" || p == "any" || (p == "posix" && platform != "windows") {
			return true
		}
	}
	return false
}

//go:embed sql/*.sql
var sqlFS embed.FS

var (
	loadOnce sync.Once
	builtin  []Query
	loadErr  error
)

// Builtin returns the built-in catalogue, sorted by name.
func Builtin() ([]Query, error) {
	loadOnce.Do(func() { builtin, loadErr = Load(sqlFS, "sql") })
	return builtin, loadErr
}

// MustBuiltin is Builtin for callers that treat a broken embedded catalogue as a
// programming error (it is checked by the tests).
func MustBuiltin() []Query {
	qs, err := Builtin()
	if err != nil {
		panic(err)
	}
	return qs
}

// ForPlatform returns the queries of qs that run on platform.
func ForPlatform(qs []Query, platform string) []Query {
	var out []Query
	for _, q := range qs {
		if q.RunsOn(platform) {
			out = append(out, q)
		}
	}
	return out
}

// ByName returns the query with that name.
func ByName(qs []Query, name string) (Query, bool) {
	for _, q := range qs {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

// Load reads every *.sql file under dir of fsys. Each file starts with header
// comments, then the SQL:
//
//	-- name: deb_packages
//	-- platforms: linux
//	-- feeds: packages
//	-- interval: 3600
//	-- description: Installed Debian packages with their dpkg status.
//	SELECT name, version, arch, status FROM deb_packages;
func Load(fsys fs.FS, dir string) ([]Query, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("queries: read %s: %w", dir, err)
	}
	var out []Query
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		file := path.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("queries: %s: %w", file, err)
		}
		q, err := Parse(file, string(b))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[q.Name]; dup {
			return nil, fmt.Errorf("queries: %s: name %q already used by %s", file, q.Name, prev)
		}
		seen[q.Name] = file
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Parse reads one catalogue file's text; file is used in error messages.
func Parse(file, text string) (Query, error) {
	q := Query{File: file, Interval: 3600}
	var sql []string
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	inHeader := true
	for sc.Scan() {
		line++
		l := sc.Text()
		t := strings.TrimSpace(l)
		if inHeader && strings.HasPrefix(t, "--") {
			k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(t, "--")), ":")
			if !ok {
				continue // free comment
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "name":
				q.Name = v
			case "platforms":
				q.Platforms = splitList(v)
			case "feeds":
				q.Feeds = splitList(v)
			case "description":
				if q.Description != "" {
					q.Description += " "
				}
				q.Description += v
			case "interval":
				var n int
				if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n <= 0 {
					return q, fmt.Errorf("%s:%d: interval %q is not a positive whole number of seconds", file, line, v)
				}
				q.Interval = n
			default:
				return q, fmt.Errorf("%s:%d: unknown header key %q (want name, platforms, feeds, interval, description)", file, line, strings.TrimSpace(k))
			}
			continue
		}
		if t == "" && inHeader {
			continue
		}
		inHeader = false
		sql = append(sql, l)
	}
	q.SQL = strings.TrimSpace(strings.Join(sql, "\n"))
	switch {
	case q.Name == "":
		return q, fmt.Errorf("%s: missing '-- name:' header", file)
	case len(q.Platforms) == 0:
		return q, fmt.Errorf("%s: missing '-- platforms:' header", file)
	case len(q.Feeds) == 0:
		return q, fmt.Errorf("%s: missing '-- feeds:' header", file)
	case q.SQL == "":
		return q, fmt.Errorf("%s: no SQL after the header", file)
	}
	for _, p := range q.Platforms {
		if p != "linux" && p != "darwin" && p != "windows" {
			return q, fmt.Errorf("%s: platform %q is not one of linux, darwin, windows", file, p)
		}
	}
	return q, nil
}

func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}
