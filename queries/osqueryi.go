package queries

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"regexp"
	"strings"
)

// OsqueryiRunner runs each query as `osqueryi --json SQL` (the SQL passed as an
// argument, never through a shell).
type OsqueryiRunner struct {
	// Path is the osqueryi binary.
	Path string
	// Args are extra arguments placed before --json (e.g. --extension PATH).
	Args   []string
	Logger *slog.Logger
}

// glogLine matches osquery's log prefix (I0302 10:00:00.000000 12345 file.cpp:1]).
var glogLine = regexp.MustCompile(`^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]]+\] `)

// Query implements Runner. osqueryi exits 0 with "[]" on stdout and the error
// on stderr when a query fails (B14): such output is an error, not zero rows.
func (o OsqueryiRunner) Query(ctx context.Context, sql string) ([]Row, error) {
	args := append(append([]string{}, o.Args...), "--json", sql)
	cmd := exec.CommandContext(ctx, o.Path, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var errs []string
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case glogLine.MatchString(line):
			if o.Logger != nil {
				o.Logger.Debug("osqueryi", "log", line)
			}
		default:
			errs = append(errs, strings.TrimPrefix(line, "Error: "))
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	if runErr != nil {
		return nil, fmt.Errorf("%s: %w", o.Path, runErr)
	}
	return ParseJSONRows(stdout.Bytes())
}

// ParseJSONRows reads osqueryi --json output: an array of objects whose values
// are strings (numbers are kept as their literal text).
func ParseJSONRows(b []byte) ([]Row, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw []map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("osqueryi output is not a JSON array of rows: %w", err)
	}
	rows := make([]Row, 0, len(raw))
	for _, r := range raw {
		row := make(Row, len(r))
		for k, v := range r {
			switch x := v.(type) {
			case nil:
			case string:
				row[k] = x
			case json.Number:
				row[k] = x.String()
			default:
				b, _ := json.Marshal(x)
				row[k] = string(b)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
