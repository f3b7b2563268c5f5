package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"go.yaml.in/yaml/v3"
)

// removeKey is the property that removes an inherited object: a lab file
// that starts with "Base: default" writes the object's identity and
// "Remove: $true" to take the default lab's object out (an Edge server the
// customer does not have, a mailbox, a connector).
const removeKey = "Remove"

// removal reads an item's Remove property: whether it has one, and its
// value. The property is taken out of the item, so that it is not decoded
// as one of the object's own.
func (d *decoder) removal(item *yaml.Node, path string) (remove *yaml.Node, ok bool) {
	if item.Kind != yaml.MappingNode {
		return nil, false
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if strings.EqualFold(item.Content[i].Value, removeKey) {
			return item.Content[i+1], true
		}
	}
	return nil, false
}

// remove takes the object at index i out of the list v, as the item asks;
// an item that names no object, or whose Remove is not $true, or that
// gives other properties besides its identity, is an error.
func (d *decoder) remove(v reflect.Value, i int, keys []string, item, flag *yaml.Node, path string) {
	at := join(path, removeKey)
	if flag.Kind != yaml.ScalarNode || !parseBoolWord(flag.Value) {
		d.fail(flag, at, "Remove takes only $true, got %s; leave Remove out to keep the object", describe(flag))
		return
	}
	for k := 0; k+1 < len(item.Content); k += 2 {
		name := item.Content[k].Value
		if !strings.EqualFold(name, removeKey) && !containsFold(keys, name) {
			d.fail(item.Content[k], join(path, name), "an object with Remove: $true gives only its identity (%s); drop %q or the Remove", strings.Join(keys, ", "), name)
			return
		}
	}
	if d.removeSetupCertificate(v, i, keys, item) {
		return
	}
	if i < 0 {
		d.fail(item, path, "Remove: $true names no object the lab has (%s); check the spelling against the default lab (sim/default-lab.yaml)", describeIdentity(item, keys))
		return
	}
	if server, ok := v.Index(i).Interface().(Server); ok {
		d.removed = append(d.removed, server.Name)
	}
	out := reflect.MakeSlice(v.Type(), 0, v.Len()-1)
	for j := range v.Len() {
		if j != i {
			out = reflect.Append(out, v.Index(j))
		}
	}
	v.Set(out)
	if d.objects != nil {
		delete(d.objects, identityOfItem(item, keys))
	}
}

// parseBoolWord reports whether a word is one of PowerShell's true values.
func parseBoolWord(s string) bool {
	switch strings.ToLower(s) {
	case "$true", "true":
		return true
	}
	return false
}

// describeIdentity renders the identity an item gives, e.g. Name: EDGE01.
func describeIdentity(item *yaml.Node, keys []string) string {
	var parts []string
	for k := 0; k+1 < len(item.Content); k += 2 {
		if containsFold(keys, item.Content[k].Value) {
			parts = append(parts, fmt.Sprintf("%s: %s", item.Content[k].Value, item.Content[k+1].Value))
		}
	}
	if len(parts) == 0 {
		return "no " + strings.Join(keys, " or ") + " given"
	}
	return strings.Join(parts, ", ")
}

// identityOfItem is the identity an item gives, as identityOf renders it.
func identityOfItem(item *yaml.Node, keys []string) string {
	parts := make([]string, len(keys))
	for k := 0; k+1 < len(item.Content); k += 2 {
		for j, key := range keys {
			if strings.EqualFold(item.Content[k].Value, key) {
				parts[j] = item.Content[k+1].Value
			}
		}
	}
	return strings.Join(parts, `\`)
}

// dropRemovedServers takes out what belonged to the servers a lab file
// removed: their receive connectors and Edge subscriptions.
func (c *Config) dropRemovedServers(removed []string) {
	for _, org := range c.organizations() {
		org.ReceiveConnectors = slices.DeleteFunc(org.ReceiveConnectors, func(rc fakeonprem.ReceiveConnector) bool {
			return containsFold(removed, rc.Server)
		})
		org.EdgeSubscriptions = slices.DeleteFunc(org.EdgeSubscriptions, func(e string) bool { return containsFold(removed, e) })
	}
}
