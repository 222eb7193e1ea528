// Package standin is a stand-in osqueryd for tests: it speaks osquery's real
// Thrift extension-manager protocol (binary protocol over a buffered
// transport) on a unix socket, accepts registrations like osqueryd (uuid,
// duplicate-name refusal), answers ping, extensions, options, query and
// getQueryColumns, and calls a registered extension's plugins on
// <socket>.<uuid> as osqueryd does.
//
// The extension's query calls are answered by a Querier, normally an osqsim
// database loaded with a fixture host, so SQL is really evaluated: a table the
// fixture lacks answers "no such table", a misspelt column fails.
//
// Test controls: delay queries matching a substring, kill (listener and
// connections closed, socket file left behind as a dead osqueryd leaves it),
// restart, drop a registration, start late, and a stale socket file that
// refuses connections.
//
// Keep socket paths short (os.MkdirTemp("", "oq")): osquery-go refuses
// manager paths over 97 characters.
package standin
