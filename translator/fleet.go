package translator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/tidwall/gjson"
)

// rowsExpected lists what a NAME=FILE file may hold, for error messages.
const rowsExpected = "expected a JSON array of rows ([{...}], as osqueryi --json and Fleet give), one row object, or an osqueryi table (+---+ framed)"

// ReadRows reads bare rows with no query name or host: a JSON array of row
// objects (osqueryi --json, a Fleet detail query answer), a single row object,
// or osqueryi's framed table text (cells trimmed, so every value is a string
// and NULL cannot be told from ""). name is used in messages. Rows are
// returned in file order; empty input gives no rows.
func ReadRows(name string, r io.Reader) ([]queries.Row, error) {
	rows, _, err := readRows(name, r)
	return rows, err
}

// readRows is ReadRows that also returns its warnings (duplicate keys, empty
// input). The rows slice is never nil on success.
func readRows(name string, r io.Reader) ([]queries.Row, []Warning, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: read: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return []queries.Row{}, []Warning{{File: name, Msg: "empty file read as 0 rows (osqueryi prints nothing for an empty table result)"}}, nil
	}
	lines := newLineIndex(data)
	lead := bytes.Index(data, trimmed[:1]) // offset of the first non-blank byte
	switch trimmed[0] {
	case '[', '{':
		return jsonRows(name, data, lines)
	case '+', '|':
		rows, err := parseTable(name, data)
		return rows, nil, err
	}
	line := lines.at(lead)
	return nil, nil, fmt.Errorf("%s: line %d: not JSON (starts %s): %s", name, line, snippet(firstLine(trimmed)), rowsExpected)
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// jsonRows reads a JSON array of row objects or one row object.
func jsonRows(name string, data []byte, lines *lineIndex) ([]queries.Row, []Warning, error) {
	if !gjson.ValidBytes(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		var se *json.SyntaxError
		if errors.As(err, &se) && int(se.Offset) < len(bytes.TrimRight(data, " \t\r\n")) {
			return nil, nil, fmt.Errorf("%s:%d: invalid JSON: %v: %s", name, lines.at(max(int(se.Offset)-1, 0)), se, rowsExpected)
		}
		return nil, nil, fmt.Errorf("%s:%d: invalid JSON (truncated?): %s", name, lines.at(len(data)), rowsExpected)
	}
	doc := gjson.Parse(string(data))
	var warns []Warning
	one := func(v gjson.Result, what string) (queries.Row, error) {
		line := lines.at(v.Index)
		if !v.IsObject() {
			return nil, fmt.Errorf("%s:%d: %s is %s, not a row object: %s", name, line, what, jsonType(v), rowsExpected)
		}
		e := readEnvelope(v)
		switch e.kind() {
		case objLog, objBundle, objBundleList:
			return nil, fmt.Errorf("%s:%d: this is an osquery result log or a miccmac bundle, which names its own queries and hosts: give it without NAME=", name, line)
		}
		var bad error
		v.ForEach(func(k, val gjson.Result) bool {
			if val.IsObject() || val.IsArray() {
				bad = fmt.Errorf("%s:%d: %s column %q is %s, not a value: %s", name, lines.at(val.Index), what, k.Str, jsonType(val), rowsExpected)
				return false
			}
			return true
		})
		if bad != nil {
			return nil, bad
		}
		row, dups := rowFromObject(v, 0)
		for _, d := range dups {
			warns = append(warns, Warning{File: name, Line: line, Msg: fmt.Sprintf("column %q appears twice in one row: the first value is used", d)})
		}
		return row, nil
	}
	rows := []queries.Row{}
	if doc.IsObject() {
		row, err := one(doc, "the object")
		if err != nil {
			return nil, nil, err
		}
		return append(rows, row), warns, nil
	}
	var err error
	i := 0
	doc.ForEach(func(_, el gjson.Result) bool {
		var row queries.Row
		row, err = one(el, fmt.Sprintf("element %d", i))
		i++
		if err != nil {
			return false
		}
		rows = append(rows, row)
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	return rows, warns, nil
}
