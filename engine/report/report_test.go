package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine"
)

// hostile is device-controlled text: a terminal escape, HTML, a pipe and a newline.
const hostile = "evil | col\n## <img src=x onerror=alert(1)> \x1b[2J"

func hostileAssessment() *engine.Assessment {
	return &engine.Assessment{Host: "h\x1b]0;x\x07", Tier: engine.TierUnassessed, Counts: map[engine.Status]int{engine.Fail: 1},
		Properties: []engine.PropertyResult{{Key: "current", Letter: "C", Title: "Current", Checks: []engine.CheckResult{
			{CheckID: "CUR-04", Title: "Certificates", Status: engine.Fail, Detail: "expired: " + hostile}}}}}
}

func TestRenderEscapesDeviceText(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := Render(&b, format, []*engine.Assessment{hostileAssessment()}, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s: control characters reach the output: %q", format, out)
		}
		if format == "markdown" && (strings.Contains(out, "<img") || !strings.Contains(out, `evil \| col`)) {
			t.Errorf("markdown: HTML or pipe not escaped: %q", out)
		}
		if strings.Contains(out, "\n## <") || strings.Contains(out, "\n## &lt;") {
			t.Errorf("%s: a newline in a detail starts a new line: %q", format, out)
		}
	}
}

func TestWriteFileAtomicKeepsMode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.txt")
	if err := WriteFileAtomic(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v", fi.Mode().Perm())
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	b, _ := os.ReadFile(p)
	if fi.Mode().Perm() != 0o600 || string(b) != "two" {
		t.Errorf("replaced file: mode %v, content %q", fi.Mode().Perm(), b)
	}
	if err := WriteFileAtomic(filepath.Join(p, "sub", "x"), []byte("x")); err == nil {
		t.Error("writing under a file succeeded")
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Error("a failed write changed the report")
	}
}
