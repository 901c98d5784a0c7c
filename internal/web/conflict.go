package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/web/webform"
)

// The conflict view: every edit form carries the version of what it edits
// (or, for the license pool and a customer's allocation, which have no
// version, the counts it showed), and the service refuses a save over a
// newer copy (EPrecondition). The form then comes back with status 409,
// every value as typed, and the version of the copy stored now in its
// hidden field, so that a second Save deliberately replaces what the other
// person saved; above the fields an alert says so, lists what is stored now
// beside what was typed wherever the two differ, and links to a fresh copy
// ("Discard my changes and reload"). One builder (newConflict) and one
// partial ("conflict", drawn by "form-errors" and by the entity panel) serve
// every form.

// conflict is the view of a save refused because the record changed after
// the form was opened.
type conflict struct {
	// ID is the alert's element id ("form-alert", "entity-alert").
	ID string
	// Noun names what changed: "user", "customer", "license pool".
	Noun string
	// When is when the stored copy was saved, "" when the record keeps no
	// time. Who saved it is in the audit history, which not every role
	// may read, so the alert does not name them.
	When string
	// Rows are the fields whose stored value differs from what was typed.
	Rows []conflictRow
	// Reload opens a fresh copy of the record, dropping what was typed.
	Reload string
}

// conflictRow is one field of the view: its label, the stored value and the
// typed one, in words.
type conflictRow struct {
	Label, Stored, Typed string
}

// conflictField is one field a form edits, for its conflict view: its
// label, and the words that say its value in a set of the form's values.
type conflictField struct {
	Label string
	Say   func(v url.Values) string
}

// newConflict compares the stored values with the typed ones over fields.
func newConflict(noun string, at time.Time, reload string, fields []conflictField, stored, typed url.Values) *conflict {
	c := &conflict{ID: "form-alert", Noun: noun, Reload: reload}
	if !at.IsZero() {
		c.When = at.UTC().Format("2 Jan 2006 at 15:04 UTC")
	}
	for _, f := range fields {
		s, t := f.Say(stored), f.Say(typed)
		if s != t {
			c.Rows = append(c.Rows, conflictRow{Label: f.Label, Stored: s, Typed: t})
		}
	}
	return c
}

// errors returns the conflict as what a form shows above its fields.
func (c *conflict) errors() formErrors {
	return formErrors{Alert: c.Message(), Reload: c.Reload, Conflict: c}
}

// Message is the alert's first sentence.
func (c *conflict) Message() string {
	s := "Someone else changed this " + c.Noun + " after you opened it"
	if c.When != "" {
		s += " (saved " + c.When + ")"
	}
	return s + ", so your changes were not saved."
}

// fieldConflicts are the conflict fields of a form's field definitions:
// read-only fields are left out; toggles say On / Off (or their own words),
// countries their name, phones the number with its code; names maps a
// select's values to its words (by path), or the value is shown as stored.
func fieldConflicts(defs []webform.Field, names map[string]map[string]string) []conflictField {
	out := make([]conflictField, 0, len(defs))
	for _, d := range defs {
		if d.ReadOnly || d.Disabled || d.Type == "password" {
			continue
		}
		path := d.Path
		var say func(url.Values) string
		switch d.Kind {
		case webform.Toggle:
			on, off := d.OnLabel, d.OffLabel
			if on == "" {
				on, off = "Active", "Inactive"
			}
			say = func(v url.Values) string {
				if v.Get(path) == "on" {
					return on
				}
				return off
			}
		case webform.Country:
			say = func(v url.Values) string {
				c := strings.TrimSpace(v.Get(path))
				if n := domain.CountryName(c); n != "" {
					return n
				}
				return c
			}
		case webform.Phone:
			say = func(v url.Values) string { return webform.CombinePhone(v.Get("phone_region"), v.Get(path)) }
		default:
			m := names[path]
			say = func(v url.Values) string {
				x := strings.TrimSpace(v.Get(path))
				if n, ok := m[x]; ok {
					return n
				}
				return x
			}
		}
		out = append(out, conflictField{Label: d.Label, Say: say})
	}
	return out
}

// sectionConflicts is fieldConflicts over the fields of sections.
func sectionConflicts(sections []webform.Section, names map[string]map[string]string) []conflictField {
	var defs []webform.Field
	for _, s := range sections {
		defs = append(defs, s.Fields...)
	}
	return fieldConflicts(defs, names)
}

// listConflict is a field of several values (entities, reports): their
// words in the order given, joined; none says an empty list.
func listConflict(label, key string, words map[string]string, none string) conflictField {
	return conflictField{Label: label, Say: func(v url.Values) string {
		var out []string
		for _, x := range v[key] {
			if x = strings.TrimSpace(x); x == "" {
				continue
			}
			if n, ok := words[x]; ok {
				x = n
			}
			out = append(out, x)
		}
		if len(out) == 0 {
			return none
		}
		slices.Sort(out)
		return strings.Join(slices.Compact(out), ", ")
	}}
}

// countConflicts are the license counts of a form by type (under prefix in
// the values), "" shown as empty.
func countConflicts(prefix string, label func(t string) string, empty string) []conflictField {
	out := make([]conflictField, 0, len(domain.LicenseTypes))
	for _, t := range domain.LicenseTypes {
		out = append(out, conflictField{Label: label(t), Say: func(v url.Values) string {
			s := strings.TrimSpace(v.Get(prefix + t))
			if s == "" {
				return empty
			}
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return strconv.FormatInt(n, 10)
			}
			return s
		}})
	}
	return out
}

// customerNames maps the placement's customers to their names, with none
// for the organization ("").
func (pl placement) customerNames(none string) map[string]string {
	m := map[string]string{"": none}
	for id, c := range pl.refs.customers {
		m[id] = c.Name
	}
	return m
}

// catalogNames maps a catalog's keys to their names.
func catalogNames(entries []domain.CatalogEntry) map[string]string {
	m := map[string]string{}
	for _, e := range entries {
		m[e.Key] = e.Name
	}
	return m
}
