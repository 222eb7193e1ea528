package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lowercaseNames are names spelt in lower case even at the start of a
// sentence (programs and products that style themselves so).
var lowercaseNames = map[string]bool{
	"osquery": true, "osqueryd": true, "auditd": true, "journald": true, "systemd": true, "rsyslog": true,
	"syslog-ng": true, "ufw": true, "firewalld": true, "iptables": true, "nftables": true, "sshd": true,
	"logd": true, "launchd": true, "dpkg": true, "rpm": true, "apt": true, "dnf": true, "yum": true, "zypper": true,
	"unattended-upgrades": true, "dnf-automatic": true, "macos": true,
}

// sentenceCase upper-cases the first letter of a sentence fragment unless
// its first word is an identifier that must keep its spelling: a table,
// query or column name (platform_info, os_version), a path or version, a
// word with an inner capital (macOS, iOS), or a name styled in lower case
// (osquery, auditd). Such a sentence starts with the identifier as written.
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	word := s
	if i := strings.IndexAny(s, " :,;()"); i >= 0 {
		word = s[:i]
	}
	if lowercaseNames[strings.ToLower(word)] || !sentenceWord(word) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentenceWord reports whether w is an ordinary word: letters (and inner
// hyphens or apostrophes) with no capital after the first letter.
func sentenceWord(w string) bool {
	for i, r := range w {
		switch {
		case unicode.IsLetter(r) && (i == 0 || !unicode.IsUpper(r)):
		case i > 0 && (r == '-' || r == '\''):
		default:
			return false
		}
	}
	return w != ""
}
