//go:build !windows

package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// CheckTrusted refuses a configuration file that an ordinary user could have
// written: on Linux and macOS the file and every directory above it must be
// owned by root and not writable by group or others. The extension runs as
// root inside osqueryd and its verdicts gate access, so it must not read a
// file an unprivileged user controls.
func CheckTrusted(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	for p := abs; ; p = filepath.Dir(p) {
		if err := checkOwner(p, p == abs); err != nil {
			return err
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func checkOwner(p string, isFile bool) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: cannot read its owner", p)
	}
	what := "directory"
	if isFile {
		what = "file"
	}
	if st.Uid != 0 {
		return fmt.Errorf("%s: %s is owned by uid %d, not root; refusing to trust it", p, what, st.Uid)
	}
	mode := fi.Mode().Perm()
	// A sticky directory (like /tmp) still lets others create files in it.
	if mode&0o022 != 0 {
		return fmt.Errorf("%s: %s is writable by group or others (mode %04o); refusing to trust it", p, what, mode)
	}
	return nil
}
