package translator

import (
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapProcesses fills d.Processes.
func mapProcesses(d *facts.Document, f *feed) {
	f.emptyIsUnknown("cannot be true while osquery runs: the process table was not readable")
	var items []facts.Process
	if f.ok() {
		items = make([]facts.Process, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.Process{
					PID:     f.intOf(p, r, "pid"),
					Name:    text(r, "name"),
					Path:    text(r, "path"),
					Cmdline: text(r, "cmdline"),
				})
			}
		}
	}
	d.Processes = facts.Section[facts.Process]{Origin: f.done(), Items: items}
}

// afUnix is AF_UNIX on Linux, macOS and Windows alike.
const afUnix = 1

// mapListeningPorts fills d.ListeningPorts. pid -1 (osquery could not see the
// owner) is unknown, not "no process"; unix-domain sockets are left out. The
// owning process comes from the catalogue's join (process_name,
// process_path), or from a pack's join that named it plain "name".
func mapListeningPorts(d *facts.Document, f *feed) {
	var items []facts.ListeningPort
	if f.ok() {
		items = make([]facts.ListeningPort, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				lp := facts.ListeningPort{
					PID:          f.knownInt(p, r, "pid"),
					Port:         f.intOf(p, r, "port"),
					Protocol:     f.intOf(p, r, "protocol"),
					Family:       f.intOf(p, r, "family"),
					Address:      text(r, "address"),
					NetNamespace: text(r, "net_namespace"),
					ProcessName:  firstText(r, "process_name", "name"),
					ProcessPath:  text(r, "process_path"),
				}
				if lp.Family != nil && *lp.Family == afUnix {
					f.note(p, p.query+": unix-domain sockets left out", "")
					continue
				}
				items = append(items, lp)
			}
		}
	}
	d.ListeningPorts = facts.Section[facts.ListeningPort]{Origin: f.done(), Items: items}
}

// mapHostNetNamespace fills d.HostNetNamespace from pid 1's namespaces.
func mapHostNetNamespace(d *facts.Document, f *feed) {
	if _, r := f.firstRow(); r != nil {
		d.HostNetNamespace = text(r, "net_namespace")
	}
	d.HostNetNamespaceOrigin = f.done()
}
