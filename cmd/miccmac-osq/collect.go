package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/engine/report"
	"github.com/miccmac/miccmac-osq/extension"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/translator"
)

// liveFlags are the flags of report and collect that choose a live source.
func liveFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "osqueryi", Usage: "osqueryi binary for live collection (default: osqueryi on PATH)"},
		&cli.StringFlag{Name: "socket", Usage: "collect through a running osqueryd's extension socket at `PATH` instead of osqueryi"},
		&cli.DurationFlag{Name: "query-timeout", Value: 60 * time.Second, Usage: "per-query timeout for live collection"},
	}
}

// noOsqueryHelp is printed when neither osqueryi nor a socket can be used.
const noOsqueryHelp = `no osquery found for live collection.
  - install osquery (https://osquery.io/downloads) so that osqueryi is on PATH, or pass --osqueryi PATH;
  - or point at a running osqueryd: --socket /var/osquery/osquery.em;
  - or score saved output: miccmac-osq report --input results.log (an osqueryd result log of the
    miccmac pack, or a bundle written by miccmac-osq collect).`

// liveCollect runs the catalogue on this machine through osqueryi or a socket.
func liveCollect(c *cli.Context, catalog []queries.Query) (*queries.HostResults, error) {
	runner, source, closeFn, err := liveRunner(c)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	timeout := c.Duration("query-timeout")
	pctx, cancel := context.WithTimeout(ctx, timeout)
	platform, hostname, err := queries.DetectPlatform(pctx, runner)
	cancel()
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("%s: cannot read the platform from osquery: %v", source, err), exitBadInput)
	}
	if hostname == "" {
		hostname, _ = os.Hostname()
	}
	opts := queries.CollectOptions{QueryTimeout: timeout}
	if isTerminal(c.App.ErrWriter) {
		opts.Progress = func(done, total int, name string) {
			if name == "" {
				fmt.Fprintf(c.App.ErrWriter, "\rcollected %d/%d queries%-30s\n", done, total, "")
				return
			}
			fmt.Fprintf(c.App.ErrWriter, "\rcollecting %d/%d %-30s", done+1, total, name)
		}
	}
	h := queries.Collect(ctx, runner, catalog, platform, hostname, source, opts)
	if ctx.Err() != nil {
		return nil, cli.Exit("collection interrupted: "+ctx.Err().Error(), exitBadInput)
	}
	return h, nil
}

func liveRunner(c *cli.Context) (queries.Runner, string, func(), error) {
	if sock := c.String("socket"); sock != "" {
		r, err := newSocketRunner(sock, c.Duration("query-timeout"))
		if err != nil {
			return nil, "", nil, cli.Exit(fmt.Sprintf("--socket %s: osqueryd does not answer there: %v (is osqueryd running with --extensions_socket=%s?)", sock, err, sock), exitBadInput)
		}
		return r, "osqueryd " + sock, r.Close, nil
	}
	path := c.String("osqueryi")
	if path == "" {
		p, err := exec.LookPath("osqueryi")
		if err != nil {
			return nil, "", nil, cli.Exit(noOsqueryHelp, exitBadInput)
		}
		path = p
	} else if _, err := os.Stat(path); err != nil {
		return nil, "", nil, cli.Exit(fmt.Sprintf("--osqueryi %s: %v\n%s", path, err, noOsqueryHelp), exitBadInput)
	}
	return queries.OsqueryiRunner{Path: path}, "osqueryi", func() {}, nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func collectCommand() *cli.Command {
	return &cli.Command{
		Name:      "collect",
		Usage:     "run the query catalogue on this machine and save the raw rows as a capture bundle",
		UsageText: "miccmac-osq collect --output bundle.json [--osqueryi PATH | --socket PATH]",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "bundle `FILE` to write (atomically); - for stdout"},
			&cli.StringFlag{Name: "policy", Usage: "policy `FILE` whose custom checks' queries are collected too"},
		}, liveFlags()...),
		Action: func(c *cli.Context) error {
			pol, err := loadPolicy(c)
			if err != nil {
				return err
			}
			h, err := liveCollect(c, pol.Catalog(queries.MustBuiltin()))
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := translator.WriteBundle(&buf, h); err != nil {
				return cli.Exit(err.Error(), exitBadInput)
			}
			failed := 0
			for _, name := range sortedKeys(h.Results) {
				if r := h.Results[name]; r.Status == queries.StatusError {
					failed++
					fmt.Fprintf(c.App.ErrWriter, "warning: query %s failed: %s\n", name, r.Error)
				}
			}
			if out := c.String("output"); out != "-" {
				if err := report.WriteFileAtomic(out, buf.Bytes()); err != nil {
					return cli.Exit(err.Error(), exitBadInput)
				}
				fmt.Fprintf(c.App.ErrWriter, "wrote %s: %d queries, %d failed\n", out, len(h.Results), failed)
				return nil
			}
			_, err = c.App.Writer.Write(buf.Bytes())
			return err
		},
	}
}

// newSocketRunner connects to a running osqueryd's extension-manager socket;
// it pings once so a wrong path fails before collection starts.
func newSocketRunner(path string, timeout time.Duration) (*extension.Client, error) {
	cl := extension.NewClient(path, timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := cl.Ping(ctx); err != nil {
		cl.Close()
		return nil, err
	}
	return cl, nil
}
