package engine

import (
	"regexp"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// ctlBroadPrincipals are sudoers user specifications that grant to many
// accounts at once: the admin groups, every user, and the all-users groups.
var ctlBroadPrincipals = map[string]bool{
	"%sudo": true, "%wheel": true, "%admin": true, "ALL": true,
	"%staff": true, "%users": true, "%everyone": true,
}

// ctlSudoGrant is a sudoers rule that lets its principals run any command
// without a password.
type ctlSudoGrant struct {
	Principal string `json:"principal"`
	Rule      string `json:"rule"`
	Source    string `json:"source,omitempty"`
}

// ctlSudoTag matches one sudoers command tag ("NOPASSWD:", "SETENV:") at the
// start of a command.
var ctlSudoTag = regexp.MustCompile(`^([A-Z_]+):\s*`)

// ctlNopasswdAll reports whether a sudoers rule's details (what follows the
// user specification, e.g. "ALL=(ALL:ALL) NOPASSWD: ALL") grant the command
// ALL under the NOPASSWD tag. Tags carry over to later commands of the list
// until changed, as sudoers defines.
func ctlNopasswdAll(details string) bool {
	d := details
	if i := strings.IndexByte(d, '='); i >= 0 {
		d = d[i+1:]
	}
	nopasswd := false
	for _, cmd := range strings.Split(d, ",") {
		c := strings.TrimSpace(cmd)
		for {
			if strings.HasPrefix(c, "(") { // run-as list
				if j := strings.IndexByte(c, ')'); j >= 0 {
					c = strings.TrimSpace(c[j+1:])
					continue
				}
			}
			m := ctlSudoTag.FindStringSubmatch(c)
			if m == nil {
				break
			}
			switch m[1] {
			case "NOPASSWD":
				nopasswd = true
			case "PASSWD":
				nopasswd = false
			}
			c = c[len(m[0]):]
		}
		if nopasswd && c == "ALL" {
			return true
		}
	}
	return false
}

// ctlSudoNopasswdAll splits the NOPASSWD-ALL grants of the sudoers rules into
// those for broad principals (groups, ALL) and those for single accounts.
func ctlSudoNopasswdAll(rules []facts.SudoRule) (broad, single []ctlSudoGrant) {
	broad = []ctlSudoGrant{}
	for _, r := range rules {
		h := strings.TrimSpace(r.Header)
		if h == "" || strings.HasPrefix(h, "#") || strings.HasPrefix(h, "@") || h == "Defaults" ||
			strings.HasPrefix(h, "Defaults") || strings.HasSuffix(h, "_Alias") {
			continue
		}
		if !ctlNopasswdAll(r.RuleDetails) {
			continue
		}
		for _, p := range strings.Split(h, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			g := ctlSudoGrant{Principal: p, Rule: h + " " + strings.TrimSpace(r.RuleDetails), Source: r.Source}
			if ctlBroadPrincipals[p] {
				broad = append(broad, g)
			} else {
				single = append(single, g)
			}
		}
	}
	less := func(s []ctlSudoGrant) func(i, j int) bool {
		return func(i, j int) bool {
			if s[i].Principal != s[j].Principal {
				return s[i].Principal < s[j].Principal
			}
			return s[i].Rule < s[j].Rule
		}
	}
	sort.Slice(broad, less(broad))
	sort.Slice(single, less(single))
	return broad, single
}

// ctlGrantPrincipals lists the principals of grants, sorted and unique.
func ctlGrantPrincipals(g []ctlSudoGrant) []string {
	out := make([]string, 0, len(g))
	for _, x := range g {
		out = append(out, x.Principal)
	}
	return ctlSortedUnique(out)
}
