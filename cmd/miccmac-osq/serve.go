package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/extension"
)

// exitExtension is the exit code when the extension cannot start or loses
// osquery; osqueryd's watcher restarts an autoloaded extension that exits.
const exitExtension = 1

// extensionFlags are the root-level flags osquery passes an autoloaded
// extension (--socket PATH --timeout N --interval N [--verbose]; --flag=value
// and -flag value work too), plus --spec.
func extensionFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "socket", Usage: "serve the osquery extension on osquery's extension manager socket `PATH` (osquery passes it)"},
		&cli.IntFlag{Name: "timeout", Value: 3, Usage: "`SECONDS` to wait for the osquery socket at start-up"},
		&cli.IntFlag{Name: "interval", Value: 3, Usage: "`SECONDS` between pings of osquery; the extension exits within one interval after osquery goes away"},
		&cli.BoolFlag{Name: "verbose", Usage: "log at debug level (stderr)"},
		&cli.BoolFlag{Name: "spec", Usage: "print the extension tables' osquery spec JSON and exit"},
	}
}

// runExtension serves miccmac_checks and miccmac_readiness until osquery goes
// away (exit 1) or the process is told to stop (exit 0).
func runExtension(c *cli.Context) error {
	opts, err := extensionOptions(c, os.Getenv)
	if err != nil {
		return cli.Exit(err.Error(), exitBadInput)
	}
	// The Thrift server logs through slog's default logger: keep it in ours.
	slog.SetDefault(opts.Logger)
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := extension.Run(ctx, opts); err != nil {
		return cli.Exit(err.Error(), exitExtension)
	}
	return nil
}

// printSpec prints the tables' spec JSON.
func printSpec(c *cli.Context) error {
	b, err := extension.SpecJSON()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "%s\n", b)
	return err
}

// extensionOptions builds the extension's options from the flags and the
// environment: MICCMAC_CACHE_TTL (0 disables the cache), MICCMAC_QUERY_TIMEOUT
// and MICCMAC_COLLECT_TIMEOUT, each a Go duration ("90s") or whole seconds.
func extensionOptions(c *cli.Context, getenv func(string) string) (extension.Options, error) {
	opts := extension.Options{
		Socket:   c.String("socket"),
		Timeout:  time.Duration(c.Int("timeout")) * time.Second,
		Interval: time.Duration(c.Int("interval")) * time.Second,
		Verbose:  c.Bool("verbose"),
		Version:  version,
		// The policy, attestation and inventory files of policy.Dir() or the
		// MICCMAC_* variables, re-read on every assessment.
		ConfigSource: extension.DeviceConfig,
	}
	if c.Int("timeout") < 0 || c.Int("interval") < 0 {
		return opts, fmt.Errorf("--timeout and --interval are whole seconds >= 0 (got %d and %d)", c.Int("timeout"), c.Int("interval"))
	}
	for _, e := range []struct {
		name string
		dst  *time.Duration
	}{
		{"MICCMAC_CACHE_TTL", &opts.CacheTTL},
		{"MICCMAC_QUERY_TIMEOUT", &opts.QueryTimeout},
		{"MICCMAC_COLLECT_TIMEOUT", &opts.CollectTimeout},
	} {
		v := strings.TrimSpace(getenv(e.name))
		if v == "" {
			continue
		}
		d, err := parseSeconds(v)
		if err != nil {
			return opts, fmt.Errorf("%s=%q: %v", e.name, v, err)
		}
		*e.dst = d
	}
	if v := strings.TrimSpace(getenv("MICCMAC_CACHE_TTL")); v != "" && opts.CacheTTL == 0 {
		opts.CacheTTL = -1 // explicit 0: no cache
	}
	opts.Logger = extension.NewLogger(c.App.ErrWriter, opts.Verbose)
	return opts, nil
}

// parseSeconds reads a non-negative Go duration or a whole number of seconds.
func parseSeconds(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("want a duration >= 0")
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30s or a whole number of seconds")
	}
	if d < 0 {
		return 0, fmt.Errorf("want a duration >= 0")
	}
	return d, nil
}
