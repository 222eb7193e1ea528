package engine

import (
	"slices"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// macOS part of CTL-02: admin group (gid 80) size, root account disabled.

const (
	ctlMacAdminGID = 80
	ctlQMacRoot    = "x_ctl_macos_root"
	ctlMacRootPath = "/var/db/dslocal/nodes/Default/users/root.plist"
)

func ctl02Darwin(env *Env, c *ctl02) {
	ctl02MacRoot(env, c)
	ctl02Sudoers(env, c)
	ctl02AdminGroups(env, c, nil, []int64{ctlMacAdminGID}, func(u facts.User) bool {
		return !strings.HasPrefix(u.Username, "_") && (u.UID == nil || *u.UID >= 500)
	})
}

// ctl02MacRoot reads root's directory record: a ShadowHash authentication
// authority (or the "********" shadow placeholder) means root has a password
// and is enabled; "*" with no ShadowHash authority (or a DisabledUser
// authority) means it is disabled.
func ctl02MacRoot(env *Env, c *ctl02) {
	if ok, why := ctlQueryOK(env, ctlQMacRoot, env.Facts.Plist.Origin); !ok {
		c.unknown.add("root account state: %s", why)
		return
	}
	var passwd []string
	shadowHash, disabledUser, seen := false, false, false
	for _, p := range env.Facts.Plist.Items {
		if p.Path != ctlMacRootPath {
			continue
		}
		seen = true
		switch p.Key {
		case "passwd":
			passwd = append(passwd, p.Value)
		case "authentication_authority":
			if strings.Contains(p.Value, ";ShadowHash;") {
				shadowHash = true
			}
			if strings.Contains(p.Value, ";DisabledUser;") {
				disabledUser = true
			}
		}
	}
	switch {
	case !seen:
		c.unknown.add("root account state: root.plist was not readable (osquery must run as root)")
	case disabledUser:
		c.ev["root_account"] = "disabled (DisabledUser authority)"
		c.passNotes = append(c.passNotes, "root disabled")
	case shadowHash || slices.Contains(passwd, "********"):
		c.ev["root_account"] = "enabled (has a password)"
		c.fail("the root account is enabled")
	case slices.Contains(passwd, "*"):
		c.ev["root_account"] = "disabled (no password)"
		c.passNotes = append(c.passNotes, "root disabled")
	default:
		c.unknown.add("root account state: root.plist shows neither a password nor a disabled marker")
	}
}
