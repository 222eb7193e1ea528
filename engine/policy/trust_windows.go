//go:build windows

package policy

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// CheckTrusted refuses a configuration file whose owner is neither the
// Administrators group nor SYSTEM. The directory's ACL must also keep
// ordinary users from writing (see the README, "Policy, attestation and
// inventory files"); this build checks the owner, which Windows lets us read.
func CheckTrusted(path string) error {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("%s: cannot read its owner: %w", path, err)
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return fmt.Errorf("%s: cannot read its owner: %w", path, err)
	}
	if owner.IsWellKnown(windows.WinBuiltinAdministratorsSid) || owner.IsWellKnown(windows.WinLocalSystemSid) {
		return nil
	}
	return fmt.Errorf("%s: owned by %s, not Administrators or SYSTEM; refusing to trust it", path, owner.String())
}
