package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/report"
	"github.com/miccmac/miccmac-osq/packs"
	"github.com/miccmac/miccmac-osq/queries"
)

func packCommand() *cli.Command {
	return &cli.Command{
		Name:      "pack",
		Usage:     "write the query catalogue as an osquery pack or Fleet YAML",
		UsageText: "miccmac-osq pack --format osquery|fleet [--output DIR]\n   miccmac-osq pack lint FILE...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "osquery", Usage: "osquery (pack JSON) or fleet (YAML)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the files into `DIR` (default: print to stdout)"},
			&cli.StringFlag{Name: "min-tier", Value: packs.DefaultMinTier, Usage: "tier the Fleet \"Zero Trust ready\" policy requires"},
			&cli.StringFlag{Name: "policy", Usage: "policy `FILE` whose custom checks' queries (and Fleet policies) are added"},
		},
		Action: packAction,
		Subcommands: []*cli.Command{{
			Name:      "lint",
			Usage:     "check osquery pack or Fleet YAML files (platforms, intervals, discovery, tables, columns)",
			ArgsUsage: "FILE...",
			Action:    packLintAction,
		}},
	}
}

func packAction(c *cli.Context) error {
	pol, err := loadPolicy(c)
	if err != nil {
		return err
	}
	catalog := pol.Catalog(queries.MustBuiltin())
	var files map[string][]byte
	switch c.String("format") {
	case "osquery":
		files, err = packs.OsqueryFiles(catalog)
	case "fleet":
		files, err = packs.FleetFiles(catalog, engine.CatalogFor(pol), c.String("min-tier"))
	default:
		return usageErr("--format %q: want osquery or fleet", c.String("format"))
	}
	if err != nil {
		return usageErr("%v", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	dir := c.String("output")
	if dir == "" {
		for _, n := range names {
			if len(names) > 1 {
				fmt.Fprintf(c.App.Writer, "# ---- %s\n", n)
			}
			if _, err := c.App.Writer.Write(files[n]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return cli.Exit(err.Error(), exitBadInput)
	}
	for _, n := range names {
		path := filepath.Join(dir, n)
		if err := report.WriteFileAtomic(path, files[n]); err != nil {
			return cli.Exit(err.Error(), exitBadInput)
		}
		fmt.Fprintln(c.App.ErrWriter, "wrote", path)
	}
	return nil
}

func packLintAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageErr("pack lint: give one or more pack or Fleet YAML files")
	}
	errors := 0
	for _, path := range c.Args().Slice() {
		data, err := os.ReadFile(path)
		if err != nil {
			return cli.Exit(err.Error(), exitBadInput)
		}
		fs, err := packs.Lint(path, data)
		if err != nil {
			return cli.Exit(err.Error(), exitBadInput)
		}
		for _, f := range fs {
			fmt.Fprintf(c.App.Writer, "%s: %s\n", path, f)
			if f.Level == "error" {
				errors++
			}
		}
		if len(fs) == 0 {
			fmt.Fprintf(c.App.Writer, "%s: ok\n", path)
		}
	}
	if errors > 0 {
		return cli.Exit(fmt.Sprintf("%d lint error(s)", errors), exitBelowBar)
	}
	return nil
}
