package extension

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/queries"
)

// grader turns one host's query results into a graded assessment.
// only limits grading to those check ids (nil: all); now is the assessment time.
type grader func(h *queries.HostResults, catalog []queries.Query, cfg *policy.DeviceFiles, now time.Time, only []string) (*engine.Assessment, error)

// Service is the state behind both tables: one collector (so both tables
// share a collection), the policy hook and the grading pipeline.
type Service struct {
	opts    Options
	log     *slog.Logger
	catalog []queries.Query
	col     *collector
	grade   grader
	checks  []engine.CheckInfo
	// lastHash is the hash of the last policy the configuration source
	// returned, for error rows: they must not ask the source again, which may
	// be what is slow or failing.
	lastHash atomic.Value // string
}

// NewService returns the tables' backend, collecting through q (a client of
// its own, never the one the extension server registers with).
func NewService(q QueryRunner, opts Options) (*Service, error) {
	opts = opts.withDefaults()
	catalog, err := queries.Builtin()
	if err != nil {
		return nil, fmt.Errorf("query catalogue: %w", err)
	}
	s := &Service{
		opts:    opts,
		log:     opts.Logger,
		catalog: catalog,
		grade:   opts.grade,
		checks:  opts.checks,
	}
	s.col = &collector{
		q:              q,
		queryTimeout:   opts.QueryTimeout,
		collectTimeout: opts.CollectTimeout,
		ttl:            opts.CacheTTL,
		now:            opts.Now,
		log:            opts.Logger,
	}
	return s, nil
}

// Assess collects (or reuses a cached collection) and grades the device; only
// limits grading to those check ids (nil: all).
func (s *Service) Assess(ctx context.Context, only []string) (*engine.Assessment, error) {
	return s.assess(ctx, func([]engine.CheckInfo) []string { return only })
}

// assess reads the configuration, lets pick choose the check ids from the
// effective catalogue (nil: all; empty: none, and nil is returned without
// collecting), collects and grades. The policy's custom checks add their
// queries to the collection; a collection is shared only under one policy.
func (s *Service) assess(ctx context.Context, pick func([]engine.CheckInfo) []string) (*engine.Assessment, error) {
	cfg, err := s.opts.ConfigSource()
	if err != nil {
		s.lastHash.Store("")
		return nil, err
	}
	if cfg == nil || cfg.Policy == nil {
		return nil, errors.New("the configuration source returned no policy")
	}
	hash := cfg.Policy.Hash()
	s.lastHash.Store(hash)
	checks := s.checks
	if checks == nil {
		checks = checkCatalog(cfg.Policy)
	}
	only := pick(checks)
	if only != nil && len(only) == 0 {
		return nil, nil
	}
	catalog := cfg.Policy.Catalog(s.catalog)
	col, err := s.col.get(ctx, catalog, hash)
	if err != nil {
		return nil, err
	}
	a, err := s.grade(col.host, catalog, cfg, col.host.CollectedAt, only)
	if err != nil {
		return nil, fmt.Errorf("grading the collected results: %w", err)
	}
	a.PolicyHash = hash
	return a, nil
}

// policyHash is the hash shown on an error row: that of the policy the last
// assessment read, "" when it could not be read (or none was read yet).
func (s *Service) policyHash() string {
	h, _ := s.lastHash.Load().(string)
	return h
}
