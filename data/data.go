// Package data embeds the catalogues, mappings, lifecycle dates, default policy
// and schemas that the engine, translator and packs read.
package data

import "embed"

// FS holds every data file shipped with the binary.
//
//go:embed *.yaml *.json
var FS embed.FS
