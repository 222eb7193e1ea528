package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// policyFlags are the flags that bring organisation input into a report.
func policyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "policy", Usage: "organisation policy `FILE` (YAML) over the built-in defaults"},
		&cli.StringFlag{Name: "attestation", Usage: "attestation `FILE` (YAML/JSON): owner, administrator, purpose, scans, SLAs, firmware"},
		&cli.StringFlag{Name: "inventory", Usage: "asset-inventory record `FILE` (YAML/JSON): device_id, tracked, last_reviewed"},
	}
}

// loadPolicy reads --policy (or the defaults).
func loadPolicy(c *cli.Context) (*policy.Policy, error) {
	path := c.String("policy")
	if path == "" {
		return policy.Default(), nil
	}
	p, err := policy.Load(path, engine.CanonicalIDs())
	if err != nil {
		return nil, cli.Exit(err.Error(), exitBadInput)
	}
	return p, nil
}

// loadRecords reads --attestation and --inventory.
func loadRecords(c *cli.Context) (*facts.Attestation, *facts.InventoryRecord, error) {
	var a *facts.Attestation
	var r *facts.InventoryRecord
	var err error
	if p := c.String("attestation"); p != "" {
		if a, err = policy.LoadAttestation(p); err != nil {
			return nil, nil, cli.Exit(err.Error(), exitBadInput)
		}
	}
	if p := c.String("inventory"); p != "" {
		if r, err = policy.LoadInventory(p); err != nil {
			return nil, nil, cli.Exit(err.Error(), exitBadInput)
		}
	}
	return a, r, nil
}

func policyCommand() *cli.Command {
	return &cli.Command{
		Name:  "policy",
		Usage: "inspect the organisation policy",
		Subcommands: []*cli.Command{{
			Name:  "show",
			Usage: "print the effective policy (defaults overridden by --policy FILE) and its hash",
			Flags: []cli.Flag{&cli.StringFlag{Name: "policy", Usage: "policy `FILE`"}},
			Action: func(c *cli.Context) error {
				p, err := loadPolicy(c)
				if err != nil {
					return err
				}
				src := p.Source
				if src == "" {
					src = "built-in defaults"
				}
				fmt.Fprintf(c.App.Writer, "# effective policy from %s, hash %s\n", src, p.Hash())
				enc := yaml.NewEncoder(c.App.Writer)
				enc.SetIndent(2)
				if err := enc.Encode(p); err != nil {
					return err
				}
				return enc.Close()
			},
		}},
	}
}
