package standin

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/osquery/osquery-go/gen/osquery"

	"github.com/miccmac/miccmac-osq/queries"
)

// Querier answers osquery SQL; *osqsim.DB implements it.
type Querier interface {
	Query(ctx context.Context, sql string) ([]queries.Row, error)
}

// Registration is one registered extension.
type Registration struct {
	UUID     osquery.ExtensionRouteUUID
	Info     osquery.InternalExtensionInfo
	Registry osquery.ExtensionRegistry
}

// Manager is the stand-in osqueryd.
type Manager struct {
	socket string
	db     Querier

	mu      sync.Mutex
	ln      *net.UnixListener
	conns   map[net.Conn]struct{}
	exts    map[osquery.ExtensionRouteUUID]*Registration
	delays  []delay
	queries []string
	changed chan struct{}            // closed and replaced when exts changes
	memo    map[string][]queries.Row // nil unless MemoizeAnswers
	wg      sync.WaitGroup
}

type delay struct {
	substr string
	d      time.Duration
}

// New returns a stand-in for the manager socket path, answering queries from
// db. It does not listen until Start.
func New(socket string, db Querier) *Manager {
	return &Manager{
		socket:  socket,
		db:      db,
		conns:   map[net.Conn]struct{}{},
		exts:    map[osquery.ExtensionRouteUUID]*Registration{},
		changed: make(chan struct{}),
	}
}

// Socket is the manager socket path.
func (m *Manager) Socket() string { return m.socket }

// Start listens on the socket, replacing a stale socket file.
func (m *Manager) Start() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ln != nil {
		return errors.New("standin: already listening")
	}
	if fi, err := os.Stat(m.socket); err == nil && fi.Mode()&os.ModeSocket != 0 {
		_ = os.Remove(m.socket)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: m.socket, Net: "unix"})
	if err != nil {
		return fmt.Errorf("standin: listen on %s: %w", m.socket, err)
	}
	// A killed osqueryd leaves its socket file behind; so does Kill.
	ln.SetUnlinkOnClose(false)
	m.ln = ln
	m.wg.Add(1)
	go m.accept(ln)
	return nil
}

// StartAfter starts listening after d; the returned channel yields Start's error.
func (m *Manager) StartAfter(d time.Duration) <-chan error {
	ch := make(chan error, 1)
	time.AfterFunc(d, func() { ch <- m.Start() })
	return ch
}

// Kill stops the stand-in as if osqueryd died: the listener and every open
// connection close, the socket file stays (connecting to it is refused) and
// registrations are forgotten.
func (m *Manager) Kill() {
	m.mu.Lock()
	ln := m.ln
	m.ln = nil
	for c := range m.conns {
		_ = c.Close()
	}
	m.conns = map[net.Conn]struct{}{}
	m.exts = map[osquery.ExtensionRouteUUID]*Registration{}
	m.notifyLocked()
	m.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	m.wg.Wait()
}

// Restart kills the stand-in and listens again, like a restarted osqueryd.
func (m *Manager) Restart() error {
	m.Kill()
	return m.Start()
}

// Close kills the stand-in and removes the socket file.
func (m *Manager) Close() {
	m.Kill()
	_ = os.Remove(m.socket)
}

// DelayQuery makes every query whose SQL contains substr wait d before it is
// answered (the wait ends early if the caller hangs up).
func (m *Manager) DelayQuery(substr string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.delays = append(m.delays, delay{substr, d})
}

// MemoizeAnswers makes the stand-in answer a repeated SQL statement from the
// first answer instead of evaluating it again (the fixture does not change),
// so a benchmark measures the extension and Thrift rather than SQLite.
func (m *Manager) MemoizeAnswers() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.memo == nil {
		m.memo = map[string][]queries.Row{}
	}
}

// answer returns a memoised answer for sql, if any.
func (m *Manager) answer(sql string) ([]queries.Row, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rows, ok := m.memo[sql]
	return rows, ok
}

// remember stores sql's answer when answers are memoised.
func (m *Manager) remember(sql string, rows []queries.Row) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.memo != nil {
		m.memo[sql] = rows
	}
}

// ClearDelays removes every DelayQuery.
func (m *Manager) ClearDelays() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.delays = nil
}

// DropRegistration forgets the extension registered under name, as osqueryd
// does with an extension it considers dead. It reports whether one was found.
func (m *Manager) DropRegistration(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, r := range m.exts {
		if r.Info.Name == name {
			delete(m.exts, id)
			m.notifyLocked()
			return true
		}
	}
	return false
}

// Registrations lists the registered extensions, by uuid.
func (m *Manager) Registrations() []Registration {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Registration, 0, len(m.exts))
	for _, r := range m.exts {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out
}

// WaitRegistered waits until an extension called name is registered and
// answers a ping on its own socket (osquery-go registers before it listens).
func (m *Manager) WaitRegistered(ctx context.Context, name string) (Registration, error) {
	for {
		m.mu.Lock()
		var reg *Registration
		for _, r := range m.exts {
			if r.Info.Name == name {
				reg = r
			}
		}
		ch := m.changed
		m.mu.Unlock()
		if reg != nil {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			err := m.PingExtension(pctx, reg.UUID)
			cancel()
			if err == nil {
				return *reg, nil
			}
			ch = nil // poll
		}
		select {
		case <-ch:
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return Registration{}, fmt.Errorf("standin: extension %q not registered and answering: %w", name, ctx.Err())
		}
	}
}

// Queries returns the SQL of every query call received, in order.
func (m *Manager) Queries() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.queries...)
}

// StaleSocket leaves a socket file at path that nobody listens on, as a dead
// osqueryd does: it exists, and connecting is refused.
func StaleSocket(path string) error {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("standin: stale socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(false)
	return ln.Close()
}

func (m *Manager) notifyLocked() {
	close(m.changed)
	m.changed = make(chan struct{})
}

func (m *Manager) accept(ln *net.UnixListener) {
	defer m.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		m.mu.Lock()
		if m.ln != ln { // killed meanwhile
			m.mu.Unlock()
			_ = conn.Close()
			return
		}
		m.conns[conn] = struct{}{}
		m.wg.Add(1)
		m.mu.Unlock()
		go m.serve(conn)
	}
}

// serve answers requests on one connection until it closes.
func (m *Manager) serve(conn net.Conn) {
	defer m.wg.Done()
	defer func() {
		m.mu.Lock()
		delete(m.conns, conn)
		m.mu.Unlock()
		_ = conn.Close()
	}()
	sock := thrift.NewTSocketFromConnConf(conn, &thrift.TConfiguration{})
	trans := thrift.NewTBufferedTransport(sock, bufferSize)
	prot := thrift.NewTBinaryProtocolConf(trans, &thrift.TConfiguration{})
	proc := osquery.NewExtensionManagerProcessor(&handler{m: m})
	for {
		ok, err := proc.Process(context.Background(), prot, prot)
		if err != nil {
			var te thrift.TTransportException
			if errors.As(err, &te) {
				return
			}
			var ae thrift.TApplicationException
			if errors.As(err, &ae) && ae.TypeId() == thrift.UNKNOWN_METHOD {
				continue
			}
		}
		if !ok {
			return
		}
	}
}

// bufferSize matches osquery's buffered transport.
const bufferSize = 64 << 10

// newUUID picks an unused five-digit route uuid.
func (m *Manager) newUUIDLocked() osquery.ExtensionRouteUUID {
	for {
		id := osquery.ExtensionRouteUUID(10000 + rand.IntN(90000))
		if _, used := m.exts[id]; !used {
			return id
		}
	}
}

// delayFor is the total delay for sql.
func (m *Manager) delayFor(sql string) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queries = append(m.queries, sql)
	var d time.Duration
	for _, dl := range m.delays {
		if strings.Contains(sql, dl.substr) {
			d += dl.d
		}
	}
	return d
}
