package sim

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
)

// DefaultLabFile is the default lab's file: Contoso's hybrid deployment as
// the hybrid configuration wizard leaves it, documented line by line. A lab
// file starting with "Base: default" overrides it.
//
//go:embed default-lab.yaml
var DefaultLabFile []byte

// defaultLabName is how errors in the default lab name their file.
const defaultLabName = "default-lab.yaml"

// DefaultConfig returns the default lab's configuration: a copy of its own,
// which the caller may change.
func DefaultConfig() Config {
	cfg, err := defaultLab()
	if err != nil {
		panic("sim: the embedded default lab does not load: " + err.Error())
	}
	return cfg.Clone()
}

// defaultLab parses the embedded default lab once.
func defaultLab() (Config, error) {
	defaultOnce.Do(func() { defaultCfg, defaultErr = Parse(defaultLabName, DefaultLabFile) })
	return defaultCfg, defaultErr
}

var (
	defaultOnce sync.Once
	defaultCfg  Config
	defaultErr  error
)

// Load reads a lab file.
func Load(path string) (Config, error) {
	data, err := readLimited(path)
	if err != nil {
		return Config{}, err
	}
	return Parse(path, data)
}

// Parse reads a lab file's YAML; name is the file's name in errors. Every
// error names the file, the line and the field: an unknown property, a value
// of the wrong type, or a reference to a certificate, server or authority
// the lab does not have. All of them are reported at once.
func Parse(name string, data []byte) (Config, error) {
	if len(data) > MaxLabFileSize {
		return Config{}, &FileError{File: name, Err: fmt.Errorf("the file is %d bytes; a lab file may be at most %d: describe the deployment's servers, certificates and connectors, not data", len(data), MaxLabFileSize)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Config{}, yamlErrorAt(name, err, data)
	}
	var cfg Config
	src := &sources{objects: map[string]position{}, fields: map[string]position{}}
	switch base := baseOf(&root); strings.ToLower(base.Value) {
	case "":
	case "default":
		cfg = DefaultConfig()
		src = cfg.src
	default:
		return Config{}, &FileError{File: name, Line: base.Line, Field: "Base",
			Err: fmt.Errorf("unknown base %q; write Base: default to start from the default lab, or leave Base out", base.Value)}
	}
	d := &decoder{file: name, objects: src.objects, fields: src.fields}
	baseSteps := cfg.Steps
	cfg.Steps = nil
	d.decode(&root, reflectValue(&cfg), "")
	cfg.Steps = append(baseSteps[:len(baseSteps):len(baseSteps)], cfg.Steps...) // the base's steps first
	src.file = name
	cfg.src = src
	cfg.dropRemovedServers(d.removed)
	if len(d.errs) == 0 {
		d.errs = cfg.checkReferences()
	}
	if len(d.errs) > 0 {
		return Config{}, errors.Join(d.errs...)
	}
	return cfg, nil
}

// baseOf returns the document's Base value node (an empty node if none).
func baseOf(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if strings.EqualFold(m.Content[i].Value, "Base") {
				return m.Content[i+1]
			}
		}
	}
	return &yaml.Node{}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a FileError with its line.
func yamlError(name string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &FileError{File: name, Line: line, Err: fmt.Errorf("YAML syntax: %s", m[2])}
	}
	return &FileError{File: name, Err: fmt.Errorf("YAML syntax: %s", strings.TrimPrefix(err.Error(), "yaml: "))}
}

// sources remembers where a lab's values came from, so that errors found
// after decoding (references, and the fakes' own validation when the lab
// starts) still name the file, the line and the field.
type sources struct {
	objects map[string]position // identity -> where the object was given
	fields  map[string]position // field path -> where it was given
	file    string              // the lab file read last (a Base: default file's own name)
}

// fieldError is an error about a field found after decoding.
func (c *Config) fieldError(path string, err error) error {
	if c.src != nil {
		// The value itself, or the nearest enclosing value the file gave.
		for at := path; at != ""; at = parentPath(at) {
			if p, ok := c.src.fields[at]; ok {
				return c.src.inherited(p, &FileError{File: p.file, Line: p.line, Field: p.field + path[len(at):], Err: err})
			}
		}
	}
	file := "lab"
	if c.src != nil && c.src.file != "" {
		file = c.src.file
	}
	return &FileError{File: file, Field: path, Err: err}
}

// parentPath strips the last element of a field path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// objectError attributes an error raised when the lab starts (by the fakes'
// validation, which names objects by identity) to the object it names.
func (c *Config) objectError(err error) error {
	if c.src == nil {
		return err
	}
	best := ""
	for id := range c.src.objects {
		if len(id) > len(best) && strings.Contains(err.Error(), quoteIdentity(id)) {
			best = id
		}
	}
	if best == "" {
		return err
	}
	p := c.src.objects[best]
	if f, ok := c.src.property(p, best, err); ok {
		p = f // the property the fake named, where the file gives it
	}
	return c.src.inherited(p, &FileError{File: p.file, Line: p.line, Field: p.field, Err: err})
}

// quoteIdentity is how the fakes quote an identity in their errors.
func quoteIdentity(id string) string { return `"` + id + `"` }

// prepareField fills in the servers' default receive connectors before a
// lab file overrides them by identity.
func (o *Organization) prepareField(name string) {
	if name == "ReceiveConnectors" {
		o.ReceiveConnectors = o.receiveConnectors()
	}
}

func (o *Organization) deferredFields() []string { return []string{"ReceiveConnectors"} }

// receiveConnectors returns the configured receive connectors, with each
// server's defaults (S33) for the servers that have none.
func (o *Organization) receiveConnectors() []fakeonprem.ReceiveConnector {
	out := o.ReceiveConnectors
	for _, s := range o.Servers {
		has := false
		for _, c := range o.ReceiveConnectors {
			has = has || strings.EqualFold(c.Server, s.Name)
		}
		if !has {
			out = append(out, fakeonprem.DefaultReceiveConnectors(fakeonprem.Server{Name: s.Name, Fqdn: s.Fqdn, Role: s.Role})...)
		}
	}
	return out
}

// checkReferences reports every reference to something the lab lacks.
func (c *Config) checkReferences() []error {
	var errs []error
	certs := map[string]bool{}
	for i, cert := range c.Certificates {
		if cert.Name == "" {
			errs = append(errs, c.fieldError(fmt.Sprintf("Certificates[%d]", i), errors.New("a certificate needs a Name for servers to refer to it")))
		}
		certs[strings.ToLower(cert.Name)] = true
		if cert.Profile != "" {
			if _, err := pki.ParseProfile(cert.Profile); err != nil {
				errs = append(errs, c.fieldError(fmt.Sprintf("Certificates[%d].Profile", i), err))
			}
		}
	}
	for oi, org := range c.organizations() {
		prefix := "OnPrem"
		if oi > 0 {
			prefix = fmt.Sprintf("Internet[%d]", oi-1)
		}
		servers := map[string]fakeonprem.Role{}
		for _, s := range org.Servers {
			servers[strings.ToLower(s.Name)] = s.Role
		}
		for si, s := range org.Servers {
			for ei, e := range s.Certificates {
				if e.Remove {
					continue // setup's certificate, removed (setupcertificate.go)
				}
				if !certs[strings.ToLower(e.Certificate)] {
					errs = append(errs, c.fieldError(fmt.Sprintf("%s.Servers[%d].Certificates[%d].Certificate", prefix, si, ei),
						fmt.Errorf("no certificate named %q; name one of the lab's Certificates", e.Certificate)))
				}
			}
		}
		for ri, rc := range org.ReceiveConnectors {
			if _, ok := servers[strings.ToLower(rc.Server)]; !ok {
				errs = append(errs, c.fieldError(fmt.Sprintf("%s.ReceiveConnectors[%d].Server", prefix, ri),
					fmt.Errorf("no server named %q in %s; name one of its Servers", rc.Server, org.Name)))
			}
		}
		for ei, e := range org.EdgeSubscriptions {
			if role, ok := servers[strings.ToLower(e)]; !ok || role != fakeonprem.RoleEdge {
				errs = append(errs, c.fieldError(fmt.Sprintf("%s.EdgeSubscriptions[%d]", prefix, ei),
					fmt.Errorf("no Edge server named %q in %s; name a server whose Role is Edge", e, org.Name)))
			}
		}
	}
	return errs
}

// organizations returns the on-premises organization and the internet's.
func (c *Config) organizations() []*Organization {
	out := []*Organization{&c.OnPrem}
	for i := range c.Internet {
		out = append(out, &c.Internet[i])
	}
	return out
}
