package resolve

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/network"
)

// The values of Decision.Decision.
const (
	Accept  = "accept"
	Reject  = "reject"
	Pending = "pending"
)

// Decision is one reviewed candidate pair: whether Merge is the same real
// person or organization as Keep. Only accepted decisions are applied; a
// load folds Merge into Keep, which keeps its id, name and description.
type Decision struct {
	Keep     string   `yaml:"keep"`
	Merge    string   `yaml:"merge"`
	Decision string   `yaml:"decision"`
	Evidence []string `yaml:"evidence"`
	// Reviewer and Note record who decided and why.
	Reviewer string `yaml:"reviewer,omitempty"`
	Note     string `yaml:"note,omitempty"`
}

// File is the YAML shape of a decisions file (see data/resolution/README.md).
type File struct {
	Decisions []Decision `yaml:"decisions"`
}

// ReadDecisions reads every *.yaml file in dir of fsys, sorted by name. A
// malformed file, an unknown decision value, a missing id or a pair decided
// twice is an EINVALID error naming the file, the line and the field.
func ReadDecisions(fsys fs.FS, dir string) ([]Decision, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "reading decisions in %s: %v", dir, err)
	}
	sort.Strings(names)
	var out []Decision
	seen := map[[2]string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, network.Errorf(network.EINVALID, "%s: cannot read: %v", name, err)
		}
		ds, err := parseDecisions(name, b)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			key := pairKey(d.Keep, d.Merge)
			if prev, ok := seen[key]; ok {
				return nil, network.Errorf(network.EINVALID, "%s: decisions: pair %s / %s is decided twice (also in %s)", name, d.Keep, d.Merge, prev)
			}
			seen[key] = name
			out = append(out, d.Decision)
		}
	}
	return out, nil
}

// ParseDecisions reads one decisions file's content; name is used in
// errors.
func ParseDecisions(name string, b []byte) ([]Decision, error) {
	ds, err := parseDecisions(name, b)
	if err != nil {
		return nil, err
	}
	out := make([]Decision, len(ds))
	for i, d := range ds {
		out[i] = d.Decision
	}
	return out, nil
}

// locatedDecision is a decision with the line it was read from.
type locatedDecision struct {
	Decision
	line int
}

func parseDecisions(name string, b []byte) ([]locatedDecision, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, network.Errorf(network.EINVALID, "%s: %v", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "decisions" {
			list = root.Content[i+1]
		}
	}
	if root.Kind != yaml.MappingNode || list == nil || list.Kind != yaml.SequenceNode {
		return nil, network.Errorf(network.EINVALID, "%s:%d: decisions: want a mapping with a list named decisions", name, root.Line)
	}
	var out []locatedDecision
	for _, item := range list.Content {
		var d Decision
		if err := item.Decode(&d); err != nil {
			return nil, network.Errorf(network.EINVALID, "%s:%d: decisions: %v", name, item.Line, err)
		}
		line := func(field string) int {
			for i := 0; i+1 < len(item.Content); i += 2 {
				if item.Content[i].Value == field {
					return item.Content[i].Line
				}
			}
			return item.Line
		}
		switch {
		case d.Keep == "":
			return nil, network.Errorf(network.EINVALID, "%s:%d: keep: missing", name, line("keep"))
		case d.Merge == "":
			return nil, network.Errorf(network.EINVALID, "%s:%d: merge: missing", name, line("merge"))
		case d.Keep == d.Merge:
			return nil, network.Errorf(network.EINVALID, "%s:%d: merge: %q is the same id as keep", name, line("merge"), d.Merge)
		case d.Decision != Accept && d.Decision != Reject && d.Decision != Pending:
			return nil, network.Errorf(network.EINVALID, "%s:%d: decision: %q is not one of accept, reject, pending", name, line("decision"), d.Decision)
		}
		out = append(out, locatedDecision{d, item.Line})
	}
	return out, nil
}

// WriteDecisions renders decisions as a decisions file, with a header that
// says how to review it.
func WriteDecisions(ds []Decision) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(File{Decisions: ds}); err != nil {
		return nil, fmt.Errorf("encoding decisions: %w", err)
	}
	return buf.Bytes(), enc.Close()
}

const header = `# Entity-resolution decisions (format: data/resolution/README.md).
# Each pair says whether "merge" is the same real entity as "keep".
# Set decision to accept or reject after reading the evidence; only
# accepted pairs are applied, on every load. Never accept on a name alone.
`

func pairKey(a, b string) [2]string {
	if strings.Compare(a, b) > 0 {
		a, b = b, a
	}
	return [2]string{a, b}
}
