package extension

import (
	"context"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// Client runs SQL through a running osqueryd's extension manager socket: one
// serialized connection, a deadline on every call, and close-and-redial after
// any transport error or timeout. It implements queries.Runner.
type Client struct{ c *managerClient }

var (
	_ queries.Runner = (*Client)(nil)
	_ QueryRunner    = (*Client)(nil)
)

// NewClient returns a client for the socket at path; timeout bounds each call.
// It connects on first use.
func NewClient(path string, timeout time.Duration) *Client {
	return &Client{c: newManagerClient(path, timeout)}
}

// Ping checks that osquery answers.
func (c *Client) Ping(ctx context.Context) error { return c.c.Ping(ctx) }

// Query runs sql in osquery. osquery's own error answers ("no such table")
// satisfy IsOsqueryError; other errors mean osquery could not be asked.
func (c *Client) Query(ctx context.Context, sql string) ([]queries.Row, error) {
	rows, err := c.c.QueryRows(ctx, sql)
	if err != nil {
		return nil, err
	}
	out := make([]queries.Row, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, nil
}

// Close drops the connection.
func (c *Client) Close() { c.c.Close() }

// QueryRows is Query with plain maps; it makes Client a QueryRunner for
// NewService.
func (c *Client) QueryRows(ctx context.Context, sql string) ([]map[string]string, error) {
	return c.c.QueryRows(ctx, sql)
}
