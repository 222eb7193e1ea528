package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/translator"
)

func checksCommand() *cli.Command {
	return &cli.Command{
		Name:  "checks",
		Usage: "list the check catalogue (id, property, title, control references) in property order",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text or json"},
			&cli.StringFlag{Name: "policy", Usage: "policy `FILE` whose custom checks are listed too"},
		},
		Action: func(c *cli.Context) error {
			pol, err := loadPolicy(c)
			if err != nil {
				return err
			}
			cat := engine.CatalogFor(pol)
			switch c.String("format") {
			case "json":
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(cat)
			case "text":
				tw := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tPROPERTY\tTITLE\tIG\tRISK\tNIST 800-53\tCIS v8")
				for _, ci := range cat {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ci.ID, ci.Property, ci.Title, ci.CISIG, ci.Risk,
						strings.Join(ci.Controls.NIST80053, ","), strings.Join(ci.Controls.CISv8, ","))
				}
				return tw.Flush()
			}
			return usageErr("--format %q: want text or json", c.String("format"))
		},
	}
}

func factsCommand() *cli.Command {
	return &cli.Command{
		Name:  "facts",
		Usage: "print the facts document(s) translated from osquery output, as JSON",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "input", Aliases: []string{"i"}, Usage: "osquery output (as for report; repeatable)"},
			&cli.StringFlag{Name: "host", Usage: "only this host"},
			&cli.StringFlag{Name: "policy", Usage: "policy `FILE` whose custom checks' rows are translated too"},
		},
		Action: func(c *cli.Context) error {
			inputs := append(c.StringSlice("input"), c.Args().Slice()...)
			if len(inputs) == 0 {
				return usageErr("no input: give --input FILE")
			}
			pol, err := loadPolicy(c)
			if err != nil {
				return err
			}
			catalog := pol.Catalog(queries.MustBuiltin())
			in, err := readInputs(inputs, c.String("host"), catalog)
			if err != nil {
				return cli.Exit(err.Error(), exitBadInput)
			}
			var docs []any
			for _, h := range in.Hosts {
				if want := c.String("host"); want != "" && h.Host != want {
					continue
				}
				docs = append(docs, translator.ToFacts(h, catalog))
			}
			if len(docs) == 0 {
				return cli.Exit("no host results found in the input", exitBadInput)
			}
			enc := json.NewEncoder(c.App.Writer)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if len(docs) == 1 {
				return enc.Encode(docs[0])
			}
			return enc.Encode(map[string]any{"hosts": docs})
		},
	}
}
