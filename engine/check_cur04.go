package engine

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// CUR-04 Certificates and cryptographic material valid and unexpired.
//
// not_valid_after is compared as an integer unix time with env.Now (never as
// text). Expired non-CA certificates (identity, machine, service) -> FAIL.
// Certificates expiring within certificate_warning_days, RSA keys under
// min_rsa_bits or SHA-1/MD5 signatures on non-root certificates, and expired
// CA certificates left in a store -> PARTIAL with counts by store. None of
// these -> PASS. Certificates section not collected -> UNKNOWN. Zero
// certificates in the stores osquery reads -> NOT_APPLICABLE: there is no
// cryptographic material to judge (the row set is empty, not unknown).
func init() { register("CUR-04", checkCUR04) }

// Certificate roles.
const (
	certLeaf         = "leaf"
	certIntermediate = "intermediate"
	certRoot         = "root"
)

// weakSignatures are signature algorithm names (lower case, osquery/OpenSSL
// and Windows spellings) that use SHA-1 or MD5.
var weakSignatures = map[string]string{
	"sha1withrsaencryption": "SHA-1", "sha1withrsa": "SHA-1", "sha1rsa": "SHA-1", "rsa-sha1": "SHA-1",
	"ecdsa-with-sha1": "SHA-1", "ecdsawithsha1": "SHA-1", "dsawithsha1": "SHA-1", "dsa-with-sha1": "SHA-1", "sha1": "SHA-1",
	"shawithrsaencryption": "SHA-1",
	"md5withrsaencryption": "MD5", "md5withrsa": "MD5", "md5rsa": "MD5", "md5": "MD5",
	"md2withrsaencryption": "MD2", "md4withrsaencryption": "MD4",
}

// certFinding is one certificate that needs attention.
type certFinding struct {
	Store      string `json:"store"`
	CommonName string `json:"common_name"`
	Role       string `json:"role"`
	Issue      string `json:"issue"`
	NotAfter   string `json:"not_valid_after,omitempty"`
	SHA1       string `json:"sha1,omitempty"`
}

func checkCUR04(env *Env) Outcome {
	certs := env.Facts.Certificates
	if !certs.Known() {
		return outcome(Unknown, map[string]any{"certificates_reason": certs.Reason},
			"The certificates table was not collected: %s.", curOr(certs.Reason, string(certs.State)))
	}
	if len(certs.Items) == 0 {
		return outcome(NotApplicable, map[string]any{"certificates": 0, "queries": certs.Queries},
			"The certificate stores osquery reads hold no certificates, so there is nothing to judge.")
	}
	pol := curPolicy(env)
	now := env.Now.Unix()
	warnUntil := env.Now.Add(time.Duration(pol.Thresholds.CertificateWarningDays) * 24 * time.Hour).Unix()
	minRSA := int64(pol.Thresholds.MinRSABits)

	var fails, partials []certFinding
	byStore := map[string]map[string]int{}
	count := func(store, issue string) {
		if byStore[store] == nil {
			byStore[store] = map[string]int{}
		}
		byStore[store][issue]++
	}
	unknownRole, noExpiry := 0, 0
	for _, c := range certs.Items {
		store := curCertStore(c)
		role := curCertRole(c)
		if c.CA == nil {
			unknownRole++
		}
		find := func(issue string) certFinding {
			fd := certFinding{Store: store, CommonName: curOr(c.CommonName, c.Subject), Role: role, Issue: issue, SHA1: strings.ToLower(c.SHA1)}
			if c.NotValidAfter != nil {
				fd.NotAfter = curDay(curUnix(*c.NotValidAfter))
			}
			return fd
		}
		if c.NotValidAfter == nil {
			noExpiry++
		} else if after := *c.NotValidAfter; after < now {
			if role == certLeaf {
				fails = append(fails, find("expired"))
				count(store, "expired")
			} else {
				partials = append(partials, find("expired "+role))
				count(store, "expired_ca")
			}
		} else if after <= warnUntil {
			partials = append(partials, find(fmt.Sprintf("expires within %d days", pol.Thresholds.CertificateWarningDays)))
			count(store, "expiring")
		}
		if role == certRoot {
			continue // a trust anchor's own signature and key are not what the store relies on for its weakness
		}
		if curIsRSA(c.KeyAlgorithm) && c.KeyStrength != nil && *c.KeyStrength < minRSA {
			partials = append(partials, find(fmt.Sprintf("RSA key of %d bits (< %d)", *c.KeyStrength, minRSA)))
			count(store, "weak_key")
		}
		if alg, weak := weakSignatures[curNormAlg(c.SigningAlgorithm)]; weak {
			partials = append(partials, find(alg+" signature ("+c.SigningAlgorithm+")"))
			count(store, "weak_signature")
		}
	}
	sortFindings := func(fs []certFinding) {
		sort.Slice(fs, func(i, j int) bool {
			a, b := fs[i], fs[j]
			if a.Store != b.Store {
				return a.Store < b.Store
			}
			if a.CommonName != b.CommonName {
				return a.CommonName < b.CommonName
			}
			if a.Issue != b.Issue {
				return a.Issue < b.Issue
			}
			return a.SHA1 < b.SHA1
		})
	}
	sortFindings(fails)
	sortFindings(partials)
	ev := map[string]any{
		"certificates":             len(certs.Items),
		"by_store":                 byStore,
		"certificate_warning_days": pol.Thresholds.CertificateWarningDays,
		"min_rsa_bits":             minRSA,
		"assessed_at":              env.Now.UTC().Format(time.RFC3339),
	}
	if unknownRole > 0 {
		ev["role_unknown"] = unknownRole // graded as non-CA (leaf) certificates
	}
	if noExpiry > 0 {
		ev["no_not_valid_after"] = noExpiry
	}
	if len(fails) > 0 {
		ev["expired"] = curCap(fails, 50)
	}
	if len(partials) > 0 {
		ev["findings"] = curCap(partials, 50)
	}
	switch {
	case len(fails) > 0:
		d := fmt.Sprintf("%d expired non-CA certificate(s): %s", len(fails), curFindingList(fails, certDetailMax))
		if len(partials) > 0 {
			d += fmt.Sprintf("; also %d other finding(s): %s", len(partials), curFindingList(partials, max(certDetailMax-len(fails), 1)))
		}
		return outcome(Fail, ev, "%s.", d)
	case len(partials) > 0:
		return outcome(Partial, ev, "No expired identity certificates, but %d finding(s): %s (by store: %s).",
			len(partials), curFindingList(partials, certDetailMax), curStoreSummary(byStore))
	}
	return outcome(Pass, ev, "All %d certificates are valid beyond %d days with strong keys and signatures.", len(certs.Items), pol.Thresholds.CertificateWarningDays)
}

// curCertRole classifies a certificate: root (CA and self-signed), intermediate
// (CA), leaf (not a CA, or CA unknown).
func curCertRole(c facts.Certificate) string {
	switch {
	case c.CA != nil && *c.CA && c.SelfSigned != nil && *c.SelfSigned:
		return certRoot
	case c.CA != nil && *c.CA:
		return certIntermediate
	}
	return certLeaf
}

// curCertStore names the store of a certificate: the Windows store (with its
// location and owner when known), a
// keychain file, or the directory of a certificate file (/etc/ssl/certs).
func curCertStore(c facts.Certificate) string {
	if c.Store != "" {
		s := c.Store
		if c.StoreLocation != "" {
			s = c.StoreLocation + `\` + s
		}
		if c.Username != "" {
			s += " (" + c.Username + ")"
		}
		return s
	}
	p := strings.TrimSpace(c.Path)
	switch {
	case p == "":
		return "(unknown store)"
	case strings.HasSuffix(p, ".keychain") || strings.HasSuffix(p, ".keychain-db"):
		return p
	}
	return path.Dir(p)
}

// curIsRSA reports whether a key algorithm names RSA.
func curIsRSA(alg string) bool {
	a := curNormAlg(alg)
	return a == "rsaencryption" || a == "rsa" || a == "rsassa-pss" || a == "rsapss"
}

// curNormAlg lower-cases an algorithm name and drops spaces.
func curNormAlg(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

func curCap(fs []certFinding, n int) []certFinding {
	if len(fs) > n {
		return fs[:n]
	}
	return fs
}

// certDetailMax caps the certificates a detail names; the evidence lists up
// to 50 of each kind.
const certDetailMax = 5

// curFindingList names each finding with its certificate's common name,
// issue, expiry date and store, at most limit of them, then how many more:
// "\"Old Root\" in Root: expired root, not valid after 2025-01-01; and 3 more ...".
func curFindingList(fs []certFinding, limit int) string {
	parts := make([]string, 0, min(len(fs), limit)+1)
	for i, f := range fs {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more (see the evidence)", len(fs)-limit))
			break
		}
		date := "no expiry date"
		if f.NotAfter != "" {
			date = "not valid after " + f.NotAfter
		}
		parts = append(parts, fmt.Sprintf("%q in %s: %s, %s", curOr(f.CommonName, "(no common name)"), f.Store, f.Issue, date))
	}
	return strings.Join(parts, "; ")
}

// curStoreSummary renders counts by store: "Root: 1 expired_ca; My: 2 expiring".
func curStoreSummary(byStore map[string]map[string]int) string {
	stores := make([]string, 0, len(byStore))
	for s := range byStore {
		stores = append(stores, s)
	}
	sort.Strings(stores)
	var parts []string
	for _, s := range stores {
		issues := make([]string, 0, len(byStore[s]))
		for i := range byStore[s] {
			issues = append(issues, i)
		}
		sort.Strings(issues)
		var cs []string
		for _, i := range issues {
			cs = append(cs, fmt.Sprintf("%d %s", byStore[s][i], i))
		}
		parts = append(parts, s+": "+strings.Join(cs, ", "))
	}
	return strings.Join(parts, "; ")
}
