package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// CatalogFor returns the canonical checks plus the policy's custom checks, in
// property order, then id.
func CatalogFor(pol *policy.Policy) []CheckInfo {
	return append([]CheckInfo(nil), catalogFor(pol).checks...)
}

// catalogFor extends the built-in catalogue with the policy's custom checks;
// without custom checks it is the built-in catalogue itself.
func catalogFor(pol *policy.Policy) *catalogData {
	base := builtinCatalog()
	if pol == nil || len(pol.CustomChecks) == 0 {
		return base
	}
	c := &catalogData{
		properties: base.properties,
		checks:     append([]CheckInfo(nil), base.checks...),
		remedies:   map[string]remediationText{},
		index:      map[string]int{},
	}
	for id, r := range base.remedies {
		c.remedies[id] = r
	}
	letters := map[string]string{}
	order := map[string]int{}
	for i, p := range base.properties {
		letters[p.Key] = p.Letter
		order[p.Key] = i
	}
	for _, cc := range pol.CustomChecks {
		c.checks = append(c.checks, CheckInfo{
			ID: cc.ID, Property: cc.Property, Letter: letters[cc.Property], Title: cc.Title,
			CISIG: cc.CISIG, Frequency: cc.Frequency, Magnitude: cc.Magnitude,
			Risk: RiskRating(cc.Frequency, cc.Magnitude), Remediation: cc.Remediation,
			Controls: Controls(cc.Controls), Custom: true,
		})
		c.remedies[cc.ID] = remediationText{"default": cc.Remediation}
	}
	sort.SliceStable(c.checks, func(i, j int) bool {
		a, b := c.checks[i], c.checks[j]
		if order[a.Property] != order[b.Property] {
			return order[a.Property] < order[b.Property]
		}
		return a.ID < b.ID
	})
	for i, ci := range c.checks {
		c.index[ci.ID] = i
	}
	return c
}

// evaluatorsFor returns the built-in evaluators plus one per custom check.
func evaluatorsFor(pol *policy.Policy, builtin map[string]CheckFunc) map[string]CheckFunc {
	if pol == nil || len(pol.CustomChecks) == 0 {
		return builtin
	}
	out := make(map[string]CheckFunc, len(builtin)+len(pol.CustomChecks))
	for id, fn := range builtin {
		out[id] = fn
	}
	for _, cc := range pol.CustomChecks {
		out[cc.ID] = customEvaluator(cc)
	}
	return out
}

// customEvaluator grades a declarative check from its query's rows.
func customEvaluator(cc policy.CustomCheck) CheckFunc {
	return func(env *Env) Outcome {
		sec, ok := env.Facts.Custom[cc.ID]
		if !ok {
			return outcome(Unknown, nil, "The custom check's query %s was not collected (not in the input).", cc.QueryName())
		}
		switch sec.State {
		case facts.StateNotApplicable:
			return outcome(NotApplicable, nil, "The custom check runs on %s only: %s", strings.Join(cc.Platforms, ", "), sec.Reason)
		case facts.StateUnknown:
			return outcome(Unknown, nil, "The custom check's query %s did not answer: %s", cc.QueryName(), sec.Reason)
		}
		ev := map[string]any{"query": cc.QueryName(), "rows": len(sec.Items)}
		if len(sec.Items) > 0 {
			n := len(sec.Items)
			if n > 20 {
				n = 20
			}
			ev["sample"] = sec.Items[:n]
		}
		for _, r := range []struct {
			rule   *policy.Rule
			status Status
			name   string
		}{{cc.FailWhen, Fail, "fail_when"}, {cc.PassWhen, Pass, "pass_when"}, {cc.PartialWhen, Partial, "partial_when"}} {
			if r.rule == nil {
				continue
			}
			if match, why := ruleMatches(r.rule, sec.Items); match {
				ev["rule"] = r.name
				return outcome(r.status, ev, "%s matched: %s.", r.name, why)
			}
		}
		if cc.PassWhen != nil {
			_, why := ruleMatches(cc.PassWhen, sec.Items)
			ev["rule"] = "pass_when not met"
			return outcome(Fail, ev, "pass_when was not met: %s.", why)
		}
		ev["rule"] = "no failing rule matched"
		return outcome(Pass, ev, "No fail_when or partial_when rule matched (%d rows).", len(sec.Items))
	}
}

// ruleMatches evaluates one rule over rows and explains the answer.
func ruleMatches(r *policy.Rule, rows []map[string]string) (bool, string) {
	switch r.Rows {
	case "any":
		return len(rows) > 0, fmt.Sprintf("%d rows", len(rows))
	case "none":
		return len(rows) == 0, fmt.Sprintf("%d rows", len(rows))
	}
	hits := 0
	for _, row := range rows {
		if v, ok := row[r.Column]; ok && compare(v, r.Op, r.Value) {
			hits++
		}
	}
	desc := fmt.Sprintf("%d of %d rows have %s %s %q", hits, len(rows), r.Column, r.Op, r.Value)
	if r.Match == "all" {
		return len(rows) > 0 && hits == len(rows), desc
	}
	return hits > 0, desc
}

// compare applies op; numbers compare as numbers when both sides are numeric,
// otherwise = and != compare text and the ordering operators do not match.
func compare(have, op, want string) bool {
	hn, herr := strconv.ParseFloat(strings.TrimSpace(have), 64)
	wn, werr := strconv.ParseFloat(strings.TrimSpace(want), 64)
	if herr == nil && werr == nil {
		switch op {
		case "=":
			return hn == wn
		case "!=":
			return hn != wn
		case "<":
			return hn < wn
		case "<=":
			return hn <= wn
		case ">":
			return hn > wn
		case ">=":
			return hn >= wn
		}
		return false
	}
	switch op {
	case "=":
		return have == want
	case "!=":
		return have != want
	}
	return false
}
