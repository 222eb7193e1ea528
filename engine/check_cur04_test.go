package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func TestCUR04(t *testing.T) {
	now := curNow.Unix()
	day := int64(86400)
	cert := func(cn, store string, ca, self bool, after int64) facts.Certificate {
		return facts.Certificate{CommonName: cn, Store: store, CA: curB(ca), SelfSigned: curB(self), NotValidAfter: curI(after),
			SigningAlgorithm: "sha256WithRSAEncryption", KeyAlgorithm: "rsaEncryption", KeyStrength: curI(2048)}
	}
	good := []facts.Certificate{
		cert("ISRG Root X1", "Root", true, true, now+3000*day),
		cert("R11", "CA", true, false, now+400*day),
		cert("host.corp.example", "My", false, false, now+200*day),
	}
	tests := []struct {
		name   string
		certs  func() []facts.Certificate
		status Status
		detail string
	}{
		{"all good", func() []facts.Certificate { return good }, Pass, "All 3 certificates"},
		// The old toolkit compared not_valid_after as text: "999999999" sorts after
		// "1796..." so a 2001 expiry looked valid, and "10000000000" (year 2286)
		// sorts before it so a valid certificate looked expired.
		{"text order and time order disagree", func() []facts.Certificate {
			return append(append([]facts.Certificate(nil), good...),
				cert("old-service", "My", false, false, 999999999),
				cert("far-future", "My", false, false, 10000000000))
		}, Fail, `1 expired non-CA certificate(s): "old-service" in My: expired, not valid after 2001-09-09.`},
		{"expiring machine certificate", func() []facts.Certificate {
			return append(append([]facts.Certificate(nil), good...), cert("vpn.corp.example", "My", false, false, now+10*day))
		}, Partial, "My: 1 expiring"},
		{"expired root left in the trust store", func() []facts.Certificate {
			return append(append([]facts.Certificate(nil), good...), cert("DST Root CA X3", "Root", true, true, now-400*day))
		}, Partial, "Root: 1 expired_ca"},
		{"weak key and SHA-1 on non-roots, roots exempt", func() []facts.Certificate {
			weak := cert("legacy-app", "My", false, false, now+300*day)
			weak.KeyStrength = curI(1024)
			sha1 := cert("Old Intermediate", "CA", true, false, now+300*day)
			sha1.SigningAlgorithm = "sha1RSA"
			oldRoot := cert("Old Root", "Root", true, true, now+300*day)
			oldRoot.SigningAlgorithm, oldRoot.KeyStrength = "sha1WithRSAEncryption", curI(1024)
			ec := cert("ec-host", "My", false, false, now+300*day)
			ec.KeyAlgorithm, ec.KeyStrength, ec.SigningAlgorithm = "id-ecPublicKey", nil, "ecdsa-with-SHA256"
			return append(append([]facts.Certificate(nil), good...), weak, sha1, oldRoot, ec)
		}, Partial, "CA: 1 weak_signature; My: 1 weak_key"},
		{"Linux bundle: store is the directory", func() []facts.Certificate {
			c := facts.Certificate{CommonName: "Expired CA", CA: curB(true), SelfSigned: curB(true), NotValidAfter: curI(now - day),
				Path: "/etc/ssl/certs/Expired_CA.pem"}
			return []facts.Certificate{c}
		}, Partial, "/etc/ssl/certs: 1 expired_ca"},
		{"CA flag unknown is graded as an identity certificate", func() []facts.Certificate {
			return []facts.Certificate{{CommonName: "mystery", Path: "/Library/Keychains/System.keychain", NotValidAfter: curI(now - day)}}
		}, Fail, `"mystery" in /Library/Keychains/System.keychain: expired, not valid after 2026-12-02`},
		{"Windows store location and owner", func() []facts.Certificate {
			c := cert("user@corp.example", "My", false, false, now+5*day)
			c.StoreLocation, c.Username = "CurrentUser", "alice"
			return append(append([]facts.Certificate(nil), good...), c)
		}, Partial, `CurrentUser\My (alice): 1 expiring`},
		{"empty stores", func() []facts.Certificate { return nil }, NotApplicable, "hold no certificates"},
	}
	for _, tt := range tests {
		d := curDoc("windows")
		d.Certificates.Items = tt.certs()
		got := curRun(t, "CUR-04", d)
		curExpect(t, tt.name, got, tt.status, tt.detail)
		if tt.name == "text order and time order disagree" {
			for _, f := range got.Evidence["expired"].([]certFinding) {
				if f.CommonName == "far-future" {
					t.Errorf("a certificate valid until 2286 was graded expired")
				}
			}
			if !strings.Contains(curJSON(t, got.Evidence), `"not_valid_after":"2001-09-09"`) {
				t.Errorf("evidence lacks the expiry date: %s", curJSON(t, got.Evidence))
			}
		}
	}
	d := curDoc("ubuntu")
	d.Certificates.Origin = curUnknown("query certificates error: permission denied")
	curExpect(t, "not collected", curRun(t, "CUR-04", d), Unknown, "permission denied")
}

// curJSON encodes evidence the way reports do.
func curJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("evidence is not JSON-encodable: %v", err)
	}
	return string(b)
}
