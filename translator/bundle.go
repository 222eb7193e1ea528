package translator

import (
	"fmt"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/tidwall/gjson"
)

// A capture bundle is miccmac-osq's own file for one host's query results,
// written by WriteBundle and read back by Read (full description: BUNDLE.md):
//
//	{
//	  "format": "miccmac-bundle",
//	  "version": 1,
//	  "host": "web-01",
//	  "collected_at": 1772445600,
//	  "platform": "linux",
//	  "decorations": {"host_uuid": "4C4C4544-..."},
//	  "results": {
//	    "os_version": {"status": "ok", "rows": [{"name": "Ubuntu", "major": "24"}]},
//	    "shadow": {"status": "error", "error": "no such table: shadow"},
//	    "patches": {"status": "not_run"}
//	  }
//	}
//
// format, version (1), host and results are required. collected_at is Unix
// seconds (a JSON number or a string of digits, or an RFC 3339 string); 0 or
// absent means unknown. platform is osquery's platform token. A result is
// {"rows": [...]} (ran, possibly 0 rows) or {"error": "..."} (ran and failed);
// "status" may say so explicitly and is required for "not_run". A result may
// carry "source" (where its rows came from) and "warnings" (strings). Row
// values are strings; JSON numbers and true/false are accepted and keep their
// literal text; null or a missing key is NULL. Several hosts go in one file as
// {"format": "miccmac-bundle", "version": 1, "hosts": [bundle, ...]}, or as
// one bundle per line. Unknown keys are ignored.
const (
	bundleFormat  = "miccmac-bundle"
	bundleVersion = 1
)

// PlatformDecoration is the decoration key under which a bundle's "platform"
// is kept in HostResults.Decorations (HostResults has no platform field).
const PlatformDecoration = "miccmac.platform"

// Platform returns the osquery platform token recorded for h by a bundle, or "".
func Platform(h *queries.HostResults) string {
	if h == nil {
		return ""
	}
	return h.Decorations[PlatformDecoration]
}

// bundleCtx locates bundle fields for error messages.
type bundleCtx struct {
	fr   *fileReader
	line int
	at   func(int) int // offset -> line in a document; nil for one-line bundles
	path string        // "hosts[2]." when inside a list
}

func (c *bundleCtx) lineOf(v gjson.Result) int {
	if c.at != nil && v.Index > 0 {
		return c.at(v.Index)
	}
	return c.line
}

func (c *bundleCtx) errorf(v gjson.Result, field, format string, args ...any) error {
	return c.fr.errorf(c.lineOf(v), "bundle %s: %s", strings.TrimSuffix(c.path+field, "."), fmt.Sprintf(format, args...))
}

// bundleList reads {"hosts": [bundle, ...]}.
func (fr *fileReader) bundleList(v gjson.Result, e *envelope, line int, at func(int) int) error {
	if at == nil {
		v = gjson.Parse(strings.Clone(v.Raw))
		ev := readEnvelope(v)
		e = &ev
	}
	c := &bundleCtx{fr: fr, line: line, at: at}
	if e.format.Exists() {
		if err := c.checkVersion(v); err != nil {
			return err
		}
	}
	i := 0
	var err error
	e.hosts.ForEach(func(_, h gjson.Result) bool {
		hc := &bundleCtx{fr: fr, line: c.lineOf(h), at: at, path: fmt.Sprintf("hosts[%d].", i)}
		i++
		if !h.IsObject() {
			err = hc.errorf(h, "", "is %s, expected a bundle object", describe(h))
			return false
		}
		err = hc.read(h, e.format.Exists())
		return err == nil
	})
	if err == nil && i == 0 {
		fr.warn(line, "bundle list has no hosts")
	}
	return err
}

// bundle reads one bundle object found at line.
func (fr *fileReader) bundle(v gjson.Result, line int, at func(int) int) error {
	if at == nil {
		v = gjson.Parse(strings.Clone(v.Raw)) // the line buffer is reused
	}
	c := &bundleCtx{fr: fr, line: line, at: at}
	return c.read(v, false)
}

func (c *bundleCtx) checkVersion(v gjson.Result) error {
	f := v.Get("format")
	if f.Type != gjson.String || f.Str != bundleFormat {
		return c.errorf(f, "format", "is %s, expected %q", describe(f), bundleFormat)
	}
	ver := v.Get("version")
	n, ok := intField(ver)
	if !ok {
		return c.errorf(ver, "version", "is %s, expected %d", describe(ver), bundleVersion)
	}
	if n != bundleVersion {
		return c.errorf(ver, "version", "%d is not supported (this build reads version %d)", n, bundleVersion)
	}
	return nil
}

// read reads one bundle; inList says format/version were checked on the list
// and may be omitted here.
func (c *bundleCtx) read(v gjson.Result, inList bool) error {
	if !inList || v.Get("format").Exists() {
		if err := c.checkVersion(v); err != nil {
			return err
		}
	}
	hv := v.Get("host")
	if hv.Type != gjson.String || strings.TrimSpace(hv.Str) == "" {
		return c.errorf(hv, "host", "is %s, expected the host's name", describe(hv))
	}
	host := hv.Str
	var collected int64
	if ca := v.Get("collected_at"); ca.Exists() && ca.Type != gjson.Null {
		t, err := bundleTime(ca)
		if err != nil {
			return c.errorf(ca, "collected_at", "%v", err)
		}
		collected = t
	}
	hi := c.fr.host(host)
	if collected > hi.collected {
		hi.collected = collected
	}
	if d := v.Get("decorations"); d.Exists() && d.Type != gjson.Null {
		if !d.IsObject() {
			return c.errorf(d, "decorations", "is %s, expected an object of strings", describe(d))
		}
		var err error
		d.ForEach(func(k, val gjson.Result) bool {
			if val.IsObject() || val.IsArray() {
				err = c.errorf(val, "decorations."+k.Str, "is %s, expected a string", describe(val))
				return false
			}
			if text, ok := cellText(val); ok {
				if hi.decorations == nil {
					hi.decorations = map[string]string{}
				}
				hi.decorations[k.Str] = text
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	if p := v.Get("platform"); p.Exists() && p.Type != gjson.Null {
		if p.Type != gjson.String {
			return c.errorf(p, "platform", "is %s, expected an osquery platform token such as \"linux\"", describe(p))
		}
		if p.Str != "" {
			if hi.decorations == nil {
				hi.decorations = map[string]string{}
			}
			hi.decorations[PlatformDecoration] = p.Str
		}
	}
	res := v.Get("results")
	if !res.IsObject() {
		return c.errorf(res, "results", "is %s, expected an object of query name -> {\"rows\": [...]} or {\"error\": \"...\"}", describe(res))
	}
	seen := map[string]bool{}
	var err error
	res.ForEach(func(k, r gjson.Result) bool {
		if seen[k.Str] {
			c.fr.warn(c.lineOf(r), fmt.Sprintf("bundle %sresults: query %q appears twice: the first is used", c.path, k.Str))
			return true
		}
		seen[k.Str] = true
		err = c.result(host, k.Str, r, collected)
		return err == nil
	})
	return err
}

// result reads one query's entry of a bundle.
func (c *bundleCtx) result(host, query string, r gjson.Result, collected int64) error {
	field := "results." + query
	if !r.IsObject() {
		return c.errorf(r, field, "is %s, expected {\"rows\": [...]} or {\"error\": \"...\"}", describe(r))
	}
	status := queries.Status("")
	if st := r.Get("status"); st.Exists() {
		switch s := queries.Status(st.Str); {
		case st.Type == gjson.String && (s == queries.StatusOK || s == queries.StatusError || s == queries.StatusNotRun):
			status = s
		default:
			return c.errorf(st, field+".status", "is %s, expected \"ok\", \"error\" or \"not_run\"", describe(st))
		}
	}
	rowsV, errV := r.Get("rows"), r.Get("error")
	if errV.Exists() && errV.Type != gjson.String {
		return c.errorf(errV, field+".error", "is %s, expected the error message", describe(errV))
	}
	if status == "" {
		switch {
		case errV.Exists():
			status = queries.StatusError
		case rowsV.Exists():
			status = queries.StatusOK
		default:
			return c.errorf(r, field, "has neither \"rows\" nor \"error\"")
		}
	}
	switch {
	case status == queries.StatusOK && !rowsV.Exists():
		return c.errorf(r, field, "status is ok but \"rows\" is missing (use [] for no rows)")
	case status == queries.StatusError && strings.TrimSpace(errV.Str) == "":
		return c.errorf(r, field, "status is error but \"error\" is missing or empty")
	}
	var rows []queries.Row
	if rowsV.Exists() && rowsV.Type != gjson.Null {
		if !rowsV.IsArray() {
			return c.errorf(rowsV, field+".rows", "is %s, expected an array of row objects", describe(rowsV))
		}
		rows = []queries.Row{}
		var err error
		i := 0
		rowsV.ForEach(func(_, el gjson.Result) bool {
			at := fmt.Sprintf("%s.rows[%d]", field, i)
			i++
			if !el.IsObject() {
				err = c.errorf(el, at, "is %s, expected a row object", describe(el))
				return false
			}
			el.ForEach(func(k, val gjson.Result) bool {
				if val.IsObject() || val.IsArray() {
					err = c.errorf(val, at+"."+k.Str, "is %s, expected a string, number or null", describe(val))
					return false
				}
				return true
			})
			if err != nil {
				return false
			}
			row, dups := rowFromObject(el, 0)
			for _, d := range dups {
				c.fr.warn(c.lineOf(el), fmt.Sprintf("bundle %s%s: column %q appears twice: the first value is used", c.path, at, d))
			}
			rows = append(rows, row)
			return true
		})
		if err != nil {
			return err
		}
	}
	source := fmt.Sprintf("%s:%d", c.fr.name, c.lineOf(r))
	if sv := r.Get("source"); sv.Exists() && sv.Type != gjson.Null {
		if sv.Type != gjson.String {
			return c.errorf(sv, field+".source", "is %s, expected a string", describe(sv))
		}
		if sv.Str != "" {
			source = sv.Str
		}
	}
	s := c.fr.segment(host, query)
	c.fr.hostLast[s.host] = s
	s.whole(status, rows, errV.Str, collected, source)
	if w := r.Get("warnings"); w.Exists() && w.Type != gjson.Null {
		if !w.IsArray() {
			return c.errorf(w, field+".warnings", "is %s, expected an array of strings", describe(w))
		}
		var err error
		w.ForEach(func(_, m gjson.Result) bool {
			if m.Type != gjson.String {
				err = c.errorf(m, field+".warnings", "holds %s, expected strings", describe(m))
				return false
			}
			s.note(m.Str)
			return true
		})
		return err
	}
	return nil
}

// bundleTime reads collected_at: Unix seconds as a number or digits, or RFC 3339.
func bundleTime(v gjson.Result) (int64, error) {
	if n, ok := intField(v); ok {
		return n, nil
	}
	if v.Type == gjson.String {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(v.Str)); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, fmt.Errorf("is %s, expected Unix seconds or an RFC 3339 time", describe(v))
}

// describe names a JSON value for a message: its type, and short scalars too.
func describe(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return "the string " + snippet(v.Str)
	case gjson.Number:
		return "the number " + v.Raw
	case gjson.True, gjson.False:
		return v.Raw
	}
	if v.Exists() && v.Type == gjson.Null {
		return "null"
	}
	return jsonType(v)
}
