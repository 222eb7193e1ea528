package translator

import (
	"sort"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// ToFacts maps one host's query results to its facts document.
//
// Every catalogue query gets an entry in Document.Queries: ok with its row
// count, unknown with the error (or "not in the input" when it was never run),
// or not_applicable when it is meant for another platform than the host's
// (known once os_version answered). Every section's Origin names the queries
// that fed it; a section none of whose queries answered is unknown with the
// reason, never empty. Results for queries the catalogue does not know are
// ignored with a document note.
func ToFacts(h *queries.HostResults, catalog []queries.Query) *facts.Document {
	if h == nil {
		h = &queries.HostResults{}
	}
	t := newTranslation(h, catalog)
	d := &facts.Document{
		SchemaVersion: facts.SchemaVersion,
		Host:          h.Host,
		Queries:       make(map[string]facts.QueryState, len(catalog)),
	}
	if !h.CollectedAt.IsZero() {
		d.CollectedAt = h.CollectedAt.Unix()
	}
	if len(h.Decorations) > 0 {
		d.Decorations = make(map[string]string, len(h.Decorations))
		for k, v := range h.Decorations {
			d.Decorations[k] = v
		}
	}

	// The OS comes first: its platform decides which queries apply. Its
	// origin is then recomputed, so the other platforms' os queries read as
	// not applicable rather than missing.
	osFeed := t.feed("os")
	mapOS(d, osFeed)
	var remark string
	t.platform, remark = t.hostPlatform(&d.OS)
	if t.platform != "" {
		final := t.feed("os")
		final.notes = osFeed.notes
		if remark != "" {
			final.note(nil, remark, "")
		}
		d.OS.Origin = final.done()
	}

	for _, q := range catalog {
		d.Queries[q.Name] = t.state(q)
	}
	for _, m := range sectionMappers {
		m.fn(d, t.feed(m.key))
	}
	t.mapCustom(d)
	d.Notes = t.documentNotes()
	mapExternalVerdicts(d, h) // fleet_verdicts.go
	return d
}

// mapperFunc fills one section of d from its feed.
type mapperFunc func(d *facts.Document, f *feed)

// sectionMappers lists every feed key (the part of a catalogue `feeds:` entry
// before any ":qualifier") with the function that maps it, in document order.
// "os" is mapped first by ToFacts itself.
var sectionMappers = []struct {
	key string
	fn  mapperFunc
}{
	{"hardware", mapHardware},
	{"firmware", mapFirmware},
	{"clock", mapClock},
	{"osquery_info", mapOsqueryInfo},
	{"osquery_flags", mapOsqueryFlags},
	{"osquery_schedule", mapOsquerySchedule},
	{"packages", mapPackages},
	{"services", mapServices},
	{"processes", mapProcesses},
	{"users", mapUsers},
	{"groups", mapGroups},
	{"memberships", mapMemberships},
	{"shadow", mapShadow},
	{"sudoers", mapSudoers},
	{"listening_ports", mapListeningPorts},
	{"host_net_namespace", mapHostNetNamespace},
	{"iptables", mapIptables},
	{"alf", mapALF},
	{"firewall_profiles", mapFirewallProfiles},
	{"firewall_ufw", mapUFW},
	{"firewall_rules", mapFirewallRules},
	{"sysctls", mapSysctls},
	{"config_nodes", mapConfigNodes},
	{"registry", mapRegistry},
	{"files", mapFiles},
	{"plist", mapPlist},
	{"managed_policies", mapManagedPolicies},
	{"sip", mapSIP},
	{"gatekeeper", mapGatekeeper},
	{"sharing", mapSharing},
	{"secure_boot", mapSecureBoot},
	{"hotfixes", mapHotfixes},
	{"update_history", mapUpdateHistory},
	{"security_products", mapSecurityProducts},
	{"security_center", mapSecurityCenter},
	{"security_profile", mapSecurityProfile},
	{"optional_features", mapOptionalFeatures},
	{"repositories", mapRepositories},
	{"certificates", mapCertificates},
}

// FeedKeys returns every feed key the mapper understands, qualified keys
// (packages:deb) included, sorted. A catalogue query whose `feeds:` names
// anything else feeds nothing.
func FeedKeys() []string {
	keys := []string{"os"}
	for _, m := range sectionMappers {
		if qs, ok := qualifiers[m.key]; ok {
			for _, q := range qs {
				keys = append(keys, m.key+":"+q)
			}
			continue
		}
		keys = append(keys, m.key)
	}
	sort.Strings(keys)
	return keys
}

// qualifiers are the sources of the multi-source sections.
var qualifiers = map[string][]string{
	"packages":     {"deb", "rpm", "apps", "programs", "homebrew", "chocolatey", "package_receipts"},
	"services":     {"systemd", "windows", "launchd"},
	"repositories": {"apt", "yum"},
}

// shapes names, per feed key, the columns of which an answer must carry at
// least one to be read as that section's rows. A pack query resolved to a
// catalogue name by its suffix may be another table altogether
// (pack_x_logged_in_users looks like "users"); its rows are then not used.
var shapes = map[string][]string{
	"os":                        {"name", "platform", "version"},
	"hardware":                  {"hardware_vendor", "hardware_model", "hardware_serial", "uuid"},
	"firmware":                  {"vendor", "version", "date"},
	"clock":                     {"unix_time"},
	"osquery_info":              {"version"},
	"osquery_flags":             {"name"},
	"osquery_schedule":          {"name"},
	"packages":                  {"name"},
	"packages:package_receipts": {"package_id"},
	"services:systemd":          {"id"},
	"services:windows":          {"name"},
	"services:launchd":          {"label", "name"},
	"processes":                 {"pid"},
	"users":                     {"username"},
	"groups":                    {"groupname"},
	"memberships":               {"uid"},
	"shadow":                    {"username"},
	"sudoers":                   {"header", "rule_details"},
	"listening_ports":           {"port"},
	"host_net_namespace":        {"net_namespace"},
	"iptables":                  {"chain"},
	"alf":                       {"global_state"},
	"firewall_profiles":         {"path", "key"},
	"firewall_ufw":              {"node", "label"},
	"firewall_rules":            {"local_ports", "protocol"},
	"sysctls":                   {"name"},
	"config_nodes":              {"node", "path"},
	"registry":                  {"path", "key"},
	"files":                     {"path"},
	"plist":                     {"path", "key"},
	"managed_policies":          {"domain", "name"},
	"sip":                       {"config_flag"},
	"gatekeeper":                {"assessments_enabled"},
	"sharing":                   {"remote_login", "screen_sharing", "file_sharing"},
	"secure_boot":               {"secure_boot", "setup_mode", "secure_mode"},
	"hotfixes":                  {"hotfix_id"},
	"update_history":            {"title", "date"},
	"security_products":         {"name", "type"},
	"security_center":           {"firewall", "antivirus", "autoupdate"},
	"security_profile":          {"enable_admin_account", "enable_guest_account", "new_administrator_name"},
	"optional_features":         {"name"},
	"repositories:apt":          {"base_uri"},
	"repositories:yum":          {"baseurl", "mirrorlist", "metalink", "name"},
	"certificates":              {"common_name", "subject", "not_valid_after"},
}
