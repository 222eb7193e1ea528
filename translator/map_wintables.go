package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapHotfixes fills d.Hotfixes from patches (B18): every listed hotfix is
// installed; its date is parsed only as far as the text allows.
func mapHotfixes(d *facts.Document, f *feed) {
	var items []facts.Hotfix
	if f.ok() {
		items = make([]facts.Hotfix, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				h := facts.Hotfix{
					ID:             text(r, "hotfix_id"),
					Description:    text(r, "description"),
					InstalledOnRaw: r["installed_on"],
					Installed:      true,
				}
				h.InstalledOn, h.DateConfidence = parseHotfixDate(h.InstalledOnRaw)
				switch h.DateConfidence {
				case DateAssumedMDY:
					f.note(p, p.query+".installed_on: both day and month <= 12, read as M/D/YYYY (WMI's usual order)", h.InstalledOnRaw)
				case DateAmbiguous:
					f.note(p, p.query+".installed_on: D-M or M-D cannot be told apart, date unknown", h.InstalledOnRaw)
				case DateUnparseable:
					f.note(p, p.query+".installed_on: not a date this translator reads, date unknown", h.InstalledOnRaw)
				}
				items = append(items, h)
			}
		}
	}
	d.Hotfixes = facts.Section[facts.Hotfix]{Origin: f.done(), Items: items}
}

// wuResultCodes are the Windows Update OperationResultCode names.
var wuResultCodes = map[string]int64{
	"notstarted": 0, "inprogress": 1, "succeeded": 2, "succeededwitherrors": 3, "failed": 4, "aborted": 5,
}

// mapUpdateHistory fills d.UpdateHistory; date is unix seconds, result_code a
// number or an OperationResultCode name.
func mapUpdateHistory(d *facts.Document, f *feed) {
	var items []facts.Update
	if f.ok() {
		items = make([]facts.Update, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				u := facts.Update{
					Title:     text(r, "title"),
					Date:      f.intOf(p, r, "date"),
					Operation: text(r, "operation"),
					Result:    text(r, "result_code"),
					UpdateID:  text(r, "update_id"),
				}
				if isDigits(u.Result) {
					u.ResultCode = f.intOf(p, r, "result_code")
				} else if c, ok := wuResultCodes[strings.ToLower(strings.ReplaceAll(u.Result, " ", ""))]; ok {
					u.ResultCode = ptr(c)
				} else if u.Result != "" {
					f.note(p, fmt.Sprintf("%s.result_code: unknown result, code unknown", p.query), u.Result)
				}
				items = append(items, u)
			}
		}
	}
	d.UpdateHistory = facts.Section[facts.Update]{Origin: f.done(), Items: items}
}

// mapSecurityProducts fills d.SecurityProducts.
func mapSecurityProducts(d *facts.Document, f *feed) {
	var items []facts.SecurityProduct
	if f.ok() {
		items = make([]facts.SecurityProduct, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.SecurityProduct{
					Type:               text(r, "type"),
					Name:               text(r, "name"),
					State:              text(r, "state"),
					SignaturesUpToDate: f.flag(p, r, "signatures_up_to_date"),
				})
			}
		}
	}
	d.SecurityProducts = facts.Section[facts.SecurityProduct]{Origin: f.done(), Items: items}
}

// mapSecurityCenter fills d.SecurityCenter with the raw health values; every
// value "Error" (Server SKUs) is noted as unsupported.
func mapSecurityCenter(d *facts.Document, f *feed) {
	var sc facts.SecurityCenter
	if p, r := f.firstRow(); r != nil {
		sc.Firewall = text(r, "firewall")
		sc.Autoupdate = text(r, "autoupdate")
		sc.Antivirus = text(r, "antivirus")
		sc.InternetSettings = text(r, "internet_settings")
		sc.Service = text(r, "windows_security_center_service")
		sc.UserAccountControl = text(r, "user_account_control")
		sc.Antispyware = text(r, "antispyware")
		allError := true
		for _, v := range []string{sc.Firewall, sc.Autoupdate, sc.Antivirus, sc.InternetSettings, sc.Service, sc.UserAccountControl} {
			if v != "Error" {
				allError = false
			}
		}
		if allError {
			f.note(p, p.query+": every value is Error: Security Center is not available (Windows Server): read as unknown, not off", "")
		}
	}
	sc.Origin = f.done()
	d.SecurityCenter = sc
}

// mapOptionalFeatures fills d.OptionalFeatures (state 1 = enabled).
func mapOptionalFeatures(d *facts.Document, f *feed) {
	var items []facts.OptionalFeature
	if f.ok() {
		items = make([]facts.OptionalFeature, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.OptionalFeature{Name: text(r, "name"), State: f.intOf(p, r, "state")})
			}
		}
	}
	d.OptionalFeatures = facts.Section[facts.OptionalFeature]{Origin: f.done(), Items: items}
}
