package translator

import (
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// The generic sections collect rows from every catalogue query that feeds
// them: the built-in ones and the x_*.sql helpers the checks add (augeas
// nodes, registry values, file stats, plist keys, sysctls). Values are kept
// as osquery gave them, untrimmed: a check compares them exactly.

// mapSysctls fills d.Sysctls.
func mapSysctls(d *facts.Document, f *feed) {
	var items []facts.Sysctl
	if f.ok() {
		items = make([]facts.Sysctl, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.Sysctl{
					Name:         text(r, "name"),
					CurrentValue: r["current_value"],
					ConfigValue:  r["config_value"],
				})
			}
		}
	}
	d.Sysctls = facts.Section[facts.Sysctl]{Origin: f.done(), Items: items}
}

// mapConfigNodes fills d.ConfigNodes from augeas rows.
func mapConfigNodes(d *facts.Document, f *feed) {
	var items []facts.ConfigNode
	if f.ok() {
		items = make([]facts.ConfigNode, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.ConfigNode{Path: r["path"], Node: r["node"], Label: r["label"], Value: r["value"]})
			}
		}
	}
	d.ConfigNodes = facts.Section[facts.ConfigNode]{Origin: f.done(), Items: items}
}

// mapRegistry fills d.Registry.
func mapRegistry(d *facts.Document, f *feed) {
	var items []facts.RegistryValue
	if f.ok() {
		items = make([]facts.RegistryValue, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.RegistryValue{Key: r["key"], Path: r["path"], Name: r["name"], Type: r["type"], Data: r["data"]})
			}
		}
	}
	d.Registry = facts.Section[facts.RegistryValue]{Origin: f.done(), Items: items}
}

// mapFiles fills d.Files from file-table rows.
func mapFiles(d *facts.Document, f *feed) {
	var items []facts.FileStat
	if f.ok() {
		items = make([]facts.FileStat, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.FileStat{
					Path:  r["path"],
					Type:  r["type"],
					Size:  f.intOf(p, r, "size"),
					Mtime: f.intOf(p, r, "mtime"),
					UID:   f.intOf(p, r, "uid"),
					Mode:  r["mode"],
				})
			}
		}
	}
	d.Files = facts.Section[facts.FileStat]{Origin: f.done(), Items: items}
}

// mapPlist fills d.Plist.
func mapPlist(d *facts.Document, f *feed) {
	var items []facts.PlistValue
	if f.ok() {
		items = make([]facts.PlistValue, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.PlistValue{Path: r["path"], Key: r["key"], Subkey: r["subkey"], Value: r["value"]})
			}
		}
	}
	d.Plist = facts.Section[facts.PlistValue]{Origin: f.done(), Items: items}
}
