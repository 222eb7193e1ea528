// Command miccmac-osq grades a device's MICCMAC Zero Trust readiness from
// osquery output. It runs as an osquery extension (root flags --socket ...),
// or scores saved or live osquery results with `miccmac-osq report`.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes.
const (
	exitOK       = 0
	exitBelowBar = 1 // a host scored below --fail-under
	exitBadInput = 2 // bad usage or unusable input
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run executes the CLI and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	if ec, ok := err.(cli.ExitCoder); ok {
		if msg := ec.Error(); msg != "" {
			fmt.Fprintln(stderr, "miccmac-osq:", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintln(stderr, "miccmac-osq:", err)
	return exitBadInput
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "miccmac-osq",
		Usage:   "MICCMAC Zero Trust readiness from osquery",
		Version: version,
		Description: "Runs as an osquery extension (miccmac-osq.ext --socket PATH) that serves the\n" +
			"miccmac_checks and miccmac_readiness tables, or scores osquery output:\n" +
			"  miccmac-osq report --input results.log",
		Reader:          stdin,
		Writer:          stdout,
		ErrWriter:       stderr,
		Flags:           extensionFlags(),
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {}, // run() prints and maps errors
		// A mistyped flag is a usage error on stderr (exit 2), not a help page
		// on stdout, where it would end up in a redirected report.
		OnUsageError: usageError,
		Action: func(c *cli.Context) error {
			if c.Bool("spec") {
				return printSpec(c)
			}
			if c.String("socket") != "" {
				return runExtension(c)
			}
			if c.Args().Present() {
				return cli.Exit(fmt.Sprintf("unknown command %q (see miccmac-osq --help)", c.Args().First()), exitBadInput)
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			reportCommand(),
			checksCommand(),
			factsCommand(),
			collectCommand(),
			packCommand(),
			policyCommand(),
			versionCommand(),
		},
	}
	setUsageError(app.Commands)
	return app
}

// setUsageError gives every command and subcommand usageError.
func setUsageError(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = usageError
		setUsageError(c.Subcommands)
	}
}

// usageError reports a flag error without printing help.
func usageError(_ *cli.Context, err error, _ bool) error {
	return cli.Exit(err.Error()+" (see --help)", exitBadInput)
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, scoring model and facts schema version",
		Action: func(c *cli.Context) error {
			_, err := fmt.Fprintf(c.App.Writer, "miccmac-osq %s (model %s, facts schema %s)\n", version, modelVersion(), factsSchemaVersion())
			return err
		},
	}
}
