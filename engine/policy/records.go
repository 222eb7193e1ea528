package policy

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// deviceBinding names the device an external record is about.
type deviceBinding struct {
	Serial   string `yaml:"serial"`
	UUID     string `yaml:"uuid"`
	Hostname string `yaml:"hostname"`
}

type assignee struct {
	Assigned *bool  `yaml:"assigned"`
	Name     string `yaml:"name"`
}

type attestationFile struct {
	Device              deviceBinding `yaml:"device"`
	ValidUntil          string        `yaml:"valid_until"`
	IdentityAwareAccess *bool         `yaml:"identity_aware_access"`
	BusinessOwner       *assignee     `yaml:"business_owner"`
	SystemAdministrator *assignee     `yaml:"system_administrator"`
	BusinessPurpose     *struct {
		Documented         *bool  `yaml:"documented"`
		DataClassification string `yaml:"data_classification"`
	} `yaml:"business_purpose"`
	VulnerabilityScanning *struct {
		Performed    *bool  `yaml:"performed"`
		LastScan     string `yaml:"last_scan"`
		IntervalDays *int64 `yaml:"interval_days"`
	} `yaml:"vulnerability_scanning"`
	ComplianceAssessment *struct {
		Performed      *bool  `yaml:"performed"`
		LastAssessment string `yaml:"last_assessment"`
		IntervalDays   *int64 `yaml:"interval_days"`
	} `yaml:"compliance_assessment"`
	FindingRemediationSLA *struct {
		Tracked *bool  `yaml:"tracked"`
		SLADays *int64 `yaml:"sla_days"`
	} `yaml:"finding_remediation_sla"`
	FirmwareCurrency *struct {
		Current *bool  `yaml:"current"`
		Checked string `yaml:"checked"`
	} `yaml:"firmware_currency"`
}

type inventoryFile struct {
	Device       deviceBinding `yaml:"device"`
	ValidUntil   string        `yaml:"valid_until"`
	DeviceID     string        `yaml:"device_id"`
	Tracked      *bool         `yaml:"tracked"`
	LastReviewed string        `yaml:"last_reviewed"`
}

// LoadAttestation reads an attestation file (YAML or JSON): facts the device
// cannot see, optionally bound to one device and carrying valid_until.
func LoadAttestation(path string) (*facts.Attestation, error) {
	var f attestationFile
	if err := decodeStrict(path, &f); err != nil {
		return nil, err
	}
	a := &facts.Attestation{Source: path, Binding: f.Device.binding(), ValidUntil: f.ValidUntil,
		IdentityAwareAccess: f.IdentityAwareAccess}
	if err := checkDate(path, "valid_until", f.ValidUntil); err != nil {
		return nil, err
	}
	if f.BusinessOwner != nil {
		a.BusinessOwner = &facts.Assignee{Assigned: isTrue(f.BusinessOwner.Assigned), Name: f.BusinessOwner.Name}
	}
	if f.SystemAdministrator != nil {
		a.SystemAdministrator = &facts.Assignee{Assigned: isTrue(f.SystemAdministrator.Assigned), Name: f.SystemAdministrator.Name}
	}
	if p := f.BusinessPurpose; p != nil {
		a.BusinessPurpose = &facts.BusinessPurpose{Documented: isTrue(p.Documented), DataClassification: p.DataClassification}
	}
	if v := f.VulnerabilityScanning; v != nil {
		if err := checkDate(path, "vulnerability_scanning.last_scan", v.LastScan); err != nil {
			return nil, err
		}
		a.VulnerabilityScan = &facts.PeriodicActivity{Performed: isTrue(v.Performed), Last: v.LastScan, IntervalDays: v.IntervalDays}
	}
	if v := f.ComplianceAssessment; v != nil {
		if err := checkDate(path, "compliance_assessment.last_assessment", v.LastAssessment); err != nil {
			return nil, err
		}
		a.ComplianceAssessment = &facts.PeriodicActivity{Performed: isTrue(v.Performed), Last: v.LastAssessment, IntervalDays: v.IntervalDays}
	}
	if v := f.FindingRemediationSLA; v != nil {
		a.FindingRemediation = &facts.RemediationTracking{Tracked: isTrue(v.Tracked), SLADays: v.SLADays}
	}
	if v := f.FirmwareCurrency; v != nil {
		a.FirmwareCurrency = &facts.FirmwareCurrency{Current: isTrue(v.Current), Checked: v.Checked}
	}
	return a, nil
}

// LoadInventory reads an asset-inventory (CMDB) record file (YAML or JSON).
// last_reviewed is kept as written: INV-04 reports an unparseable date as ERROR.
func LoadInventory(path string) (*facts.InventoryRecord, error) {
	var f inventoryFile
	if err := decodeStrict(path, &f); err != nil {
		return nil, err
	}
	if err := checkDate(path, "valid_until", f.ValidUntil); err != nil {
		return nil, err
	}
	if f.Tracked == nil {
		return nil, fmt.Errorf("%s: tracked: missing (true when the device is in the inventory)", path)
	}
	return &facts.InventoryRecord{Source: path, Binding: f.Device.binding(), ValidUntil: f.ValidUntil,
		DeviceID: f.DeviceID, Tracked: *f.Tracked, LastReviewed: f.LastReviewed}, nil
}

// decodeStrict reads a YAML/JSON file into v, rejecting unknown keys and wrong
// types with file:line and the key.
func decodeStrict(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return fmt.Errorf("%s: %s", path, yamlErrText(err))
	}
	if len(root.Content) == 0 {
		return fmt.Errorf("%s: empty file", path)
	}
	lines := map[int]string{}
	if err := checkKeys(path, root.Content[0], reflect.TypeOf(v).Elem(), "", lines); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s", typeErrText(path, err, lines))
	}
	return nil
}

func (d deviceBinding) binding() facts.Binding {
	return facts.Binding{Serial: strings.TrimSpace(d.Serial), UUID: strings.TrimSpace(d.UUID), Hostname: strings.TrimSpace(d.Hostname)}
}

// checkDate accepts an empty value, YYYY-MM-DD or RFC 3339.
func checkDate(path, key, s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return nil
	}
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return nil
	}
	return fmt.Errorf("%s: %s: %q is not a date (want YYYY-MM-DD or RFC 3339)", path, key, s)
}

func isTrue(b *bool) bool { return b != nil && *b }
