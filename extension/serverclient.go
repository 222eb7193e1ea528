package extension

import (
	"context"
	"log/slog"
	"sync/atomic"

	osq "github.com/osquery/osquery-go"
	"github.com/osquery/osquery-go/gen/osquery"
)

// registrar is the client osquery-go's server uses to register and deregister
// the extension. It is a managerClient of its own (never shared with collection
// or the liveness pings) and remembers the uuid osquery assigned.
type registrar struct {
	c    *managerClient
	log  *slog.Logger
	uuid atomic.Int64
}

var _ osq.ExtensionManager = (*registrar)(nil)

func (r *registrar) Close() { r.c.Close() }

func (r *registrar) Ping() (*osquery.ExtensionStatus, error) {
	var st *osquery.ExtensionStatus
	err := r.c.call(context.Background(), "ping", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		st, err = em.Ping(ctx)
		return err
	})
	return st, err
}

func (r *registrar) Call(registry, item string, req osquery.ExtensionPluginRequest) (*osquery.ExtensionResponse, error) {
	var res *osquery.ExtensionResponse
	err := r.c.call(context.Background(), "call", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		res, err = em.Call(ctx, registry, item, req)
		return err
	})
	return res, err
}

func (r *registrar) Extensions() (osquery.InternalExtensionList, error) {
	return r.c.Extensions(context.Background())
}

func (r *registrar) RegisterExtension(info *osquery.InternalExtensionInfo, reg osquery.ExtensionRegistry) (*osquery.ExtensionStatus, error) {
	var st *osquery.ExtensionStatus
	err := r.c.call(context.Background(), "registerExtension", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		st, err = em.RegisterExtension(ctx, info, reg)
		return err
	})
	if err == nil && st != nil && st.Code == 0 {
		r.uuid.Store(int64(st.UUID))
		if r.log != nil {
			r.log.Info("registered with osquery", "uuid", st.UUID, "socket", r.c.path)
		}
	}
	return st, err
}

func (r *registrar) DeregisterExtension(uuid osquery.ExtensionRouteUUID) (*osquery.ExtensionStatus, error) {
	var st *osquery.ExtensionStatus
	err := r.c.call(context.Background(), "deregisterExtension", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		st, err = em.DeregisterExtension(ctx, uuid)
		return err
	})
	return st, err
}

func (r *registrar) Options() (osquery.InternalOptionList, error) {
	var list osquery.InternalOptionList
	err := r.c.call(context.Background(), "options", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		list, err = em.Options(ctx)
		return err
	})
	return list, err
}

func (r *registrar) Query(sql string) (*osquery.ExtensionResponse, error) {
	var res *osquery.ExtensionResponse
	err := r.c.call(context.Background(), "query", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		res, err = em.Query(ctx, sql)
		return err
	})
	return res, err
}

func (r *registrar) GetQueryColumns(sql string) (*osquery.ExtensionResponse, error) {
	var res *osquery.ExtensionResponse
	err := r.c.call(context.Background(), "getQueryColumns", func(ctx context.Context, em *osquery.ExtensionManagerClient) (err error) {
		res, err = em.GetQueryColumns(ctx, sql)
		return err
	})
	return res, err
}
