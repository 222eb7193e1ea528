package policy

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Properties are the seven MICCMAC property keys, in order.
var Properties = []string{"monitored", "inventoried", "controlled", "claimed", "minimized", "assessed", "current"}

// Platforms are the platform keys of per-platform settings.
var Platforms = []string{"linux", "darwin", "windows"}

// Load reads a user policy file and applies it over the defaults, key by key.
// knownChecks is the set of check ids that exclusions may name. Errors name
// the file, the line and the key.
func Load(path string, knownChecks []string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", path, err)
	}
	return Parse(path, b, knownChecks)
}

// Parse is Load on bytes already read; name is used in messages.
func Parse(name string, b []byte, knownChecks []string) (*Policy, error) {
	p := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: %s", name, yamlErrText(err))
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return p, nil // empty file: defaults
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the policy must be a mapping of keys (thresholds, allowed_ports, ...), got %s", name, doc.Line, kindName(doc))
	}
	lines := map[int]string{}
	if err := checkKeys(name, doc, reflect.TypeOf(Policy{}), "", lines); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%s", typeErrText(name, err, lines))
	}
	// Custom checks are validated where their ids are needed.
	ids := append([]string(nil), knownChecks...)
	for _, c := range p.CustomChecks {
		ids = append(ids, c.ID)
	}
	if err := p.validate(name, doc, ids, knownChecks); err != nil {
		return nil, err
	}
	p.Source = name
	return p, nil
}

// checkKeys walks the user's YAML against the Policy type and rejects unknown
// keys with file:line; it records each line's key path for type errors.
func checkKeys(file string, n *yaml.Node, t reflect.Type, path string, lines map[int]string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			if path == "" {
				return fmt.Errorf("%s:%d: expected a mapping of keys at the top level, got %s", file, n.Line, kindName(n))
			}
			return fmt.Errorf("%s:%d: %s: expected a mapping of keys, got %s", file, n.Line, path, kindName(n))
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = f
			names = append(names, tag)
		}
		sort.Strings(names)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			key := join(path, k.Value)
			if !ok {
				return fmt.Errorf("%s:%d: unknown key %q %s (known keys: %s)", file, k.Line, k.Value, orRoot(path), strings.Join(names, ", "))
			}
			lines[v.Line] = key
			if err := checkKeys(file, v, f.Type, key, lines); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			if n.Tag == "!!null" {
				return nil
			}
			return fmt.Errorf("%s:%d: %s: expected a mapping, got %s", file, n.Line, path, kindName(n))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := join(path, k.Value)
			lines[v.Line] = key
			if err := checkKeys(file, v, t.Elem(), key, lines); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return nil
			}
			return fmt.Errorf("%s:%d: %s: expected a list, got %s", file, n.Line, path, kindName(n))
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			lines[item.Line] = key
			if err := checkKeys(file, item, t.Elem(), key, lines); err != nil {
				return err
			}
		}
	default:
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s:%d: %s: expected a single value, got %s", file, n.Line, path, kindName(n))
		}
	}
	return nil
}

var lineRe = regexp.MustCompile(`line (\d+): (.*)`)

// typeErrText rewrites yaml.v3's type errors as file:line: key: message.
func typeErrText(file string, err error, lines map[int]string) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Sprintf("%s: %s", file, yamlErrText(err))
	}
	var msgs []string
	for _, e := range te.Errors {
		m := lineRe.FindStringSubmatch(e)
		if m == nil {
			msgs = append(msgs, fmt.Sprintf("%s: %s", file, e))
			continue
		}
		ln, _ := strconv.Atoi(m[1])
		msg := strings.Replace(m[2], "cannot unmarshal ", "wrong type: cannot read ", 1)
		if key := lines[ln]; key != "" {
			msgs = append(msgs, fmt.Sprintf("%s:%d: %s: %s", file, ln, key, msg))
		} else {
			msgs = append(msgs, fmt.Sprintf("%s:%d: %s", file, ln, msg))
		}
	}
	return strings.Join(msgs, "\n")
}

func yamlErrText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := lineRe.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("line %s: not valid YAML: %s", m[1], m[2])
	}
	return "not valid YAML: " + s
}

// validate checks values that YAML types cannot: check ids, property names,
// platforms, port syntax, tier order, positive thresholds.
func (p *Policy) validate(file string, doc *yaml.Node, ids, canonical []string) error {
	at := func(keys ...string) int { return lineOf(doc, keys...) }
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	for _, id := range sortedKeys(p.Exclude) {
		if !known[id] {
			return fmt.Errorf("%s:%d: exclude: unknown check id %q (see `miccmac-osq checks`)", file, at("exclude", id), id)
		}
		if strings.TrimSpace(p.Exclude[id]) == "" {
			return fmt.Errorf("%s:%d: exclude: %s needs a reason", file, at("exclude", id), id)
		}
	}
	for _, k := range sortedKeys(p.Weights) {
		if !slices.Contains(Properties, k) {
			return fmt.Errorf("%s:%d: weights: unknown property %q (want one of %s)", file, at("weights", k), k, strings.Join(Properties, ", "))
		}
		if w := p.Weights[k]; math.IsNaN(w) || w < 0 || w > 100 {
			return fmt.Errorf("%s:%d: weights.%s: want a weight from 0 to 100, got %g", file, at("weights", k), k, w)
		}
	}
	positive := false
	for _, w := range p.Weights {
		positive = positive || w > 0
	}
	if len(p.Weights) > 0 && !positive {
		return fmt.Errorf("%s:%d: weights: at least one property needs a weight above 0", file, at("weights"))
	}
	for _, plat := range sortedKeys(p.AllowedPorts) {
		if !slices.Contains(Platforms, plat) {
			return fmt.Errorf("%s:%d: allowed_ports: unknown platform %q (want linux, darwin or windows)", file, at("allowed_ports", plat), plat)
		}
		for _, e := range p.AllowedPorts[plat] {
			if _, _, err := ParsePort(e); err != nil {
				return fmt.Errorf("%s:%d: allowed_ports.%s: %v", file, at("allowed_ports", plat), plat, err)
			}
		}
	}
	t := p.Tiers
	if !(t.Developing >= 0 && t.Developing < t.Defensible && t.Defensible < t.ZeroTrustReady && t.ZeroTrustReady <= 100) {
		return fmt.Errorf("%s:%d: tiers: need 0 <= developing < defensible < zero_trust_ready <= 100, got %g < %g < %g", file, at("tiers"), t.Developing, t.Defensible, t.ZeroTrustReady)
	}
	if t.MinCoverage < 0 || t.MinCoverage > 1 {
		return fmt.Errorf("%s:%d: tiers.min_coverage: want a share between 0 and 1, got %g", file, at("tiers", "min_coverage"), t.MinCoverage)
	}
	th := reflect.ValueOf(p.Thresholds)
	for i := 0; i < th.NumField(); i++ {
		if th.Field(i).Int() <= 0 {
			tag := strings.Split(th.Type().Field(i).Tag.Get("yaml"), ",")[0]
			return fmt.Errorf("%s:%d: thresholds.%s: must be a positive whole number, got %d", file, at("thresholds", tag), tag, th.Field(i).Int())
		}
	}
	return p.validateCustom(file, doc, canonical)
}

// ParsePort reads "22/tcp" into 22 and "tcp".
func ParsePort(s string) (int, string, error) {
	num, proto, ok := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || n > 65535 || (proto != "tcp" && proto != "udp") {
		return 0, "", fmt.Errorf("%q is not PORT/tcp or PORT/udp", s)
	}
	return n, proto, nil
}

// lineOf finds the line of the value at keys (or of the deepest key found).
func lineOf(n *yaml.Node, keys ...string) int {
	line := n.Line
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "nothing"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "in " + path
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
