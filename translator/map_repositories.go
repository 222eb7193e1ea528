package translator

import (
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// mapRepositories fills d.Repositories from apt_sources and yum_sources, and
// d.RepositorySources with each kind's origin.
func mapRepositories(d *facts.Document, f *feed) {
	var items []facts.Repository
	if f.ok() {
		items = make([]facts.Repository, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				switch p.qualifier {
				case "apt":
					items = append(items, aptSource(r))
				case "yum":
					items = append(items, f.yumSource(p, r))
				}
			}
		}
	}
	d.Repositories = facts.Section[facts.Repository]{Origin: f.done(), Items: items}
	d.RepositorySources = f.sourceOrigins()
}

// aptSource reads apt_sources; a listed apt source is enabled (nil: apt has
// no flag for it).
func aptSource(r queries.Row) facts.Repository {
	return facts.Repository{
		Kind:       "apt",
		Name:       text(r, "name"),
		BaseURI:    text(r, "base_uri"),
		Release:    text(r, "release"),
		Components: text(r, "components"),
		Source:     text(r, "source"),
	}
}

// yumSource reads yum_sources; the base URI is baseurl, else mirrorlist, else
// metalink. yum and dnf treat a repository without "enabled=" as enabled.
func (f *feed) yumSource(p *part, r queries.Row) facts.Repository {
	repo := facts.Repository{
		Kind:    "yum",
		Name:    text(r, "name"),
		BaseURI: firstText(r, "baseurl", "mirrorlist", "metalink"),
		Source:  text(r, "source"),
	}
	if text(r, "enabled") == "" {
		repo.Enabled = ptr(true)
		f.note(p, p.query+": no enabled= setting, enabled as yum's default", "")
	} else {
		repo.Enabled = f.flag(p, r, "enabled")
	}
	return repo
}
