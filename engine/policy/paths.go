package policy

import (
	"os"
	"path/filepath"
	"runtime"
)

// Environment variables that override the extension's file locations.
const (
	EnvPolicy      = "MICCMAC_POLICY"
	EnvAttestation = "MICCMAC_ATTESTATION"
	EnvInventory   = "MICCMAC_INVENTORY"
)

// Dir is the per-OS directory the extension reads its files from.
func Dir() string {
	if runtime.GOOS == "windows" {
		return `C:\ProgramData\miccmac`
	}
	return "/etc/miccmac"
}

// Locate returns the path of the named file (policy.yaml, attestation.yaml,
// inventory.yaml) for the extension: the environment variable when set,
// otherwise the file in Dir. exists is false when the default file is absent
// (an absent default means "use built-ins"; an absent file named by the
// environment is an error for the caller to report).
func Locate(envVar, file string) (path string, fromEnv, exists bool) {
	if p := os.Getenv(envVar); p != "" {
		_, err := os.Stat(p)
		return p, true, err == nil
	}
	p := filepath.Join(Dir(), file)
	_, err := os.Stat(p)
	return p, false, err == nil
}
