package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// mapPackages fills d.Packages from every package table, and
// d.PackageSources with each source's origin. Source is the feed qualifier
// (deb, rpm, apps, programs, homebrew, chocolatey, package_receipts).
func mapPackages(d *facts.Document, f *feed) {
	var items []facts.Package
	if f.ok() {
		items = make([]facts.Package, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, f.packageRow(p, r))
			}
		}
	}
	d.Packages = facts.Section[facts.Package]{Origin: f.done(), Items: items}
	d.PackageSources = f.sourceOrigins()
}

func (f *feed) packageRow(p *part, r queries.Row) facts.Package {
	pkg := facts.Package{
		Name:      text(r, "name"),
		Version:   text(r, "version"),
		Source:    p.qualifier,
		Arch:      text(r, "arch"),
		Installed: true,
	}
	switch p.qualifier {
	case "deb":
		pkg.Publisher = text(r, "maintainer")
		f.debStatus(p, r, &pkg)
	case "rpm":
		pkg.Version = rpmEVR(text(r, "epoch"), pkg.Version, text(r, "release"))
		pkg.Publisher = text(r, "vendor")
		pkg.InstallTime = f.intOf(p, r, "install_time")
	case "apps":
		pkg.Version = firstText(r, "bundle_short_version", "bundle_version", "version")
		pkg.Identifier = text(r, "bundle_identifier")
	case "programs":
		pkg.Publisher = text(r, "publisher")
		pkg.Identifier = text(r, "identifying_number")
		if v := text(r, "install_date"); v != "" {
			if t, err := dayUnix(v); err == nil {
				pkg.InstallTime = &t
			} else {
				f.note(p, fmt.Sprintf("%s.install_date: not a YYYYMMDD date, install time unknown", p.query), v)
			}
		}
	case "chocolatey":
		pkg.Publisher = text(r, "author")
	case "package_receipts":
		pkg.Name = text(r, "package_id")
		pkg.Identifier = pkg.Name
		pkg.InstallTime = f.seconds(p, r, "install_time")
	}
	return pkg
}

// debBroken are dpkg states where the package is on disk but not configured.
var debBroken = map[string]bool{
	"half-installed": true, "half-configured": true, "unpacked": true,
	"triggers-awaited": true, "triggers-pending": true,
}

// debStatus reads dpkg's three-word status "want error state" (B16): the
// package is installed iff the LAST word is installed or a broken on-disk
// state; config-files and not-installed are removed. Old osquery had no status
// column: the row is counted as installed with StatusUnknown.
func (f *feed) debStatus(p *part, r queries.Row, pkg *facts.Package) {
	if !has(r, "status") {
		pkg.StatusUnknown = true
		f.note(p, p.query+": no status column (osquery before 3.x): packages counted as installed, status unknown", "")
		return
	}
	pkg.Status = text(r, "status")
	words := strings.Fields(pkg.Status)
	if len(words) == 0 {
		pkg.StatusUnknown = true
		f.note(p, p.query+": empty status: package counted as installed, status unknown", "")
		return
	}
	switch last := words[len(words)-1]; {
	case last == "installed":
	case debBroken[last]:
		pkg.Broken = true
	case last == "config-files" || last == "not-installed":
		pkg.Installed = false
	default:
		pkg.StatusUnknown = true
		f.note(p, p.query+": unknown dpkg state: package counted as installed, status unknown", pkg.Status)
	}
}

// rpmEVR builds rpm's comparable [epoch:]version-release; epoch 0 and an
// empty epoch are the same to rpm and left out.
func rpmEVR(epoch, version, release string) string {
	v := version
	if release != "" {
		v += "-" + release
	}
	if epoch != "" && epoch != "0" {
		v = epoch + ":" + v
	}
	return v
}
