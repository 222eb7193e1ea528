package standin

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/osquery/osquery-go/gen/osquery"
)

// handler implements osquery's ExtensionManager service.
type handler struct{ m *Manager }

var _ osquery.ExtensionManager = (*handler)(nil)

func ok() *osquery.ExtensionStatus { return &osquery.ExtensionStatus{Code: 0, Message: "OK"} }

func failed(msg string) *osquery.ExtensionStatus {
	return &osquery.ExtensionStatus{Code: 1, Message: msg}
}

func (h *handler) Ping(context.Context) (*osquery.ExtensionStatus, error) { return ok(), nil }

// Call answers core registry calls; the stand-in's core tables are the
// fixture tables ("generate" runs SELECT * on them).
func (h *handler) Call(ctx context.Context, registry, item string, req osquery.ExtensionPluginRequest) (*osquery.ExtensionResponse, error) {
	if registry != "table" {
		return &osquery.ExtensionResponse{Status: failed("Unknown registry: " + registry)}, nil
	}
	if req["action"] != "generate" {
		return &osquery.ExtensionResponse{Status: failed("unknown action: " + req["action"])}, nil
	}
	return h.Query(ctx, `SELECT * FROM "`+strings.ReplaceAll(item, `"`, `""`)+`"`)
}

func (h *handler) Shutdown(context.Context) error { return nil }

func (h *handler) Extensions(context.Context) (osquery.InternalExtensionList, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	list := osquery.InternalExtensionList{}
	for id, r := range h.m.exts {
		info := r.Info
		list[id] = &info
	}
	return list, nil
}

func (h *handler) Options(context.Context) (osquery.InternalOptionList, error) {
	opt := func(v, def, typ string) *osquery.InternalOptionInfo {
		return &osquery.InternalOptionInfo{Value: v, DefaultValue: def, Type: typ}
	}
	return osquery.InternalOptionList{
		"extensions_socket":   opt(h.m.socket, "/var/osquery/osquery.em", "string"),
		"extensions_timeout":  opt("3", "3", "string"),
		"extensions_interval": opt("3", "3", "string"),
		"disable_extensions":  opt("false", "false", "bool"),
	}, nil
}

// RegisterExtension accepts a registration like osqueryd: a new uuid, and a
// refusal when the name is taken.
func (h *handler) RegisterExtension(_ context.Context, info *osquery.InternalExtensionInfo, reg osquery.ExtensionRegistry) (*osquery.ExtensionStatus, error) {
	if info == nil || info.Name == "" {
		return failed("Extension name is required"), nil
	}
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	for _, r := range h.m.exts {
		if r.Info.Name == info.Name {
			return failed("Duplicate extension registered"), nil
		}
	}
	id := h.m.newUUIDLocked()
	h.m.exts[id] = &Registration{UUID: id, Info: *info, Registry: reg}
	h.m.notifyLocked()
	st := ok()
	st.UUID = id
	return st, nil
}

func (h *handler) DeregisterExtension(_ context.Context, uuid osquery.ExtensionRouteUUID) (*osquery.ExtensionStatus, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	if _, found := h.m.exts[uuid]; !found {
		return failed("No extension UUID registered"), nil
	}
	delete(h.m.exts, uuid)
	h.m.notifyLocked()
	return ok(), nil
}

// Query executes sql in the fixture database, after any configured delay.
func (h *handler) Query(ctx context.Context, sql string) (*osquery.ExtensionResponse, error) {
	if d := h.m.delayFor(sql); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if h.m.db == nil {
		return &osquery.ExtensionResponse{Status: failed("no such table: the stand-in has no database")}, nil
	}
	rows, known := h.m.answer(sql)
	if !known {
		var err error
		if rows, err = h.m.db.Query(ctx, sql); err != nil {
			return &osquery.ExtensionResponse{Status: failed(err.Error()), Response: osquery.ExtensionPluginResponse{}}, nil
		}
		h.m.remember(sql, rows)
	}
	resp := make(osquery.ExtensionPluginResponse, len(rows))
	for i, r := range rows {
		resp[i] = map[string]string(r)
	}
	return &osquery.ExtensionResponse{Status: ok(), Response: resp}, nil
}

// GetQueryColumns answers with the columns of sql's result, one
// {name: type} map per column as osquery does. The stand-in's types are
// TEXT, and a query that returns no rows has no columns it can name.
func (h *handler) GetQueryColumns(ctx context.Context, sql string) (*osquery.ExtensionResponse, error) {
	if h.m.db == nil {
		return &osquery.ExtensionResponse{Status: failed("no such table: the stand-in has no database")}, nil
	}
	rows, err := h.m.db.Query(ctx, sql)
	if err != nil {
		return &osquery.ExtensionResponse{Status: failed(err.Error())}, nil
	}
	resp := osquery.ExtensionPluginResponse{}
	if len(rows) > 0 {
		names := make([]string, 0, len(rows[0]))
		for k := range rows[0] {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, n := range names {
			resp = append(resp, map[string]string{n: "TEXT"})
		}
	}
	return &osquery.ExtensionResponse{Status: ok(), Response: resp}, nil
}
