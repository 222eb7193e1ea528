package engine

import (
	"fmt"
	"sort"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Env is what a check may read: the device's facts, the effective policy and
// the assessment time (the collection time when known, so reports replay).
type Env struct {
	Facts  *facts.Document
	Policy *policy.Policy
	Now    time.Time

	// names indexes process, service and package names for detectAgents;
	// built on first use and shared by copies of the Env.
	names *lazyNames
}

// Outcome is what a check function returns.
type Outcome struct {
	Status Status
	// Detail is one human sentence saying why.
	Detail string
	// Evidence holds the facts the verdict rests on (JSON-encodable).
	Evidence map[string]any
}

// CheckFunc grades one check. It must read only env and never panic on
// missing facts: unknown facts give Unknown with the reason.
type CheckFunc func(env *Env) Outcome

var evaluators = map[string]CheckFunc{}

// register adds a check function; it is called from each property file's init.
func register(id string, fn CheckFunc) {
	if _, dup := evaluators[id]; dup {
		panic(fmt.Sprintf("engine: check %s registered twice", id))
	}
	evaluators[id] = fn
}

// registeredIDs lists the ids that have an evaluator, sorted.
func registeredIDs() []string {
	ids := make([]string, 0, len(evaluators))
	for id := range evaluators {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// outcome builds an Outcome; ev may be nil.
func outcome(s Status, ev map[string]any, format string, args ...any) Outcome {
	return Outcome{Status: s, Detail: fmt.Sprintf(format, args...), Evidence: ev}
}
