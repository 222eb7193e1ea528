package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// CTL-02 Administrative privileges restricted (least privilege).
//
// Every platform collects findings of two weights: FAIL findings (a usable or
// empty root password, an extra uid-0 account, an empty password on a login
// account, an enabled macOS root, an enabled Windows built-in Administrator or
// Guest) and PARTIAL findings (NOPASSWD: ALL for a broad sudoers principal,
// more admin-group members than the policy's max_admins, the Windows built-in
// Administrator whose enabled state osquery could not see). Any FAIL finding -> FAIL; else any PARTIAL finding -> PARTIAL;
// else, when a criterion could not be checked -> UNKNOWN naming it; else PASS.
//
// Admin counts leave out root (uid 0), which is the account being restricted,
// and on macOS the system accounts (uid < 500, names starting with "_").
// Windows: the Administrators group is found by its SID S-1-5-32-544, never
// by name, and its members through user_groups (local accounts only; domain
// principals nested in the group are not visible to osquery). The built-in
// Administrator is the account whose SID ends in -500. osquery's users table
// has no enabled flag; security_profile_info (the local security policy) has
// one for the built-in Administrator and Guest (check_ctl02_winprofile.go):
// enabled -> FAIL (an enabled RID 500 also counts as an admin), disabled -> not
// counted. When that table did not answer and RID 500 is a member of
// Administrators, the verdict is at best PARTIAL ("enabled state not
// visible") and it is not counted among the admins.

func init() { register("CTL-02", checkCTL02) }

// ctl02 accumulates one run's findings.
type ctl02 struct {
	fails, partials []string
	unknown         ctlNotes
	ev              map[string]any
	passNotes       []string
}

func (c *ctl02) fail(format string, a ...any) { c.fails = append(c.fails, fmt.Sprintf(format, a...)) }
func (c *ctl02) partial(format string, a ...any) {
	c.partials = append(c.partials, fmt.Sprintf(format, a...))
}

func (c *ctl02) result() Outcome {
	if len(c.unknown) > 0 {
		c.ev["not_checked"] = []string(c.unknown)
	}
	if len(c.fails) > 0 {
		c.ev["fail_findings"] = c.fails
	}
	if len(c.partials) > 0 {
		c.ev["partial_findings"] = c.partials
	}
	switch {
	case len(c.fails) > 0:
		return outcome(Fail, c.ev, "Privileged access is not restricted: %s.", strings.Join(append(append([]string{}, c.fails...), c.partials...), "; "))
	case len(c.partials) > 0:
		d := strings.Join(c.partials, "; ")
		if len(c.unknown) > 0 {
			d += " (not checked: " + c.unknown.text() + ")"
		}
		return outcome(Partial, c.ev, "Privileged access is partly restricted: %s.", d)
	case len(c.unknown) > 0:
		return outcome(Unknown, c.ev, "No excess privilege was found, but not everything could be checked: %s.", c.unknown.text())
	}
	return outcome(Pass, c.ev, "Privileged access is restricted: %s.", strings.Join(c.passNotes, "; "))
}

func checkCTL02(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	c := &ctl02{ev: map[string]any{"max_admins": effectivePolicy(env).Thresholds.MaxAdmins}}
	switch kind {
	case ctlLinux:
		ctl02Linux(env, c)
	case ctlWindows:
		ctl02Windows(env, c)
	case ctlDarwin:
		ctl02Darwin(env, c)
	}
	return c.result()
}

// ctlNoLoginShells are shells that refuse interactive login. An empty shell
// field means /bin/sh, a login shell.
var ctlNoLoginShells = map[string]bool{
	"/usr/sbin/nologin": true, "/sbin/nologin": true, "/bin/false": true, "/usr/bin/false": true,
	"/bin/sync": true, "/sbin/shutdown": true, "/sbin/halt": true, "/usr/sbin/shutdown": true,
	"/usr/sbin/halt": true, "/bin/nologin": true,
}

func ctl02Linux(env *Env, c *ctl02) {
	f := env.Facts
	ctl02Shadow(env, c)
	if f.Users.Known() {
		var extra []string
		for _, u := range f.Users.Items {
			if u.UID != nil && *u.UID == 0 && u.Username != "root" {
				extra = append(extra, u.Username)
			}
		}
		extra = ctlSortedUnique(extra)
		c.ev["extra_uid0_accounts"] = extra
		if len(extra) > 0 {
			c.fail("extra uid 0 account(s): %s", strings.Join(extra, ", "))
		} else {
			c.passNotes = append(c.passNotes, "no extra uid 0 account")
		}
	} else {
		c.unknown.section("users (extra uid 0)", f.Users.Origin)
	}
	ctl02Sudoers(env, c)
	ctl02AdminGroups(env, c, []string{"sudo", "wheel", "admin"}, nil, func(u facts.User) bool { return true })
}

// ctl02Shadow checks root's password and empty passwords on login accounts.
func ctl02Shadow(env *Env, c *ctl02) {
	f := env.Facts
	if !f.Shadow.Known() {
		c.unknown.section("shadow (root password)", f.Shadow.Origin)
		return
	}
	if len(f.Shadow.Items) == 0 {
		c.unknown.add("shadow returned no rows (reading /etc/shadow needs osquery to run as root)")
		return
	}
	status := map[string]string{}
	for _, s := range f.Shadow.Items {
		if _, seen := status[s.Username]; !seen {
			status[s.Username] = s.PasswordStatus
		}
	}
	switch st, ok := status["root"]; {
	case !ok:
		c.unknown.add("shadow has no entry for root")
	case st == "active":
		c.ev["root_password_status"] = st
		c.fail("root has a usable password")
	case st == "empty":
		c.ev["root_password_status"] = st
		c.fail("root has an empty password")
	case st == "locked" || st == "not_set":
		c.ev["root_password_status"] = st
		c.passNotes = append(c.passNotes, "root password "+st)
	default:
		c.ev["root_password_status"] = st
		c.unknown.add("root password status %q is not one osquery documents", st)
	}
	if !f.Users.Known() {
		c.unknown.section("users (login shells of empty-password accounts)", f.Users.Origin)
		return
	}
	shell := map[string]string{}
	for _, u := range f.Users.Items {
		if _, seen := shell[u.Username]; !seen {
			shell[u.Username] = u.Shell
		}
	}
	var empty []string
	for name, st := range status {
		if sh, ok := shell[name]; ok && st == "empty" && name != "root" && !ctlNoLoginShells[sh] {
			empty = append(empty, name)
		}
	}
	sort.Strings(empty)
	c.ev["empty_password_login_accounts"] = ctlNonNil(empty)
	if len(empty) > 0 {
		c.fail("empty password on login account(s): %s", strings.Join(empty, ", "))
	}
}

// ctlNonNil keeps an empty list (not null) in the evidence.
func ctlNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ctl02Sudoers grades NOPASSWD: ALL grants.
func ctl02Sudoers(env *Env, c *ctl02) {
	sd := env.Facts.Sudoers
	if !sd.Known() {
		c.unknown.section("sudoers", sd.Origin)
		return
	}
	broad, single := ctlSudoNopasswdAll(sd.Items)
	c.ev["nopasswd_all_broad"] = broad
	if len(single) > 0 {
		// Listed for the reader; single accounts are not what the check grades.
		c.ev["nopasswd_all_accounts"] = single
	}
	if len(broad) > 0 {
		c.partial("sudoers grants NOPASSWD: ALL to %s", strings.Join(ctlGrantPrincipals(broad), ", "))
	} else {
		c.passNotes = append(c.passNotes, "no NOPASSWD: ALL for a group")
	}
}

// ctl02AdminGroups counts the members of the admin groups (by name, or by
// gid when gids is given) against max_admins. count decides which members
// are counted; uid 0 never is.
func ctl02AdminGroups(env *Env, c *ctl02, names []string, gids []int64, count func(facts.User) bool) {
	f := env.Facts
	want := map[int64]string{}
	for _, g := range gids {
		want[g] = fmt.Sprintf("gid %d", g)
	}
	if len(names) > 0 {
		if !f.Groups.Known() {
			c.unknown.section("groups (admin groups)", f.Groups.Origin)
			return
		}
		for _, g := range f.Groups.Items {
			for _, n := range names {
				if g.Name == n && g.GID != nil {
					want[*g.GID] = n
				}
			}
		}
	}
	if !f.Memberships.Known() {
		c.unknown.section("user_groups (admin group members)", f.Memberships.Origin)
		return
	}
	var groupNames []string
	for _, n := range want {
		groupNames = append(groupNames, n)
	}
	c.ev["admin_groups"] = ctlSortedUnique(groupNames)
	members := map[int64]bool{}
	for _, m := range f.Memberships.Items {
		if m.UID != nil && m.GID != nil && want[*m.GID] != "" {
			members[*m.UID] = true
		}
	}
	for _, u := range f.Users.Items {
		if u.UID != nil && u.GID != nil && want[*u.GID] != "" {
			members[*u.UID] = true
		}
	}
	var admins []string
	for uid := range members {
		if uid == 0 {
			continue
		}
		name := fmt.Sprintf("uid %d", uid)
		if u, found := ctlUserByUID(f.Users.Items, uid); found {
			if !count(u) {
				continue
			}
			name = u.Username
		}
		admins = append(admins, name)
	}
	admins = ctlSortedUnique(admins)
	ctl02AdminCount(env, c, admins)
}

// ctl02AdminCount compares the admin list with max_admins.
func ctl02AdminCount(env *Env, c *ctl02, admins []string) {
	max := effectivePolicy(env).Thresholds.MaxAdmins
	c.ev["admins"] = ctlNonNil(admins)
	c.ev["admin_count"] = len(admins)
	if len(admins) > max {
		c.partial("%d administrators (%s), policy allows %d", len(admins), strings.Join(admins, ", "), max)
	} else {
		c.passNotes = append(c.passNotes, fmt.Sprintf("%d administrator(s), policy allows %d", len(admins), max))
	}
}

// ctlUserByUID finds a user by uid, preferring local accounts (Windows lists
// domain profiles too, whose RIDs may repeat a local one).
func ctlUserByUID(users []facts.User, uid int64) (facts.User, bool) {
	var found *facts.User
	for i := range users {
		u := users[i]
		if u.UID == nil || *u.UID != uid {
			continue
		}
		if found == nil || u.Type == "local" && found.Type != "local" {
			found = &users[i]
		}
	}
	if found == nil {
		return facts.User{}, false
	}
	return *found, true
}
