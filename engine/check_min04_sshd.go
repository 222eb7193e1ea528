package engine

import (
	"path"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Effective OpenSSH server settings from augeas nodes (x_min_sshd.sql).
//
// sshd uses the first value it reads for a keyword. Its main file is
// /etc/ssh/sshd_config; an Include directive reads the matching drop-in
// files (lexical order) at that point. Settings inside Match blocks apply to
// some connections only and are not the global value. The order of the main
// file's directives is the order augeas returned them.

const (
	minQSSHD      = "x_min_sshd"
	minSSHDConfig = "/etc/ssh/sshd_config"
	minSSHDir     = "/etc/ssh"
)

// minSSHDNode is one top-level directive.
type minSSHDNode struct {
	file, label, value string
}

// minTopLevel returns the top-level directives of one file, in order; a node
// below another (Match/Settings/...) is left out.
func minTopLevel(nodes []facts.ConfigNode, file string) []minSSHDNode {
	prefix := "/files" + file + "/"
	var out []minSSHDNode
	for _, n := range nodes {
		if n.Path != file && !strings.HasPrefix(n.Node, prefix) {
			continue
		}
		rest := strings.TrimPrefix(n.Node, prefix)
		if strings.Contains(rest, "/") {
			continue // inside a block (Match/Settings/...)
		}
		if i := strings.IndexByte(rest, '['); i >= 0 {
			rest = rest[:i]
		}
		if rest == "" || n.Label == "" || n.Label == "#comment" {
			continue
		}
		out = append(out, minSSHDNode{file: file, label: n.Label, value: strings.TrimSpace(n.Value)})
	}
	return out
}

// minSSHDSequence returns the directives in the order sshd reads them, and
// whether the main file was seen at all.
func minSSHDSequence(nodes []facts.ConfigNode) ([]minSSHDNode, bool) {
	main := minTopLevel(nodes, minSSHDConfig)
	if len(main) == 0 {
		return nil, false
	}
	dropins := map[string]bool{}
	for _, n := range nodes {
		f := n.Path
		if f == "" && strings.HasPrefix(n.Node, "/files"+minSSHDConfig+".d/") {
			rest := strings.TrimPrefix(n.Node, "/files")
			if i := strings.Index(rest[len(minSSHDConfig+".d/"):], "/"); i >= 0 {
				f = rest[:len(minSSHDConfig+".d/")+i]
			}
		}
		if strings.HasPrefix(f, minSSHDConfig+".d/") {
			dropins[f] = true
		}
	}
	files := make([]string, 0, len(dropins))
	for f := range dropins {
		files = append(files, f)
	}
	sort.Strings(files)
	var seq []minSSHDNode
	for _, d := range main {
		if !strings.EqualFold(d.label, "Include") {
			seq = append(seq, d)
			continue
		}
		for _, pat := range strings.Fields(d.value) {
			if !strings.HasPrefix(pat, "/") {
				pat = minSSHDir + "/" + pat
			}
			for _, f := range files {
				if ok, _ := path.Match(pat, f); ok {
					seq = append(seq, minTopLevel(nodes, f)...)
				}
			}
		}
	}
	return seq, true
}

// minSSHDValue returns the effective global value of a keyword and the file
// it came from ("" when the keyword is not set).
func minSSHDValue(seq []minSSHDNode, keyword string) (value, file string) {
	for _, d := range seq {
		if strings.EqualFold(d.label, keyword) {
			return d.value, d.file
		}
	}
	return "", ""
}
