package extension

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	osq "github.com/osquery/osquery-go"
	"github.com/osquery/osquery-go/gen/osquery"
)

// Run serves the tables to the osquery at opts.Socket until ctx ends (nil), or
// osquery asks the extension to shut down (nil), or osquery goes away or drops
// the registration (an error, within one Interval).
//
// Start-up waits up to opts.Timeout for the socket to answer a ping (absent
// and connection-refused sockets are retried), then registers.
func Run(ctx context.Context, opts Options) error {
	opts = opts.withDefaults()
	log := opts.Logger
	if opts.Socket == "" {
		return errors.New("no osquery extension socket given (--socket PATH)")
	}
	if len(opts.Socket) > osq.MaxSocketPathCharacters {
		return fmt.Errorf("osquery extension socket %s is %d characters long; the limit is %d (the registered extension listens on PATH.<uuid>)",
			opts.Socket, len(opts.Socket), osq.MaxSocketPathCharacters)
	}
	if err := waitForManager(ctx, opts.Socket, opts.Timeout); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}

	collectClient := newManagerClient(opts.Socket, opts.QueryTimeout)
	defer collectClient.Close()
	svc, err := NewService(collectClient, opts)
	if err != nil {
		return err
	}
	reg := &registrar{c: newManagerClient(opts.Socket, opts.Timeout), log: log}
	defer reg.Close()
	server, err := osq.NewExtensionManagerServer(Name, opts.Socket,
		osq.WithClient(reg),
		osq.ExtensionVersion(opts.Version),
		osq.ServerTimeout(opts.Timeout),
		osq.WithTransportFactory(thrift.NewTBufferedTransportFactory(bufferSize)),
	)
	if err != nil {
		return fmt.Errorf("osquery extension socket %s: %w", opts.Socket, err)
	}
	for _, t := range Tables(svc) {
		server.RegisterPlugin(t)
	}

	served := make(chan error, 1)
	go func() { served <- server.Start() }()
	watch := make(chan error, 1)
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() { watch <- watchManager(wctx, opts, reg) }()

	var result error
	select {
	case err := <-served:
		if err != nil {
			result = fmt.Errorf("serving the extension on %s: %w", opts.Socket, err)
		} else {
			log.Info("osquery asked the extension to shut down")
		}
	case err := <-watch:
		result = err
	case <-ctx.Done():
		log.Info("stopping", "reason", context.Cause(ctx))
	}
	stopWatch()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil && result == nil && ctx.Err() == nil {
		log.Debug("deregistering", "error", err)
	}
	return result
}

// waitForManager waits until the manager socket answers a ping, retrying an
// absent or refusing socket until timeout.
func waitForManager(ctx context.Context, path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		remaining := time.Until(deadline)
		if remaining <= 0 {
			break
		}
		c := newManagerClient(path, min(remaining, time.Second))
		lastErr = c.Ping(ctx)
		c.Close()
		if lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(min(200*time.Millisecond, time.Until(deadline))):
		}
	}
	return fmt.Errorf("osquery extension socket %s not ready after %s: %v", path, timeout, lastErr)
}

// watchManager pings osquery every Interval through a client of its own and
// returns an error when osquery stops answering or no longer lists this
// extension (so osquery's watcher can start a fresh one).
func watchManager(ctx context.Context, opts Options, reg *registrar) error {
	pinger := newManagerClient(opts.Socket, min(opts.Interval, opts.Timeout))
	defer pinger.Close()
	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		err := pinger.Ping(ctx)
		if err != nil && ctx.Err() == nil {
			// One retry on a fresh connection: the failed call closed the old one.
			err = pinger.Ping(ctx)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("osquery at %s went away: %w", opts.Socket, err)
		}
		uuid := reg.uuid.Load()
		if uuid == 0 {
			continue // not registered yet
		}
		list, err := pinger.Extensions(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("osquery at %s went away: %w", opts.Socket, err)
		}
		if _, ok := list[osquery.ExtensionRouteUUID(uuid)]; !ok {
			return fmt.Errorf("osquery at %s no longer lists this extension (uuid %d); exiting so osquery can start it again", opts.Socket, uuid)
		}
	}
}
