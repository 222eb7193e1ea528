package standin

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/osquery/osquery-go/gen/osquery"
)

// Constraint is one WHERE-clause constraint osquery passes to a table.
type Constraint struct {
	Column   string
	Affinity string // TEXT, INTEGER, ...; empty means TEXT
	Op       int    // 2 equals, 4 greater than, 65 LIKE, ...
	Expr     string
}

// ContextJSON is the query context osqueryd sends with a generate call:
// {"constraints":[{"name":...,"affinity":...,"list":[{"op":2,"expr":...}]}]}.
// Constraints on one column are grouped in one list.
func ContextJSON(cs ...Constraint) string {
	type item struct {
		Op   int    `json:"op"`
		Expr string `json:"expr"`
	}
	type list struct {
		Name     string `json:"name"`
		Affinity string `json:"affinity"`
		List     []item `json:"list"`
	}
	out := struct {
		Constraints []*list `json:"constraints"`
	}{Constraints: []*list{}}
	byCol := map[string]*list{}
	for _, c := range cs {
		l, found := byCol[c.Column]
		if !found {
			aff := c.Affinity
			if aff == "" {
				aff = "TEXT"
			}
			l = &list{Name: c.Column, Affinity: aff}
			byCol[c.Column] = l
			out.Constraints = append(out.Constraints, l)
		}
		l.List = append(l.List, item{c.Op, c.Expr})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// ExtensionSocket is the socket a registered extension listens on.
func (m *Manager) ExtensionSocket(uuid osquery.ExtensionRouteUUID) string {
	return fmt.Sprintf("%s.%d", m.socket, uuid)
}

// withExtension opens a fresh connection to the extension, as osqueryd does
// for every call, and runs fn on it with ctx's deadline for the whole exchange.
func (m *Manager) withExtension(ctx context.Context, uuid osquery.ExtensionRouteUUID, fn func(*osquery.ExtensionClient) error) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", m.ExtensionSocket(uuid))
	if err != nil {
		return fmt.Errorf("standin: dial extension %d: %w", uuid, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	trans := thrift.NewTBufferedTransport(connTransport{conn}, bufferSize)
	prot := thrift.NewTBinaryProtocolConf(trans, &thrift.TConfiguration{})
	return fn(osquery.NewExtensionClient(thrift.NewTStandardClient(prot, prot)))
}

// connTransport adapts a net.Conn to thrift.TTransport, leaving its deadline
// alone (thrift.TSocket would clear it on every read).
type connTransport struct{ net.Conn }

func (connTransport) Open() error                 { return nil }
func (connTransport) IsOpen() bool                { return true }
func (connTransport) Flush(context.Context) error { return nil }
func (connTransport) RemainingBytes() uint64      { return ^uint64(0) }

// Lookup finds the registration of the extension called name.
func (m *Manager) Lookup(name string) (Registration, bool) {
	for _, r := range m.Registrations() {
		if r.Info.Name == name {
			return r, true
		}
	}
	return Registration{}, false
}

// owner finds the extension that registered table.
func (m *Manager) owner(tableName string) (Registration, error) {
	for _, r := range m.Registrations() {
		if _, ok := r.Registry["table"][tableName]; ok {
			return r, nil
		}
	}
	return Registration{}, fmt.Errorf("standin: no extension registered table %s", tableName)
}

// Call calls registry/item on the extension registered as uuid.
func (m *Manager) Call(ctx context.Context, uuid osquery.ExtensionRouteUUID, registry, item string, req osquery.ExtensionPluginRequest) (*osquery.ExtensionResponse, error) {
	var res *osquery.ExtensionResponse
	err := m.withExtension(ctx, uuid, func(c *osquery.ExtensionClient) (err error) {
		res, err = c.Call(ctx, registry, item, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("standin: call %s/%s on extension %d: %w", registry, item, uuid, err)
	}
	return res, nil
}

// PingExtension pings the extension registered as uuid.
func (m *Manager) PingExtension(ctx context.Context, uuid osquery.ExtensionRouteUUID) error {
	var st *osquery.ExtensionStatus
	err := m.withExtension(ctx, uuid, func(c *osquery.ExtensionClient) (err error) {
		st, err = c.Ping(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("standin: ping extension %d: %w", uuid, err)
	}
	if st.Code != 0 {
		return fmt.Errorf("standin: ping extension %d: status %d: %s", uuid, st.Code, st.Message)
	}
	return nil
}

// Generate runs the table's generate action with the query context JSON, as
// osqueryd does for SELECT ... FROM table, and returns its rows. A non-zero
// status is an error carrying osquery's message.
func (m *Manager) Generate(ctx context.Context, tableName, contextJSON string) ([]map[string]string, error) {
	r, err := m.owner(tableName)
	if err != nil {
		return nil, err
	}
	res, err := m.Call(ctx, r.UUID, "table", tableName, osquery.ExtensionPluginRequest{"action": "generate", "context": contextJSON})
	if err != nil {
		return nil, err
	}
	if res.Status == nil || res.Status.Code != 0 {
		msg := "no status"
		if res.Status != nil {
			msg = res.Status.Message
		}
		return nil, fmt.Errorf("standin: generate %s: %s", tableName, msg)
	}
	return res.Response, nil
}

// Columns runs the table's columns action and returns the column routes
// ({id: column, name, type, op}).
func (m *Manager) Columns(ctx context.Context, tableName string) ([]map[string]string, error) {
	r, err := m.owner(tableName)
	if err != nil {
		return nil, err
	}
	res, err := m.Call(ctx, r.UUID, "table", tableName, osquery.ExtensionPluginRequest{"action": "columns"})
	if err != nil {
		return nil, err
	}
	if res.Status == nil || res.Status.Code != 0 {
		return nil, fmt.Errorf("standin: columns %s: %v", tableName, res.Status)
	}
	return res.Response, nil
}

// ShutdownExtension asks the extension registered as uuid to shut down, as
// osqueryd does when it stops.
func (m *Manager) ShutdownExtension(ctx context.Context, uuid osquery.ExtensionRouteUUID) error {
	err := m.withExtension(ctx, uuid, func(c *osquery.ExtensionClient) error { return c.Shutdown(ctx) })
	if err != nil {
		return fmt.Errorf("standin: shutdown extension %d: %w", uuid, err)
	}
	return nil
}
