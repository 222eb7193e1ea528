package extension

import (
	"io"
	"log/slog"
	"os"
)

// NewLogger returns the extension's logger: text to w (stderr when nil), at
// info level, or debug when verbose.
func NewLogger(w io.Writer, verbose bool) *slog.Logger {
	if w == nil {
		w = os.Stderr
	}
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})).With("ext", Name)
}
