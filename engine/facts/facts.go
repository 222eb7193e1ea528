// Package facts defines the facts document: the typed, versioned description of
// one device that the translator builds from osquery rows and the engine grades.
//
// Every section carries an Origin that says which catalogue queries fed it and
// whether it is known. A section whose queries failed or never ran is
// StateUnknown with the reason; its items are then meaningless, never "none".
// Numeric values that osquery could not provide ("" , -1 where documented,
// missing column) are nil pointers, never zero.
package facts

// SchemaVersion is the version of the facts document layout.
const SchemaVersion = "1.0"

// State says whether a fact section is usable.
type State string

const (
	// StateOK means the section was collected; its items are the device's state.
	StateOK State = "ok"
	// StateUnknown means the section could not be collected (query error, not run).
	StateUnknown State = "unknown"
	// StateNotApplicable means the section does not exist on this platform.
	StateNotApplicable State = "not_applicable"
)

// Origin records where a section came from and whether it is known.
type Origin struct {
	State State `json:"state"`
	// Queries names the catalogue queries that fed the section.
	Queries []string `json:"queries,omitempty"`
	// Reason explains an unknown or not-applicable state (which query failed, and why).
	Reason string `json:"reason,omitempty"`
	// Notes are non-fatal remarks (old osquery without a column, assumed date order, ...).
	Notes []string `json:"notes,omitempty"`
}

// QueryState is one catalogue query's outcome for this host.
type QueryState struct {
	State State `json:"state"`
	Rows  int   `json:"rows"`
	// Reason is the error (or why it did not apply / did not run).
	Reason string `json:"reason,omitempty"`
}

// Known reports whether the section was collected.
func (o Origin) Known() bool { return o.State == StateOK }

// Section is a list of facts of one kind with its origin.
type Section[T any] struct {
	Origin
	Items []T `json:"items"`
}

// Document is everything known about one device.
type Document struct {
	SchemaVersion string `json:"schema_version"`
	// Host names the device as the input named it (hostIdentifier, bundle host).
	Host string `json:"host"`
	// CollectedAt is the unix time of the newest result used; 0 when unknown.
	CollectedAt int64 `json:"collected_at"`
	// Decorations are osquery decorations seen with the results (host_uuid, ...).
	Decorations map[string]string `json:"decorations,omitempty"`
	// Queries records, for every catalogue query of the host's platform, whether
	// it answered: a check that reads one query's rows asks here first.
	Queries map[string]QueryState `json:"queries"`
	// Notes are document-level remarks from the translator (results for
	// queries the catalogue does not know, ...).
	Notes []string `json:"notes,omitempty"`

	OS       OS       `json:"os"`
	Hardware Hardware `json:"hardware"`
	Firmware Firmware `json:"firmware"`
	Clock    Clock    `json:"clock"`
	Osquery  Osquery  `json:"osquery"`

	// Packages holds installed software from every package table; PackageSources
	// records, per source table (deb, rpm, apps, programs, homebrew, chocolatey,
	// package_receipts, npm, ...), whether it was collected.
	Packages       Section[Package]  `json:"packages"`
	PackageSources map[string]Origin `json:"package_sources,omitempty"`

	Services Section[Service] `json:"services"`
	// ServiceSources records, per service manager (systemd, windows, launchd),
	// whether it was collected.
	ServiceSources map[string]Origin `json:"service_sources,omitempty"`

	Processes      Section[Process]       `json:"processes"`
	Users          Section[User]          `json:"users"`
	Groups         Section[Group]         `json:"groups"`
	Memberships    Section[Membership]    `json:"memberships"`
	Shadow         Section[ShadowEntry]   `json:"shadow"`
	Sudoers        Section[SudoRule]      `json:"sudoers"`
	ListeningPorts Section[ListeningPort] `json:"listening_ports"`
	// HostNetNamespace is the network namespace of pid 1 (Linux), used to tell
	// host listeners from container ones; empty when unknown.
	HostNetNamespace string `json:"host_net_namespace,omitempty"`
	// HostNetNamespaceOrigin says whether the pid 1 namespace was collected.
	HostNetNamespaceOrigin Origin `json:"host_net_namespace_origin"`

	Firewall Firewall `json:"firewall"`

	Sysctls          Section[Sysctl]          `json:"sysctls"`
	ConfigNodes      Section[ConfigNode]      `json:"config_nodes"`
	Registry         Section[RegistryValue]   `json:"registry"`
	Files            Section[FileStat]        `json:"files"`
	Plist            Section[PlistValue]      `json:"plist"`
	ManagedPolicies  Section[ManagedPolicy]   `json:"managed_policies"`
	SIP              Section[SIPFlag]         `json:"sip"`
	Gatekeeper       Gatekeeper               `json:"gatekeeper"`
	Sharing          Sharing                  `json:"sharing"`
	SecureBoot       SecureBoot               `json:"secure_boot"`
	Hotfixes         Section[Hotfix]          `json:"hotfixes"`
	UpdateHistory    Section[Update]          `json:"update_history"`
	SecurityProducts Section[SecurityProduct] `json:"security_products"`
	SecurityCenter   SecurityCenter           `json:"security_center"`
	// SecurityProfile is the Windows local security policy (security_profile_info).
	SecurityProfile  SecurityProfile          `json:"security_profile"`
	OptionalFeatures Section[OptionalFeature] `json:"optional_features"`
	Repositories     Section[Repository]      `json:"repositories"`
	// RepositorySources records, per repository kind (apt, yum), whether it
	// was collected.
	RepositorySources map[string]Origin    `json:"repository_sources,omitempty"`
	Certificates      Section[Certificate] `json:"certificates"`

	// Custom holds, per custom check id, the rows of that check's query
	// (policy custom_checks); absent when the policy defines none.
	Custom map[string]Section[map[string]string] `json:"custom,omitempty"`

	// Attestation and Inventory are records from outside the device (policy issue);
	// nil when none was supplied.
	Attestation *Attestation     `json:"attestation,omitempty"`
	Inventory   *InventoryRecord `json:"inventory,omitempty"`

	// ExternalVerdicts holds, per check id, a verdict graded on the host by
	// someone else (a Fleet policy reading the miccmac extension's
	// miccmac_checks table); the engine uses it instead of its own
	// evaluator. Absent when the input carried none.
	ExternalVerdicts map[string]ExternalVerdict `json:"external_verdicts,omitempty"`
}

// OS family values, derived from os_version.platform and platform_like.
const (
	FamilyDebian  = "debian"  // Debian, Ubuntu and derivatives
	FamilyRHEL    = "rhel"    // RHEL, CentOS, Rocky, Alma, Oracle, Fedora
	FamilySUSE    = "suse"    // SLES, openSUSE
	FamilyAmazon  = "amazon"  // Amazon Linux
	FamilyDarwin  = "darwin"  // macOS
	FamilyWindows = "windows" // Windows client and server
	FamilyUnknown = "unknown" // anything else: never graded as another family
)

// OS describes the operating system (os_version).
type OS struct {
	Origin
	Name         string `json:"name"`
	Version      string `json:"version"`
	Major        *int64 `json:"major"`
	Minor        *int64 `json:"minor"`
	Patch        *int64 `json:"patch"`
	Build        string `json:"build"`
	Revision     *int64 `json:"revision"`
	Platform     string `json:"platform"`
	PlatformLike string `json:"platform_like"`
	Codename     string `json:"codename"`
	Arch         string `json:"arch"`
	// Family is one of the Family* constants.
	Family string `json:"family"`
	// Kind is "linux", "darwin", "windows" or "unknown".
	Kind string `json:"kind"`
	// VersionDerived is true when Major/Minor were parsed from Version because
	// osquery gave -1 or nothing.
	VersionDerived bool `json:"version_derived,omitempty"`
	// InstallDate is the unix time the OS was installed (Windows); nil when unknown.
	InstallDate *int64 `json:"install_date,omitempty"`
}

// Hardware describes the device (system_info).
type Hardware struct {
	Origin
	Vendor       string `json:"vendor"`
	Model        string `json:"model"`
	Serial       string `json:"serial"`
	UUID         string `json:"uuid"`
	Hostname     string `json:"hostname"`
	ComputerName string `json:"computer_name"`
	// Board* describe the mainboard; some vendors put the real serial only there.
	BoardVendor string `json:"board_vendor,omitempty"`
	BoardModel  string `json:"board_model,omitempty"`
	BoardSerial string `json:"board_serial,omitempty"`
}

// Firmware describes the BIOS/UEFI firmware (platform_info).
type Firmware struct {
	Origin
	Vendor  string `json:"vendor"`
	Version string `json:"version"`
	// DateRaw is the firmware date as osquery gave it.
	DateRaw string `json:"date_raw"`
	// Date is the parsed release date (YYYY-MM-DD); empty when unparseable.
	Date string `json:"date,omitempty"`
	// Type is the firmware type osquery reports (uefi, bios, ...).
	Type string `json:"type,omitempty"`
}

// Clock is the device's own clock (time table).
type Clock struct {
	Origin
	UnixTime *int64 `json:"unix_time"`
}

// Osquery describes the osquery agent itself.
type Osquery struct {
	Origin
	Version string `json:"version"`
	// Flags holds osquery_flags name -> value for the flags the catalogue reads.
	Flags map[string]string `json:"flags,omitempty"`
	// FlagsOrigin says whether osquery_flags was collected.
	FlagsOrigin Origin `json:"flags_origin"`
	// Schedule is osquery_schedule.
	Schedule Section[ScheduledQuery] `json:"schedule"`
}

// ScheduledQuery is one osquery_schedule row.
type ScheduledQuery struct {
	Name         string `json:"name"`
	Interval     *int64 `json:"interval"`
	Executions   *int64 `json:"executions"`
	LastExecuted *int64 `json:"last_executed"`
	Denylisted   *bool  `json:"denylisted"`
}

// Package is one installed (or listed) software package.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Source is the package table: deb, rpm, apps, programs, homebrew,
	// chocolatey, package_receipts, npm, ...
	Source string `json:"source"`
	Arch   string `json:"arch,omitempty"`
	// Status is the raw status (dpkg "install ok installed"); empty when absent.
	Status string `json:"status,omitempty"`
	// Installed is false for removed-but-listed packages (dpkg config-files,
	// not-installed); true otherwise; nil is never used for packages.
	Installed bool `json:"installed"`
	// Broken marks dpkg half-installed/half-configured/unpacked states.
	Broken bool `json:"broken,omitempty"`
	// StatusUnknown is true when the table had no status column (old osquery).
	StatusUnknown bool   `json:"status_unknown,omitempty"`
	InstallTime   *int64 `json:"install_time"`
	// Publisher is the vendor/publisher/maintainer where the table has one.
	Publisher string `json:"publisher,omitempty"`
	// Identifier is a bundle id, package id or MSI product code where present.
	Identifier string `json:"identifier,omitempty"`
}

// Service is one system service: a systemd unit, a launchd job or a Windows service.
type Service struct {
	Name string `json:"name"`
	// Manager is systemd, launchd or windows.
	Manager string `json:"manager"`
	// Enabled: starts at boot; nil when the table could not say.
	Enabled *bool `json:"enabled"`
	// Running: active now; nil when unknown.
	Running *bool `json:"running"`
	// Raw states as osquery gave them.
	ActiveState   string `json:"active_state,omitempty"`
	SubState      string `json:"sub_state,omitempty"`
	UnitFileState string `json:"unit_file_state,omitempty"`
	StartType     string `json:"start_type,omitempty"`
	Status        string `json:"status,omitempty"`
	Path          string `json:"path,omitempty"`
	// DisplayName is the Windows service display name.
	DisplayName string `json:"display_name,omitempty"`
	// RuntimeOnly marks systemd enabled-runtime (not persistent across reboot).
	RuntimeOnly bool `json:"runtime_only,omitempty"`
}

// Process is one running process.
type Process struct {
	PID     *int64 `json:"pid"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	Cmdline string `json:"cmdline,omitempty"`
}

// User is one local account. On Windows SID holds users.uuid.
type User struct {
	UID       *int64 `json:"uid"`
	GID       *int64 `json:"gid"`
	Username  string `json:"username"`
	SID       string `json:"sid,omitempty"`
	Shell     string `json:"shell,omitempty"`
	Directory string `json:"directory,omitempty"`
	Type      string `json:"type,omitempty"`
}

// Group is one local group. On Windows SID holds groups.group_sid.
type Group struct {
	GID  *int64 `json:"gid"`
	Name string `json:"name"`
	SID  string `json:"sid,omitempty"`
}

// Membership links a user to a group (user_groups).
type Membership struct {
	UID *int64 `json:"uid"`
	GID *int64 `json:"gid"`
}

// ShadowEntry is one /etc/shadow row (Linux).
type ShadowEntry struct {
	Username string `json:"username"`
	// PasswordStatus is osquery's: active, locked, empty, not_set.
	PasswordStatus string `json:"password_status"`
	HashAlg        string `json:"hash_alg,omitempty"`
	// LastChange is the day (since 1970-01-01) the password last changed; nil when unknown.
	LastChange *int64 `json:"last_change"`
}

// SudoRule is one sudoers line.
type SudoRule struct {
	Source      string `json:"source"`
	Header      string `json:"header"`
	RuleDetails string `json:"rule_details"`
}

// ListeningPort is one listening socket.
type ListeningPort struct {
	PID          *int64 `json:"pid"`
	Port         *int64 `json:"port"`
	Protocol     *int64 `json:"protocol"`
	Family       *int64 `json:"family"`
	Address      string `json:"address"`
	NetNamespace string `json:"net_namespace,omitempty"`
	ProcessName  string `json:"process_name,omitempty"`
	ProcessPath  string `json:"process_path,omitempty"`
}

// Firewall holds the host firewall state from every platform's sources.
type Firewall struct {
	// Linux: ufw ENABLED from /etc/ufw/ufw.conf (augeas); nil when unknown.
	UFWEnabled *bool  `json:"ufw_enabled"`
	UFWOrigin  Origin `json:"ufw_origin"`
	// Linux: iptables chains with their policies.
	Iptables Section[IptablesRule] `json:"iptables"`
	// macOS: alf.global_state (0 off, 1 on for specific services, 2 essential only).
	ALFGlobalState *int64 `json:"alf_global_state"`
	ALFStealth     *int64 `json:"alf_stealth"`
	ALFOrigin      Origin `json:"alf_origin"`
	// Windows: profiles read from the registry (policy keys first).
	Profiles Section[FirewallProfile] `json:"profiles"`
	// Windows: enabled inbound Allow rules (windows_firewall_rules).
	InboundAllow Section[FirewallRule] `json:"inbound_allow"`
}

// IptablesRule is one iptables row.
type IptablesRule struct {
	Table    string `json:"table"`
	Chain    string `json:"chain"`
	Policy   string `json:"policy"`
	Target   string `json:"target"`
	Protocol *int64 `json:"protocol"`
	DstPort  string `json:"dst_port"`
}

// FirewallProfile is one Windows firewall profile (Domain, Private/Standard, Public).
type FirewallProfile struct {
	Profile string `json:"profile"`
	Enabled *bool  `json:"enabled"`
	// Source is "policy" (Group Policy/MDM) or "local".
	Source string `json:"source"`
}

// FirewallRule is one enabled inbound Allow rule of Windows Defender Firewall,
// values as osquery reports them.
type FirewallRule struct {
	Name string `json:"name"`
	// Protocol is "TCP", "UDP", "Any", or "" for another protocol (ICMP).
	Protocol string `json:"protocol"`
	// LocalPorts is a list of ports, ranges and keywords: "445", "135,139",
	// "49152-65535", "*"/"Any", "RPC", "RPC-EPMap".
	LocalPorts      string `json:"local_ports"`
	RemoteAddresses string `json:"remote_addresses"`
	// Profiles names the profiles the rule applies to (Domain, Private,
	// Public); nil when osquery reported none of the profile columns.
	Profiles []string `json:"profiles"`
	// App is the program the rule is limited to ("" for any program).
	App     string `json:"app"`
	Service string `json:"service"`
}

// Sysctl is one kernel parameter.
type Sysctl struct {
	Name         string `json:"name"`
	CurrentValue string `json:"current_value"`
	ConfigValue  string `json:"config_value,omitempty"`
}

// ConfigNode is one augeas node from a configuration file.
type ConfigNode struct {
	Path  string `json:"path"`
	Node  string `json:"node"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// RegistryValue is one Windows registry value.
type RegistryValue struct {
	Key  string `json:"key"`
	Path string `json:"path"`
	Name string `json:"name"`
	Type string `json:"type"`
	Data string `json:"data"`
}

// FileStat is the metadata of one file the catalogue looks at (stamps, state files).
type FileStat struct {
	Path  string `json:"path"`
	Type  string `json:"type"`
	Size  *int64 `json:"size"`
	Mtime *int64 `json:"mtime"`
	UID   *int64 `json:"uid"`
	Mode  string `json:"mode"`
}

// PlistValue is one plist key (macOS).
type PlistValue struct {
	Path   string `json:"path"`
	Key    string `json:"key"`
	Subkey string `json:"subkey,omitempty"`
	Value  string `json:"value"`
}

// ManagedPolicy is one preference from an installed configuration profile
// (macOS managed_policies).
type ManagedPolicy struct {
	Domain   string `json:"domain"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	Username string `json:"username,omitempty"`
	// Manual is true for a profile installed by hand (managed_policies.manual,
	// the profile's _manualProfile key), false for one MDM delivered; nil when
	// the column was not collected.
	Manual *bool `json:"manual"`
}

// SIPFlag is one System Integrity Protection flag (macOS sip_config).
type SIPFlag struct {
	Flag    string `json:"flag"`
	Enabled *bool  `json:"enabled"`
}

// Gatekeeper is macOS Gatekeeper state.
type Gatekeeper struct {
	Origin
	AssessmentsEnabled *bool `json:"assessments_enabled"`
	DevIDEnabled       *bool `json:"dev_id_enabled"`
}

// Sharing is macOS sharing_preferences; nil values are unknown.
type Sharing struct {
	Origin
	Values map[string]*int64 `json:"values,omitempty"`
}

// SecureBoot is the secureboot table.
type SecureBoot struct {
	Origin
	Enabled   *bool `json:"enabled"`
	SetupMode *bool `json:"setup_mode"`
	// SecureMode is the Intel Mac secure mode (0 off, 1 full, 2 medium); nil elsewhere.
	SecureMode *int64 `json:"secure_mode,omitempty"`
	// Description is the Apple silicon boot policy ("Full Security", ...).
	Description string `json:"description,omitempty"`
}

// Hotfix is one Windows hotfix (patches).
type Hotfix struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	// InstalledOnRaw is the text osquery gave.
	InstalledOnRaw string `json:"installed_on_raw"`
	// InstalledOn is the parsed date (YYYY-MM-DD), empty when absent or ambiguous.
	InstalledOn string `json:"installed_on,omitempty"`
	// DateConfidence explains how InstalledOn was read ("unambiguous",
	// "assumed M/D/YYYY", "filetime", "ambiguous", "missing").
	DateConfidence string `json:"date_confidence"`
	// Installed is always true: every hotfix Windows lists is installed,
	// whatever its date says.
	Installed bool `json:"installed"`
}

// Update is one windows_update_history entry.
type Update struct {
	Title      string `json:"title"`
	Date       *int64 `json:"date"`
	ResultCode *int64 `json:"result_code"`
	Operation  string `json:"operation,omitempty"`
	// Result is the raw result_code text (a number, or a name such as "Succeeded").
	Result   string `json:"result,omitempty"`
	UpdateID string `json:"update_id,omitempty"`
}

// SecurityProduct is one windows_security_products row.
type SecurityProduct struct {
	Type               string `json:"type"`
	Name               string `json:"name"`
	State              string `json:"state"`
	SignaturesUpToDate *bool  `json:"signatures_up_to_date"`
}

// SecurityCenter is windows_security_center; values are raw ("Good", "Poor",
// "Snoozed", "Expired", "Error" ...). "Error" means unsupported (Server SKUs).
type SecurityCenter struct {
	Origin
	Firewall           string `json:"firewall"`
	Autoupdate         string `json:"autoupdate"`
	Antivirus          string `json:"antivirus"`
	InternetSettings   string `json:"internet_settings"`
	Service            string `json:"windows_security_center_service"`
	UserAccountControl string `json:"user_account_control"`
	Antispyware        string `json:"antispyware"`
}

// SecurityProfile is Windows security_profile_info: the local security policy
// as secedit exports it. Nil values are unknown: osquery gave no row, or the
// setting is not defined (-1) in the profile.
type SecurityProfile struct {
	Origin
	// AdminAccountEnabled says whether the built-in Administrator (RID 500) is enabled.
	AdminAccountEnabled *bool `json:"admin_account_enabled"`
	// GuestAccountEnabled says whether the built-in Guest (RID 501) is enabled.
	GuestAccountEnabled *bool `json:"guest_account_enabled"`
	// AdministratorName and GuestName are the built-in accounts' current names.
	AdministratorName string `json:"administrator_name,omitempty"`
	GuestName         string `json:"guest_name,omitempty"`
	// Password policy: lengths in characters, ages in days, history in passwords.
	MinPasswordLength   *int64 `json:"min_password_length"`
	MinPasswordAge      *int64 `json:"min_password_age"`
	MaxPasswordAge      *int64 `json:"max_password_age"`
	PasswordComplexity  *bool  `json:"password_complexity"`
	PasswordHistorySize *int64 `json:"password_history_size"`
	// LockoutBadCount is the failed logons before lockout (0 = never locks).
	LockoutBadCount *int64 `json:"lockout_bad_count"`
	// ClearTextPassword: passwords stored with reversible encryption.
	ClearTextPassword *bool `json:"clear_text_password"`
	// LSAAnonymousNameLookup: anonymous SID/name translation allowed.
	LSAAnonymousNameLookup *bool `json:"lsa_anonymous_name_lookup"`
	// Audit holds the audit policy per category (system_events, logon_events,
	// object_access, privilege_use, policy_change, account_manage,
	// process_tracking, ds_access, account_logon): 0 none, 1 success,
	// 2 failure, 3 both; nil when not defined.
	Audit map[string]*int64 `json:"audit,omitempty"`
}

// OptionalFeature is one windows_optional_features row (state 1 = enabled).
type OptionalFeature struct {
	Name  string `json:"name"`
	State *int64 `json:"state"`
}

// Repository is one package repository (apt_sources, yum_sources).
type Repository struct {
	// Kind is apt or yum.
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	BaseURI string `json:"base_uri"`
	Release string `json:"release,omitempty"`
	// Components are the apt components (main, universe, ...).
	Components string `json:"components,omitempty"`
	// Enabled is nil for apt (always enabled when listed).
	Enabled *bool  `json:"enabled"`
	Source  string `json:"source,omitempty"`
}

// Certificate is one certificate from a store or keychain.
type Certificate struct {
	CommonName       string `json:"common_name"`
	Subject          string `json:"subject,omitempty"`
	Issuer           string `json:"issuer,omitempty"`
	CA               *bool  `json:"ca"`
	SelfSigned       *bool  `json:"self_signed"`
	NotValidBefore   *int64 `json:"not_valid_before"`
	NotValidAfter    *int64 `json:"not_valid_after"`
	SigningAlgorithm string `json:"signing_algorithm,omitempty"`
	KeyAlgorithm     string `json:"key_algorithm,omitempty"`
	KeyStrength      *int64 `json:"key_strength"`
	Path             string `json:"path,omitempty"`
	Store            string `json:"store,omitempty"`
	SHA1             string `json:"sha1,omitempty"`
	// StoreLocation and Username are Windows store details (LocalMachine,
	// CurrentUser, Services ... and the owning account).
	StoreLocation string `json:"store_location,omitempty"`
	Username      string `json:"username,omitempty"`
	Serial        string `json:"serial,omitempty"`
}

// Attestation holds facts the device cannot see, supplied by the organisation.
type Attestation struct {
	// Source names the file the attestation came from.
	Source string `json:"source"`
	// Binding says which device the record names and whether it matched.
	Binding Binding `json:"binding"`
	// ValidUntil is the record's expiry (YYYY-MM-DD or RFC 3339); empty when none.
	ValidUntil string `json:"valid_until,omitempty"`

	IdentityAwareAccess  *bool                `json:"identity_aware_access,omitempty"`
	BusinessOwner        *Assignee            `json:"business_owner,omitempty"`
	SystemAdministrator  *Assignee            `json:"system_administrator,omitempty"`
	BusinessPurpose      *BusinessPurpose     `json:"business_purpose,omitempty"`
	VulnerabilityScan    *PeriodicActivity    `json:"vulnerability_scanning,omitempty"`
	ComplianceAssessment *PeriodicActivity    `json:"compliance_assessment,omitempty"`
	FindingRemediation   *RemediationTracking `json:"finding_remediation_sla,omitempty"`
	FirmwareCurrency     *FirmwareCurrency    `json:"firmware_currency,omitempty"`
}

// Binding ties an external record to one device.
type Binding struct {
	Serial   string `json:"serial,omitempty"`
	UUID     string `json:"uuid,omitempty"`
	Hostname string `json:"hostname,omitempty"`
}

// Assignee is an accountable person or team.
type Assignee struct {
	Assigned bool   `json:"assigned"`
	Name     string `json:"name"`
}

// BusinessPurpose documents why the device exists and what data it handles.
type BusinessPurpose struct {
	Documented         bool   `json:"documented"`
	DataClassification string `json:"data_classification"`
}

// PeriodicActivity is a scan or assessment done on a schedule.
type PeriodicActivity struct {
	Performed bool `json:"performed"`
	// Last is the date of the last run (YYYY-MM-DD or RFC 3339).
	Last         string `json:"last"`
	IntervalDays *int64 `json:"interval_days"`
}

// RemediationTracking says whether findings are tracked against an SLA.
type RemediationTracking struct {
	Tracked bool   `json:"tracked"`
	SLADays *int64 `json:"sla_days"`
}

// FirmwareCurrency is the organisation's statement on firmware.
type FirmwareCurrency struct {
	Current bool   `json:"current"`
	Checked string `json:"checked,omitempty"`
}

// InventoryRecord is the device's asset-inventory (CMDB) record.
type InventoryRecord struct {
	Source       string  `json:"source"`
	Binding      Binding `json:"binding"`
	ValidUntil   string  `json:"valid_until,omitempty"`
	DeviceID     string  `json:"device_id"`
	Tracked      bool    `json:"tracked"`
	LastReviewed string  `json:"last_reviewed"`
}

// External verdict statuses (ExternalVerdict.Status).
const (
	// VerdictPass: the external grader answered and the check passed.
	VerdictPass = "pass"
	// VerdictFail: the external grader answered and the check did not pass.
	VerdictFail = "fail"
	// VerdictError: the external grader's query ran and failed (no answer).
	VerdictError = "error"
	// VerdictNotApplicable: the grader does not target this host's platform.
	VerdictNotApplicable = "not_applicable"
	// VerdictUnknown: the grader has no answer from the host yet.
	VerdictUnknown = "unknown"
)

// ExternalVerdict is one check's verdict as an external grader reported it.
type ExternalVerdict struct {
	// Status is one of the Verdict* values.
	Status string `json:"status"`
	// Detail says why (the query error, the platform mismatch, ...).
	Detail string `json:"detail,omitempty"`
	// Source names the grader, e.g. "Fleet policy 13 'miccmac CUR-01 OS current'".
	Source string `json:"source"`
	// Stale is true when the answer is old at report time (host offline or
	// missing, last seen long before); StaleReason then says how old.
	Stale       bool   `json:"stale,omitempty"`
	StaleReason string `json:"stale_reason,omitempty"`
	// SeenTime is when the host last checked in with the grader (RFC 3339), "" when unknown.
	SeenTime string `json:"seen_time,omitempty"`
}
