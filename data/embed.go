// Package data embeds the bundled dataset: the network curated by hand from
// the seed document (see COVERAGE.md and CURATION.md), in the format that
// FORMAT.md describes. The server needs no files beside its binary.
package data

import "embed"

// FS holds sources.yaml, entities.yaml and relationships.yaml.
//
//go:embed *.yaml
var FS embed.FS

// Resolution holds resolution/*.yaml: the reviewed entity-resolution
// decisions that link the curated network to the records of imported lists
// (see resolution/README.md). Every load applies the accepted ones.
//
//go:embed resolution/*.yaml
var Resolution embed.FS
