package policy

import (
	"fmt"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// DeviceFiles is what the extension reads from the device: the policy and the
// optional attestation and inventory record.
type DeviceFiles struct {
	Policy      *Policy
	Attestation *facts.Attestation
	Inventory   *facts.InventoryRecord
}

// LoadDeviceFiles reads the extension's files: each from its environment
// variable (MICCMAC_POLICY, MICCMAC_ATTESTATION, MICCMAC_INVENTORY) or from
// Dir(). A default file that does not exist means "none" (built-in policy, no
// record); a file named by the environment must exist. Every file read must
// pass CheckTrusted: the extension runs as root and its verdicts gate access.
// knownChecks are the check ids a policy may name.
func LoadDeviceFiles(knownChecks []string) (*DeviceFiles, error) {
	out := &DeviceFiles{}
	path, err := deviceFile(EnvPolicy, "policy.yaml")
	if err != nil {
		return nil, err
	}
	if path == "" {
		out.Policy = Default()
	} else if out.Policy, err = Load(path, knownChecks); err != nil {
		return nil, err
	}
	if path, err = deviceFile(EnvAttestation, "attestation.yaml"); err != nil {
		return nil, err
	} else if path != "" {
		if out.Attestation, err = LoadAttestation(path); err != nil {
			return nil, err
		}
	}
	if path, err = deviceFile(EnvInventory, "inventory.yaml"); err != nil {
		return nil, err
	} else if path != "" {
		if out.Inventory, err = LoadInventory(path); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// deviceFile locates one file and checks it may be trusted; "" means absent.
func deviceFile(envVar, name string) (string, error) {
	path, fromEnv, exists := Locate(envVar, name)
	switch {
	case !exists && fromEnv:
		return "", fmt.Errorf("cannot read %s (named by %s): no such file", path, envVar)
	case !exists:
		return "", nil
	}
	if err := CheckTrusted(path); err != nil {
		return "", fmt.Errorf("refusing %s: %w", path, err)
	}
	return path, nil
}
