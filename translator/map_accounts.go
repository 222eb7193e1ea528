package translator

import (
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapUsers fills d.Users. On Windows users.uuid is the account SID; it is
// recognised by its S-1- prefix, whatever the detected platform.
func mapUsers(d *facts.Document, f *feed) {
	var items []facts.User
	if f.ok() {
		items = make([]facts.User, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				u := facts.User{
					UID:       f.intOf(p, r, "uid"),
					GID:       f.intOf(p, r, "gid"),
					Username:  text(r, "username"),
					Shell:     text(r, "shell"),
					Directory: text(r, "directory"),
					Type:      text(r, "type"),
				}
				if id := text(r, "uuid"); isSID(id) {
					u.SID = id
				}
				items = append(items, u)
			}
		}
	}
	d.Users = facts.Section[facts.User]{Origin: f.done(), Items: items}
}

func isSID(s string) bool { return strings.HasPrefix(strings.ToUpper(s), "S-1-") }

// mapGroups fills d.Groups; on Windows group_sid is the group's SID.
func mapGroups(d *facts.Document, f *feed) {
	var items []facts.Group
	if f.ok() {
		items = make([]facts.Group, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.Group{
					GID:  f.intOf(p, r, "gid"),
					Name: text(r, "groupname"),
					SID:  text(r, "group_sid"),
				})
			}
		}
	}
	d.Groups = facts.Section[facts.Group]{Origin: f.done(), Items: items}
}

// mapMemberships fills d.Memberships from user_groups.
func mapMemberships(d *facts.Document, f *feed) {
	var items []facts.Membership
	if f.ok() {
		items = make([]facts.Membership, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.Membership{UID: f.intOf(p, r, "uid"), GID: f.intOf(p, r, "gid")})
			}
		}
	}
	d.Memberships = facts.Section[facts.Membership]{Origin: f.done(), Items: items}
}

// mapShadow fills d.Shadow (password status only, never hashes).
func mapShadow(d *facts.Document, f *feed) {
	var items []facts.ShadowEntry
	if f.ok() {
		items = make([]facts.ShadowEntry, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.ShadowEntry{
					Username:       text(r, "username"),
					PasswordStatus: text(r, "password_status"),
					HashAlg:        text(r, "hash_alg"),
					LastChange:     f.intOf(p, r, "last_change"),
				})
			}
		}
	}
	d.Shadow = facts.Section[facts.ShadowEntry]{Origin: f.done(), Items: items}
}

// mapSudoers fills d.Sudoers.
func mapSudoers(d *facts.Document, f *feed) {
	var items []facts.SudoRule
	if f.ok() {
		items = make([]facts.SudoRule, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.SudoRule{
					Source:      text(r, "source"),
					Header:      text(r, "header"),
					RuleDetails: text(r, "rule_details"),
				})
			}
		}
	}
	d.Sudoers = facts.Section[facts.SudoRule]{Origin: f.done(), Items: items}
}
