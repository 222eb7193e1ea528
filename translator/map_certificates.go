package translator

import (
	"strconv"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapCertificates fills d.Certificates from the certificate stores of every
// platform. Validity times are unix seconds as integers; ca and self_signed
// are 1/0; key_strength is the leading number of "2048" or "2048 bits" (nil
// for curve names).
func mapCertificates(d *facts.Document, f *feed) {
	var items []facts.Certificate
	if f.ok() {
		items = make([]facts.Certificate, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.Certificate{
					CommonName:       text(r, "common_name"),
					Subject:          text(r, "subject"),
					Issuer:           text(r, "issuer"),
					CA:               f.flag(p, r, "ca"),
					SelfSigned:       f.flag(p, r, "self_signed"),
					NotValidBefore:   f.intOf(p, r, "not_valid_before"),
					NotValidAfter:    f.intOf(p, r, "not_valid_after"),
					SigningAlgorithm: text(r, "signing_algorithm"),
					KeyAlgorithm:     text(r, "key_algorithm"),
					KeyStrength:      keyBits(r["key_strength"]),
					Path:             text(r, "path"),
					Store:            text(r, "store"),
					SHA1:             text(r, "sha1"),
					StoreLocation:    text(r, "store_location"),
					Username:         text(r, "username"),
					Serial:           text(r, "serial"),
				})
			}
		}
	}
	d.Certificates = facts.Section[facts.Certificate]{Origin: f.done(), Items: items}
}

// keyBits reads the leading whole number of key_strength.
func keyBits(v string) *int64 {
	v = strings.TrimSpace(v)
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 {
		return nil
	}
	n, err := strconv.ParseInt(v[:end], 10, 64)
	if err != nil {
		return nil
	}
	return &n
}
