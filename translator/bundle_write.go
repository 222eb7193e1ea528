package translator

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/miccmac/miccmac-osq/queries"
)

// bundleOut is the JSON shape WriteBundle writes (see the format above).
type bundleOut struct {
	Format      string               `json:"format"`
	Version     int                  `json:"version"`
	Host        string               `json:"host"`
	CollectedAt int64                `json:"collected_at,omitempty"`
	Platform    string               `json:"platform,omitempty"`
	Decorations map[string]string    `json:"decorations,omitempty"`
	Results     map[string]resultOut `json:"results"`
}

type resultOut struct {
	Status   queries.Status `json:"status"`
	Rows     *[]queries.Row `json:"rows,omitempty"`
	Error    string         `json:"error,omitempty"`
	Source   string         `json:"source,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// WriteBundle writes h as a capture bundle that Read reads back into the same
// HostResults: the platform kept under PlatformDecoration becomes the
// "platform" field, CollectedAt is kept to the second, an ok result always
// has rows (possibly []), and a result with an empty Status is written as
// "error" when it has an Error, else "ok".
func WriteBundle(w io.Writer, h *queries.HostResults) error {
	b, err := toBundle(h)
	if err != nil {
		return err
	}
	return encodeJSON(w, b)
}

// WriteBundles writes several hosts as one file: {"format", "version",
// "hosts": [bundle, ...]}, sorted by host.
func WriteBundles(w io.Writer, hosts []*queries.HostResults) error {
	list := struct {
		Format  string      `json:"format"`
		Version int         `json:"version"`
		Hosts   []bundleOut `json:"hosts"`
	}{Format: bundleFormat, Version: bundleVersion, Hosts: []bundleOut{}}
	for _, h := range hosts {
		b, err := toBundle(h)
		if err != nil {
			return err
		}
		list.Hosts = append(list.Hosts, b)
	}
	sort.SliceStable(list.Hosts, func(i, j int) bool { return list.Hosts[i].Host < list.Hosts[j].Host })
	return encodeJSON(w, list)
}

func toBundle(h *queries.HostResults) (bundleOut, error) {
	if h == nil || h.Host == "" {
		return bundleOut{}, fmt.Errorf("write bundle: host name is empty")
	}
	b := bundleOut{Format: bundleFormat, Version: bundleVersion, Host: h.Host, Results: map[string]resultOut{}}
	if !h.CollectedAt.IsZero() {
		b.CollectedAt = h.CollectedAt.Unix()
	}
	for k, v := range h.Decorations {
		if k == PlatformDecoration {
			b.Platform = v
			continue
		}
		if b.Decorations == nil {
			b.Decorations = map[string]string{}
		}
		b.Decorations[k] = v
	}
	for name, r := range h.Results {
		if r == nil {
			continue
		}
		out := resultOut{Status: r.Status, Error: r.Error, Source: r.Source, Warnings: r.Warnings}
		if out.Status == "" {
			out.Status = queries.StatusOK
			if r.Error != "" {
				out.Status = queries.StatusError
			}
		}
		switch {
		case out.Status == queries.StatusError && out.Error == "":
			return bundleOut{}, fmt.Errorf("write bundle: host %s: result %s has status error and no error message", h.Host, name)
		case out.Status == queries.StatusOK || len(r.Rows) > 0:
			rows := make([]queries.Row, len(r.Rows))
			for i, row := range r.Rows {
				if row == nil {
					row = queries.Row{}
				}
				rows[i] = row
			}
			out.Rows = &rows
		}
		b.Results[name] = out
	}
	return b, nil
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}
