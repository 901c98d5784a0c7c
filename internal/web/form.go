package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/web/webform"
)

// checkURLText refuses a page request whose path or query holds something
// that is not one line of text (domain.TextProblem): no id, search, filter
// or cursor of the UI can hold one, and PostgreSQL would refuse invalid
// UTF-8 and NUL with an error instead of an answer.
func checkURLText(r *http.Request) error {
	if msg := domain.TextProblem(r.URL.Path); msg != "" {
		return domain.Errorf(domain.EBadRequest, "The address is not plain text. %s", msg)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return domain.Errorf(domain.EBadRequest, "The address's query string is malformed.")
	}
	return checkValuesText(query, "The address")
}

// checkFormText refuses a posted form holding what no store can hold:
// invalid UTF-8 (browsers send UTF-8, so this is a hand-made request) or
// NUL, in any field, whether a record's text, an id, a version or a
// password. What else text may hold is the domain's rule, shown beside
// the field.
func checkFormText(form url.Values) error {
	for k, vals := range form {
		if msg := domain.BinaryProblem(k); msg != "" {
			return domain.Errorf(domain.EBadRequest, "The form is not plain text. %s", msg)
		}
		for _, v := range vals {
			if msg := domain.BinaryProblem(v); msg != "" {
				return domain.Errorf(domain.EBadRequest, "The form's field %s is not plain text. %s", strconv.Quote(k), msg)
			}
		}
	}
	return nil
}

// checkValuesText applies domain.TextProblem to every name and value of v.
func checkValuesText(v url.Values, where string) error {
	for k, vals := range v {
		if msg := domain.TextProblem(k); msg != "" {
			return domain.Errorf(domain.EBadRequest, "%s is not plain text. %s", where, msg)
		}
		for _, x := range vals {
			if msg := domain.TextProblem(x); msg != "" {
				return domain.Errorf(domain.EBadRequest, "%s's parameter %s is not plain text. %s", where, strconv.Quote(k), msg)
			}
		}
	}
	return nil
}

// fieldRef ties a field path of the domain's errors ("location.pin_code")
// to the input that shows it.
type fieldRef struct {
	ID    string // the input's id; its message element is ID+"-error"
	Label string // the label, for the error summary
}

// formErrors holds what a rejected form shows: a message per field, the
// summary at the top of the form, and an alert for errors that belong to no
// field (a stale version, a conflict).
type formErrors struct {
	Fields  map[string]string // field path → message
	Summary []summaryItem
	Alert   string
	// Reload, when set, links to a fresh copy of what was edited (after a
	// stale version).
	Reload string
	// Conflict, when set, is the conflict view of a stale save
	// (conflict.go); it is drawn instead of Alert.
	Conflict *conflict
}

// summaryItem is one line of the error summary; ID is empty for an error
// that has no input on this form.
type summaryItem struct {
	ID, Label, Message string
}

// newFormErrors turns a domain error into what a form shows. Field paths
// without an input on the form still appear in the summary, so no message
// is lost.
func newFormErrors(err error, refs map[string]fieldRef) formErrors {
	return formErrorsFrom(err, func(field string) (string, fieldRef, bool) {
		ref, ok := refs[field]
		return field, ref, ok
	})
}

// fieldResolver says where the message of a field path of the domain's
// errors goes: key is the form path it is shown beside ("" for none) and
// ref the input (or other element) the summary links to; ok is false when
// nothing on the form shows the field.
type fieldResolver func(field string) (key string, ref fieldRef, ok bool)

// formErrorsFrom is newFormErrors with the mapping of field paths to the
// form given as a function, for forms whose inputs are not named like the
// domain's paths (the entities of the Add Customer wizard).
func formErrorsFrom(err error, resolve fieldResolver) formErrors {
	f := formErrors{Fields: map[string]string{}}
	var de *domain.Error
	if !errors.As(err, &de) {
		f.Alert = "An internal error occurred."
		return f
	}
	if len(de.Fields) == 0 {
		f.Alert = de.Message
		return f
	}
	for _, fe := range de.Fields {
		key, ref, ok := resolve(fe.Field)
		if !ok {
			f.Summary = append(f.Summary, summaryItem{Label: fe.Field, Message: fe.Message})
			continue
		}
		if key == "" {
			f.Summary = append(f.Summary, summaryItem{ID: ref.ID, Label: ref.Label, Message: fe.Message})
			continue
		}
		if prev, dup := f.Fields[key]; dup {
			f.Fields[key] = prev + " " + fe.Message
			for i := range f.Summary {
				if f.Summary[i].ID == ref.ID {
					f.Summary[i].Message = f.Fields[key]
				}
			}
			continue
		}
		f.Fields[key] = fe.Message
		f.Summary = append(f.Summary, summaryItem{ID: ref.ID, Label: ref.Label, Message: fe.Message})
	}
	return f
}

// Any reports whether the form has anything to show.
func (f formErrors) Any() bool { return f.Alert != "" || f.Conflict != nil || len(f.Summary) > 0 }

// Msg returns the message of a field path, or "".
func (f formErrors) Msg(field string) string { return f.Fields[field] }

// sectionRefs maps every field path of sections, under prefix, to its input.
func sectionRefs(sections []webform.Section, prefix, labelPrefix string) map[string]fieldRef {
	m := map[string]fieldRef{}
	for _, s := range sections {
		for _, f := range s.Fields {
			m[prefix+f.Path] = fieldRef{ID: webform.ID(prefix + f.Path), Label: labelPrefix + f.Label}
		}
	}
	return m
}

// customerRefs maps every field path of a customer to its input.
var customerRefs = sectionRefs(webform.CustomerSections, "", "")

// step is one step of the sidebar's step indicator. Done marks a step of
// the Add wizard that was passed (going on checks it on the server).
type step struct {
	Key, Label    string
	Num           int
	Current, Done bool
}

// customerForm is the Add / Edit Customer sidebar: a wizard whose steps are
// all in one form, the current one shown.
type customerForm struct {
	Edit    bool
	Action  string
	ID      string
	Version int64
	Title   string
	Steps   []step
	Step    string
	Values  url.Values // the customer's fields by path, as typed
	Errors  formErrors
	// Entities is the Entity Details step.
	Entities entityPanel
	// Settings is the Settings step.
	Settings settingsPanel
	// Licenses is the License Allocation step.
	Licenses licensePanel
	// Focus is the id of the input that has focus when the sidebar opens:
	// the first invalid field of the current step, or its first field.
	Focus string
	// Dirty is set when the form holds typed input that was not saved, so
	// the script asks before Cancel throws it away.
	Dirty bool
}

// fieldView is one field as the template draws it.
type fieldView struct {
	webform.Field
	ID      string
	Name    string // the input's name: prefix + Path
	Value   string
	Error   string
	Options []option
	// RegionName and Region are the phone field's country-code picker.
	RegionName, Region string
	// Checked is the toggle's state.
	Checked bool
	// Autofocus marks the field that has focus when the page loads.
	Autofocus bool
}

// DescribedBy returns the ids of the elements that describe the input: its
// error message first, then its hint.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// option is one entry of a <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// sectionView is a group of fields in the form.
type sectionView struct {
	Legend string
	Fields []fieldView
}

// buildSections returns the fields of sections under prefix, with their
// values (by path relative to the record), the messages of errs (by full
// path) and focus marked.
func buildSections(sections []webform.Section, prefix string, values url.Values, errs formErrors, focus string) []sectionView {
	out := make([]sectionView, 0, len(sections))
	for _, s := range sections {
		sv := sectionView{Legend: s.Legend}
		for _, d := range s.Fields {
			name := prefix + d.Path
			fv := fieldView{Field: d, ID: webform.ID(name), Name: name, Value: values.Get(d.Path), Error: errs.Msg(name)}
			fv.Autofocus = fv.ID == focus
			switch d.Kind {
			case webform.Country:
				fv.Options = countryOptions(fv.Value)
			case webform.Phone:
				fv.RegionName = prefix + "phone_region"
				fv.Region = values.Get("phone_region")
				fv.Options = phoneOptions(fv.Region)
			case webform.Toggle:
				fv.Checked = fv.Value == "on"
			case webform.Select:
				fv.Options = entityTypeOptions(fv.Value)
			}
			sv.Fields = append(sv.Fields, fv)
		}
		out = append(out, sv)
	}
	return out
}

// firstInvalid returns the id of the first field of sections under prefix
// that has an error, or "".
func firstInvalid(sections []webform.Section, prefix string, errs formErrors) string {
	for _, s := range sections {
		for _, d := range s.Fields {
			if errs.Msg(prefix+d.Path) != "" {
				return webform.ID(prefix + d.Path)
			}
		}
	}
	return ""
}

// Sections returns the Customer Details fields with their values and
// messages.
func (f *customerForm) Sections() []sectionView {
	return buildSections(webform.CustomerSections, "", f.Values, f.Errors, f.Focus)
}

// FirstInvalid returns the id of the first customer field with an error.
func (f *customerForm) FirstInvalid() string {
	return firstInvalid(webform.CustomerSections, "", f.Errors)
}

// StepHidden reports whether the panel of step key is not the one shown.
func (f *customerForm) StepHidden(key string) bool { return f.Step != key }

// SubmitHidden reports whether Submit is kept out of view on the current
// step: the Add wizard submits from its last step; an edit can be saved
// from any step.
func (f *customerForm) SubmitHidden() bool { return !f.Edit && f.Step != webform.LastStep }

// NextStep and PrevStep are the steps Next and Back go to ("" for none).
func (f *customerForm) NextStep() string { return webform.NextStep(f.Step) }
func (f *customerForm) PrevStep() string { return webform.PrevStep(f.Step) }

var countryList = sync.OnceValue(domain.Countries)

func countryOptions(selected string) []option {
	cs := countryList()
	out := make([]option, 0, len(cs))
	for _, c := range cs {
		out = append(out, option{Value: c.Code, Label: c.Name, Selected: strings.EqualFold(c.Code, selected)})
	}
	return out
}

func phoneOptions(selected string) []option {
	pc := webform.PhoneCodes().List
	out := make([]option, 0, len(pc))
	for _, p := range pc {
		out = append(out, option{Value: p.Region, Label: "+" + strconv.Itoa(p.Code) + " " + p.Name, Selected: p.Region == selected})
	}
	return out
}

// customerValues returns the form values that show c.
func customerValues(c domain.CustomerInput) url.Values {
	v := webform.ValuesOf(&c, webform.CustomerSections)
	setSettings(v, c)
	return v
}

// formValues keeps the posted fields of the customer form, as typed.
func formValues(posted url.Values) url.Values {
	v := webform.Pick(posted, webform.CustomerSections, "")
	copySettings(posted, v)
	return v
}

// customerInput reads the posted form into the domain's input.
func customerInput(v url.Values) domain.CustomerInput {
	var in domain.CustomerInput
	webform.Read(v, webform.CustomerSections, &in)
	settingsInput(v, &in)
	return in
}

// customerSteps returns the step indicator with current marked.
func customerSteps(current string) []step {
	steps := make([]step, len(webform.Steps))
	at := webform.StepIndex(current)
	for i, ws := range webform.Steps {
		steps[i] = step{Key: ws.Key, Label: ws.Label, Num: i + 1, Current: ws.Key == current, Done: i < at}
	}
	return steps
}
