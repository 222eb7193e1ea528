package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
)

const placeholdersFile = "placeholders.yaml"

// placeholderLists are the lists of data/placeholders.yaml, lower-cased.
type placeholderLists struct {
	hardware map[string]bool
	assignee map[string]bool
}

var (
	placeholdersOnce sync.Once
	placeholdersVal  *placeholderLists
	placeholdersErr  error
)

func builtinPlaceholders() *placeholderLists {
	placeholdersOnce.Do(func() { placeholdersVal, placeholdersErr = loadPlaceholders(data.FS) })
	if placeholdersErr != nil {
		panic(placeholdersErr) // embedded data is checked by TestPlaceholders
	}
	return placeholdersVal
}

func loadPlaceholders(fsys fs.FS) (*placeholderLists, error) {
	b, err := fs.ReadFile(fsys, placeholdersFile)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", placeholdersFile, err)
	}
	var raw struct {
		Hardware []string `yaml:"hardware"`
		Assignee []string `yaml:"assignee"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("data/%s: %w", placeholdersFile, err)
	}
	set := func(key string, list []string) (map[string]bool, error) {
		m := map[string]bool{}
		for i, v := range list {
			k := strings.ToLower(strings.TrimSpace(v))
			if k == "" {
				return nil, fmt.Errorf("data/%s: %s[%d] is empty", placeholdersFile, key, i)
			}
			if m[k] {
				return nil, fmt.Errorf("data/%s: %s[%d] %q is listed twice (lists compare case-insensitively)", placeholdersFile, key, i, v)
			}
			m[k] = true
		}
		return m, nil
	}
	out := &placeholderLists{}
	if out.hardware, err = set("hardware", raw.Hardware); err != nil {
		return nil, err
	}
	if out.assignee, err = set("assignee", raw.Assignee); err != nil {
		return nil, err
	}
	return out, nil
}

// isPlaceholder reports whether v (trimmed, any case) is in the list, or is
// one character repeated ("0", "000000", "XXXXXXXX", "........").
func isPlaceholder(list map[string]bool, v string) bool {
	v = strings.TrimSpace(v)
	if list[strings.ToLower(v)] {
		return true
	}
	first, _ := utf8.DecodeRuneInString(v)
	return v != "" && strings.Trim(v, string(first)) == ""
}
