package engine

import (
	"fmt"
	"sort"
	"strings"
)

// Windows part of CTL-02: Administrators by SID, built-in Administrator by RID.

const (
	ctlSIDAdministrators = "S-1-5-32-544"
	ctlSIDDomainPrefix   = "S-1-5-21-"
	ctlRIDBuiltinAdmin   = "-500"
)

// ctlBuiltinAdmin reports whether a SID is a machine or domain RID-500 account.
func ctlBuiltinAdmin(sid string) bool {
	s := strings.ToUpper(strings.TrimSpace(sid))
	return strings.HasPrefix(s, ctlSIDDomainPrefix) && strings.HasSuffix(s, ctlRIDBuiltinAdmin)
}

func ctl02Windows(env *Env, c *ctl02) {
	f := env.Facts
	b := ctl02WinProfile(env, c)
	if !f.Groups.Known() {
		c.unknown.section("groups (Administrators, S-1-5-32-544)", f.Groups.Origin)
		return
	}
	var gid *int64
	name := ""
	for _, g := range f.Groups.Items {
		if strings.EqualFold(strings.TrimSpace(g.SID), ctlSIDAdministrators) && g.GID != nil {
			gid, name = g.GID, g.Name
			break
		}
	}
	if gid == nil {
		c.unknown.add("no group with SID %s among %d groups (groups.group_sid not collected?)", ctlSIDAdministrators, len(f.Groups.Items))
		return
	}
	c.ev["administrators_group"] = map[string]any{"name": name, "sid": ctlSIDAdministrators, "gid": *gid}
	if !f.Memberships.Known() {
		c.unknown.section("user_groups (Administrators members)", f.Memberships.Origin)
		return
	}
	if !f.Users.Known() {
		c.unknown.section("users (member names and SIDs)", f.Users.Origin)
		return
	}
	var admins, members []string
	builtin := ""
	for _, m := range f.Memberships.Items {
		if m.UID == nil || m.GID == nil || *m.GID != *gid {
			continue
		}
		u, found := ctlUserByUID(f.Users.Items, *m.UID)
		if !found {
			admins = append(admins, fmt.Sprintf("uid %d", *m.UID))
			continue
		}
		members = append(members, u.Username)
		if ctlBuiltinAdmin(u.SID) {
			builtin = u.Username
			c.ev["builtin_administrator"] = ctlBuiltinAdminEvidence(u, b)
			if b.admin != nil && *b.admin {
				// Enabled: already a FAIL finding, and an enabled administrator.
				admins = append(admins, u.Username)
			}
			continue
		}
		admins = append(admins, u.Username)
	}
	sort.Strings(members)
	c.ev["administrators_members"] = ctlNonNil(ctlSortedUnique(members))
	c.ev["note"] = "only local accounts are listed by user_groups; domain principals nested in Administrators are not visible"
	if builtin != "" && b.admin == nil {
		c.partial("the built-in Administrator (RID 500, %q) is a member of Administrators and osquery cannot see whether it is disabled", builtin)
	}
	ctl02AdminCount(env, c, ctlSortedUnique(admins))
}
