package scenarios

import (
	"slices"
	"strings"
)

// Catalogue returns every entry, in the spec's order.
func Catalogue() []Entry {
	all := slices.Concat(exoToOnPrem(), cloudValidation(), onPremToEXO(), internalEntries(), connectorValidation(), []Entry{twoFrontends()}, rootChangeEntries())
	slices.SortStableFunc(all, func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// Find returns the entry with an id (F01) or slug, or false.
func Find(name string) (Entry, bool) {
	for _, e := range Catalogue() {
		if strings.EqualFold(e.ID, name) || strings.EqualFold(e.Slug, name) {
			return e, true
		}
	}
	return Entry{}, false
}
