package extension

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/osquery/osquery-go/gen/osquery"
)

// managerClient is one connection to osquery's extension manager. Calls are
// serialized (one request in flight), each has a deadline, and after any
// transport or protocol error or timeout the connection is closed and the next
// call dials a fresh one: a Thrift connection that missed a reply is out of step
// and would hand the next caller someone else's answer.
type managerClient struct {
	path    string
	timeout time.Duration
	sem     chan struct{} // holds the right to use conn

	// conn and em are guarded by sem.
	conn net.Conn
	em   *osquery.ExtensionManagerClient
}

// newManagerClient returns a client for the manager socket at path; it dials
// lazily. timeout bounds every call (ctx may shorten it).
func newManagerClient(path string, timeout time.Duration) *managerClient {
	return &managerClient{path: path, timeout: timeout, sem: make(chan struct{}, 1)}
}

// osqueryError is an answer from osquery that reports a failure (a non-zero
// status code), as opposed to a failure to talk to osquery.
type osqueryError struct{ msg string }

func (e *osqueryError) Error() string { return e.msg }

// call runs fn with exclusive use of a live connection and a deadline.
func (c *managerClient) call(ctx context.Context, op string, fn func(context.Context, *osquery.ExtensionManagerClient) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: waited %s for the osquery connection: %w", op, time.Since(start).Round(time.Millisecond), os.ErrDeadlineExceeded)
	}
	defer func() { <-c.sem }()
	if c.conn == nil {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "unix", c.path)
		if err != nil {
			return fmt.Errorf("%s: connect to osquery at %s: %w", op, c.path, err)
		}
		c.conn = conn
		t := newBufferedTransport(conn)
		p := newProtocol(t)
		c.em = osquery.NewExtensionManagerClient(thrift.NewTStandardClient(p, p))
	}
	conn := c.conn
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		c.closeLocked()
		return fmt.Errorf("%s: %w", op, err)
	}
	// Cancelling ctx (the caller went away) interrupts a blocked read or write.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	err := fn(ctx, c.em)
	stop()
	if err == nil {
		return nil
	}
	c.closeLocked()
	if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("%s: no answer from osquery within %s (per-call deadline; connection closed, the next call re-dials): %w",
			op, deadline.Sub(start).Round(time.Millisecond), os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("%s: %w (connection closed, next call re-dials)", op, err)
}

// closeLocked drops the connection; the caller holds sem.
func (c *managerClient) closeLocked() {
	if c.conn != nil {
		_ = c.conn.Close()
	}
	c.conn, c.em = nil, nil
}

// Close drops the connection, waiting for a call in flight to finish.
func (c *managerClient) Close() {
	c.sem <- struct{}{}
	c.closeLocked()
	<-c.sem
}

// Ping asks osquery for its status.
func (c *managerClient) Ping(ctx context.Context) error {
	return c.call(ctx, "ping", func(ctx context.Context, em *osquery.ExtensionManagerClient) error {
		st, err := em.Ping(ctx)
		if err != nil {
			return err
		}
		return statusErr(st)
	})
}

// QueryRows runs sql in osquery. An error answer from osquery is an
// *osqueryError; any other error means osquery could not be asked.
func (c *managerClient) QueryRows(ctx context.Context, sql string) ([]map[string]string, error) {
	var rows []map[string]string
	var answer error
	err := c.call(ctx, "query", func(ctx context.Context, em *osquery.ExtensionManagerClient) error {
		res, err := em.Query(ctx, sql)
		if err != nil {
			return err
		}
		if res.Status == nil {
			answer = &osqueryError{msg: "osquery returned no status"}
		} else if res.Status.Code != 0 {
			answer = &osqueryError{msg: res.Status.Message}
		}
		rows = res.Response
		return nil
	})
	if err != nil {
		return nil, err
	}
	if answer != nil {
		return nil, answer
	}
	return rows, nil
}

// Extensions lists the extensions osquery has registered.
func (c *managerClient) Extensions(ctx context.Context) (osquery.InternalExtensionList, error) {
	var list osquery.InternalExtensionList
	err := c.call(ctx, "extensions", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		list, err = em.Extensions(ctx)
		return err
	})
	return list, err
}

func statusErr(st *osquery.ExtensionStatus) error {
	switch {
	case st == nil:
		return &osqueryError{msg: "osquery returned no status"}
	case st.Code != 0:
		return &osqueryError{msg: fmt.Sprintf("status %d: %s", st.Code, st.Message)}
	}
	return nil
}
