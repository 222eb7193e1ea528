package extension

import (
	"context"
	"net"

	"github.com/apache/thrift/lib/go/thrift"
)

// bufferSize is the read and write buffer of every Thrift connection. osquery's
// extension manager speaks the binary protocol over a buffered transport; the
// buffer turns the protocol's many small writes into one write per message.
const bufferSize = 64 << 10

// connTransport adapts a net.Conn to thrift.TTransport without touching its
// deadlines (thrift.TSocket resets them on every read), so a caller can set one
// deadline for a whole request/response exchange.
type connTransport struct{ net.Conn }

func (connTransport) Open() error                 { return nil }
func (connTransport) IsOpen() bool                { return true }
func (connTransport) Flush(context.Context) error { return nil }
func (connTransport) RemainingBytes() uint64      { return ^uint64(0) }

// newBufferedTransport wraps c in the buffered transport osquery expects.
func newBufferedTransport(c net.Conn) thrift.TTransport {
	return thrift.NewTBufferedTransport(connTransport{c}, bufferSize)
}

// newProtocol is the binary protocol osquery uses on its extension sockets.
func newProtocol(t thrift.TTransport) thrift.TProtocol {
	return thrift.NewTBinaryProtocolConf(t, &thrift.TConfiguration{})
}
