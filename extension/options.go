package extension

import (
	"io"
	"log/slog"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Name is the extension name registered with osquery.
const Name = "miccmac"

// Defaults for Options fields left zero.
const (
	DefaultTimeout        = 3 * time.Second
	DefaultInterval       = 3 * time.Second
	DefaultCacheTTL       = 60 * time.Second
	DefaultQueryTimeout   = 15 * time.Second
	DefaultCollectTimeout = 45 * time.Second
)

// ConfigSource returns the effective policy and the optional attestation and
// inventory record. It is asked on every assessment, so an edited file takes
// effect at the next query. An error is shown as an ERROR row naming the
// reason, never as an empty table (B06).
type ConfigSource func() (*policy.DeviceFiles, error)

// DefaultConfig is the ConfigSource of the built-in policy and no records.
func DefaultConfig() (*policy.DeviceFiles, error) {
	return &policy.DeviceFiles{Policy: policy.Default()}, nil
}

// DeviceConfig is the ConfigSource of a deployed extension: the files in
// policy.Dir() or named by MICCMAC_POLICY, MICCMAC_ATTESTATION and
// MICCMAC_INVENTORY, refused when an ordinary user could have written them.
func DeviceConfig() (*policy.DeviceFiles, error) {
	return policy.LoadDeviceFiles(engine.CanonicalIDs())
}

// Options configure the extension.
type Options struct {
	// Socket is osquery's extension manager socket (--socket).
	Socket string
	// Timeout is how long to wait for the socket to answer at start-up
	// (--timeout); it also bounds registration calls.
	Timeout time.Duration
	// Interval is how often osquery is pinged (--interval); the extension
	// exits within one Interval after osquery goes away.
	Interval time.Duration
	// CacheTTL is how long a complete collection is reused, so both tables in
	// one schedule cost one collection. Zero means DefaultCacheTTL; a negative
	// value disables the cache (concurrent callers still share a collection).
	CacheTTL time.Duration
	// QueryTimeout bounds every call to osquery during collection.
	QueryTimeout time.Duration
	// CollectTimeout bounds a whole collection; generate returns by then.
	CollectTimeout time.Duration
	// Verbose logs at debug level when Logger is nil.
	Verbose bool
	// ConfigSource gives the policy and records; nil means DefaultConfig.
	ConfigSource ConfigSource
	// Logger receives the extension's log; nil logs to stderr.
	Logger *slog.Logger
	// Version is reported to osquery at registration.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Stderr is where the default logger writes; nil means os.Stderr.
	Stderr io.Writer

	// grade and checks replace the engine in this package's tests (checks nil:
	// the engine's catalogue under the effective policy).
	grade  grader
	checks []engine.CheckInfo
	// grace is the time generate allows for grading after CollectTimeout.
	grace time.Duration
}

// withDefaults fills zero fields.
func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
	if o.CollectTimeout <= 0 {
		o.CollectTimeout = DefaultCollectTimeout
	}
	if o.CollectTimeout < o.QueryTimeout {
		o.CollectTimeout = o.QueryTimeout
	}
	if o.ConfigSource == nil {
		o.ConfigSource = DefaultConfig
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.grade == nil {
		o.grade = grade
	}
	if o.grace <= 0 {
		o.grace = gradeGrace
	}
	if o.Logger == nil {
		o.Logger = NewLogger(o.Stderr, o.Verbose)
	}
	return o
}
