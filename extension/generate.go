package extension

import (
	"context"
	"fmt"
	"github.com/miccmac/miccmac-osq/engine"
	"runtime/debug"
	"time"

	"github.com/osquery/osquery-go/plugin/table"
)

// gradeGrace is the time generate allows for grading after the collection
// deadline.
const gradeGrace = 5 * time.Second

// safeGenerate is the one wrapper every table's generate goes through: a
// deadline, panic recovery, and an ERROR row (never a Go error osquery would
// show as an empty table) when anything fails. The work runs in its own
// goroutine so a stuck step cannot hold osqueryd past the deadline.
func (s *Service) safeGenerate(name string, gen func(context.Context, table.QueryContext) ([]map[string]string, error),
	errRows func(s *Service, reason string) []map[string]string) table.GenerateFunc {
	return func(ctx context.Context, qc table.QueryContext) ([]map[string]string, error) {
		if s == nil {
			return errRows(nil, "the extension is not connected to osquery"), nil
		}
		limit := s.opts.CollectTimeout + s.opts.grace
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		type result struct {
			rows []map[string]string
			err  error
		}
		done := make(chan result, 1)
		start := time.Now()
		go func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("generate panicked", "table", name, "panic", r, "stack", string(debug.Stack()))
					done <- result{err: fmt.Errorf("internal error in %s: %v", name, r)}
				}
			}()
			rows, err := gen(ctx, qc)
			done <- result{rows, err}
		}()
		select {
		case r := <-done:
			if r.err != nil {
				s.log.Warn("generate failed", "table", name, "error", r.err, "constraints", describe(qc))
				return errRows(s, r.err.Error()), nil
			}
			s.log.Debug("generate", "table", name, "rows", len(r.rows), "took", time.Since(start), "constraints", describe(qc))
			return r.rows, nil
		case <-ctx.Done():
			reason := fmt.Sprintf("%s did not finish within %s", name, limit)
			if ctx.Err() == context.Canceled {
				reason = fmt.Sprintf("%s was cancelled by osquery", name)
			}
			s.log.Warn("generate gave up", "table", name, "reason", reason, "constraints", describe(qc))
			return errRows(s, reason), nil
		}
	}
}

// describe renders a query context's constraints for the log.
func describe(qc table.QueryContext) string {
	out := ""
	for col, cl := range qc.Constraints {
		for _, c := range cl.Constraints {
			if out != "" {
				out += " AND "
			}
			out += fmt.Sprintf("%s op%d %q", col, c.Operator, c.Expression)
		}
	}
	return out
}

func (s *Service) generateChecks(ctx context.Context, qc table.QueryContext) ([]map[string]string, error) {
	a, err := s.assess(ctx, func(checks []engine.CheckInfo) []string { return narrow(qc, checks) })
	if err != nil || a == nil {
		return nil, err // nil assessment: the constraints match no check
	}
	return checkRows(a), nil
}

func (s *Service) generateReadiness(ctx context.Context, _ table.QueryContext) ([]map[string]string, error) {
	a, err := s.Assess(ctx, nil)
	if err != nil {
		return nil, err
	}
	return []map[string]string{readinessRow(a)}, nil
}

func checksErrorRows(s *Service, reason string) []map[string]string {
	hash := ""
	if s != nil {
		hash = s.policyHash()
	}
	return errorCheckRow(reason, s.now().Unix(), hash)
}

func readinessErrorRows(s *Service, reason string) []map[string]string {
	hash := ""
	if s != nil {
		hash = s.policyHash()
	}
	return errorReadinessRow(reason, s.now().Unix(), hash)
}

// now is the service clock; a nil service uses the wall clock.
func (s *Service) now() time.Time {
	if s == nil {
		return time.Now()
	}
	return s.opts.Now()
}
