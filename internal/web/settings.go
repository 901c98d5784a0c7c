package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// The Settings step of the Add / Edit Customer sidebar (the seed's
// Settings table): the customer's two logos, its supported admin role, and
// the reports and dashboards its people may use.
//
// What the form carries for it, beside the customer's other fields:
//
//	settings               "1": the step's choices are in the form (so no
//	                       ticked report means none, not "the default")
//	admin_role             the key of a customer-scope role
//	reports, dashboards    catalog keys, one value per ticked box
//	full_logo.draft, …     Add only: the logo draft chosen (service.StageLogo)
//	full_logo, logomark    a file part: an image chosen without the script,
//	                       staged (Add) or stored (edit) by whatever button
//	                       sends the form
//	op logo_remove:<kind>  the Remove button of a logo
//
// With the script a chosen file is sent on its own at once: Add stages it
// (POST /logo-drafts), edit stores it (POST
// /customers/{id}/logos/{kind}), and the preview shows what the server
// made of it.

// settingsMarker is the form field that says the Settings choices travel
// in the form.
const settingsMarker = "settings"

// draftField is the form field that holds a logo draft's id.
func draftField(kind string) string { return kind + ".draft" }

// settingsFieldIDs are the inputs that show the Settings step's fields.
var settingsRefs = map[string]fieldRef{
	"admin_role":    {ID: "f-admin-role", Label: "Supported Admin Role"},
	"reports":       {ID: "f-reports", Label: "Supported Reports"},
	"dashboards":    {ID: "f-dashboards", Label: "Supported Dashboards"},
	domain.LogoFull: {ID: "f-full-logo", Label: "Full Logo"},
	domain.LogoMark: {ID: "f-logomark", Label: "Logomark / Icon"},
}

// settingsRef resolves a field path of the Settings step ("reports[1]" is
// shown at "reports").
func settingsRef(field string) (string, fieldRef, bool) {
	base, _, _ := strings.Cut(field, "[")
	ref, ok := settingsRefs[base]
	return base, ref, ok
}

// isSettingsField reports whether a field path belongs to the Settings step.
func isSettingsField(field string) bool {
	_, _, ok := settingsRef(field)
	return ok
}

// copySettings copies the Settings step's values of posted into v.
func copySettings(posted, v url.Values) {
	for _, k := range []string{settingsMarker, "admin_role", draftField(domain.LogoFull), draftField(domain.LogoMark),
		domain.LogoFull + ".info", domain.LogoMark + ".info"} {
		if x := strings.TrimSpace(posted.Get(k)); x != "" {
			v.Set(k, x)
		}
	}
	for _, k := range []string{"reports", "dashboards"} {
		if vals := posted[k]; len(vals) > 0 {
			v[k] = slices.Clone(vals)
		}
	}
}

// setSettings sets the values that show a customer's settings.
func setSettings(v url.Values, c domain.CustomerInput) {
	v.Set(settingsMarker, "1")
	if c.AdminRole != "" {
		v.Set("admin_role", c.AdminRole)
	}
	reports, dashboards := c.Reports, c.Dashboards
	if reports == nil {
		reports = domain.CatalogKeys(domain.Reports)
	}
	if dashboards == nil {
		dashboards = domain.CatalogKeys(domain.Dashboards)
	}
	v.Del("reports")
	v.Del("dashboards")
	for _, k := range reports {
		v.Add("reports", k)
	}
	for _, k := range dashboards {
		v.Add("dashboards", k)
	}
}

// settingsInput reads the Settings choices into in. Without the marker
// (a form from before the step existed) they are left as the service's
// defaults.
func settingsInput(v url.Values, in *domain.CustomerInput) {
	in.AdminRole = v.Get("admin_role")
	if v.Get(settingsMarker) == "" {
		return
	}
	in.Reports = append([]string{}, v["reports"]...)
	in.Dashboards = append([]string{}, v["dashboards"]...)
}

// checkOption is one box of a group of checkboxes.
type checkOption struct {
	ID, Value, Label, Hint string
	Checked                bool
}

// checkGroupView is a group of checkboxes as the template draws it.
type checkGroupView struct {
	ID, Legend, Hint, Name, Error string
	Options                       []checkOption
}

// logoSlot is one logo of the Settings step.
type logoSlot struct {
	Kind, Label, Hint string
	ID                string // the file input's id
	// Preview is where the image shown comes from ("" for none); Info
	// describes it ("png · 1280 × 320 · 48 KB").
	Preview, Info string
	// DraftID is the Add wizard's staged draft.
	DraftID string
	// UploadURL is where the script sends a chosen file; RemoveURL where
	// it asks for a stored logo's removal ("" in the Add wizard, which
	// only forgets its draft).
	UploadURL, RemoveURL string
	Warning, Error       string
}

// settingsPanel is the Settings step.
type settingsPanel struct {
	Edit       bool
	Logos      []logoSlot
	AdminRoles []option
	RoleError  string
	Reports    []checkOption
	Dashboards []checkOption
	ReportsErr string
	DashErr    string
	// Status says what the last logo action did.
	Status string
}

// logoHints are the seed's words under each logo.
var logoHints = map[string]string{
	domain.LogoFull: "Shown top-left in the app for this customer's people and on its reports. Recommended 320 × 80 px; png, jpeg or jpg, at most 20 MB.",
	domain.LogoMark: "Shown when the side menu is collapsed. Recommended 80 × 80 px; png, jpeg or jpg, at most 20 MB.",
}

func logoInfo(li domain.LogoInfo) string {
	return fmt.Sprintf("%s · %d × %d px · %s", strings.ToUpper(li.Format), li.Width, li.Height, byteSize(li.Bytes))
}

// byteSize writes a size as a person reads it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// buildSettings builds the Settings step from the form's values, the role
// catalog and, in edit mode, the stored customer's logos. notes are what
// the last logo action said of each kind (warnings).
func buildSettings(ctx context.Context, h *Handler, edit bool, c *domain.Customer, v url.Values, errs formErrors, notes map[string]string) (settingsPanel, error) {
	sp := settingsPanel{Edit: edit, RoleError: errs.Msg("admin_role"), ReportsErr: errs.Msg("reports"), DashErr: errs.Msg("dashboards")}
	roles, err := h.svc.roles.Roles(ctx)
	if err != nil {
		return sp, err
	}
	current := v.Get("admin_role")
	if current == "" {
		current = domain.RoleCustomerAdmin
	}
	for _, r := range roles {
		if r.Scope == domain.ScopeCustomer {
			sp.AdminRoles = append(sp.AdminRoles, option{Value: r.Key, Label: r.Name, Selected: r.Key == current})
		}
	}
	checks := func(catalog []domain.CatalogEntry, field string) []checkOption {
		var out []checkOption
		for _, e := range catalog {
			out = append(out, checkOption{ID: "f-" + field + "-" + strings.ReplaceAll(e.Key, "_", "-"), Value: e.Key, Label: e.Name,
				Hint: e.Description, Checked: slices.Contains(v[field], e.Key)})
		}
		return out
	}
	sp.Reports = checks(domain.Reports, "reports")
	sp.Dashboards = checks(domain.Dashboards, "dashboards")
	for _, kind := range domain.LogoKinds {
		ref := settingsRefs[kind]
		slot := logoSlot{Kind: kind, Label: ref.Label, Hint: logoHints[kind], ID: ref.ID, Error: errs.Msg(kind), Warning: notes[kind]}
		if edit && c != nil {
			slot.UploadURL = "/customers/" + url.PathEscape(c.ID) + "/logos/" + kind
			slot.RemoveURL = slot.UploadURL + "/delete"
			info := c.FullLogo
			if kind == domain.LogoMark {
				info = c.Logomark
			}
			if info != nil {
				slot.Preview = "/api/v1/customers/" + url.PathEscape(c.ID) + "/" + kind
				slot.Info = logoInfo(*info)
			}
		} else {
			slot.UploadURL = "/logo-drafts?kind=" + kind
			if id := v.Get(draftField(kind)); id != "" {
				slot.DraftID = id
				slot.Preview = "/logo-drafts/" + url.PathEscape(id)
				slot.Info = v.Get(kind + ".info")
			}
		}
		sp.Logos = append(sp.Logos, slot)
	}
	return sp, nil
}

// parseWizardForm reads the sidebar's form: urlencoded (no file chosen, or
// a form from before the Settings step) or multipart with the logos' file
// parts. Files beyond what fits in memory spill to temporary files, which
// the server removes after the request.
func parseWizardForm(w http.ResponseWriter, r *http.Request, limit int64) (map[string]*multipart.FileHeader, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, parseFormMax(w, r, limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+2*domain.MaxLogoBytes+64<<10)
	if err := r.ParseMultipartForm(limit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, domain.Errorf(domain.ETooLarge, "The form is too large: a logo may be at most 20 MB.")
		}
		return nil, domain.Errorf(domain.EBadRequest, "The form could not be read.")
	}
	if err := checkFormText(r.Form); err != nil {
		return nil, err
	}
	files := map[string]*multipart.FileHeader{}
	for _, kind := range domain.LogoKinds {
		if fhs := r.MultipartForm.File[kind]; len(fhs) > 0 && fhs[0].Size > 0 {
			files[kind] = fhs[0]
		}
	}
	return files, nil
}

// readUpload reads a file part, refusing one beyond the logo bound.
func readUpload(fh *multipart.FileHeader) ([]byte, string, error) {
	if fh.Size > domain.MaxLogoBytes {
		return nil, "", domain.Errorf(domain.ETooLarge, "The file is larger than 20 MB.")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, domain.MaxLogoBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > domain.MaxLogoBytes {
		return nil, "", domain.Errorf(domain.ETooLarge, "The file is larger than 20 MB.")
	}
	declared, _, _ := mime.ParseMediaType(fh.Header.Get("Content-Type"))
	return data, declared, nil
}

// logoResult is what taking a chosen logo did: warnings by kind, and the
// refusals as field errors on the kinds.
type logoResult struct {
	notes  map[string]string
	fields domain.FieldErrors
	status string
}

// takeLogos stages (Add) or stores (edit, for the customer c) the logos a
// form carries as file parts, and runs a Remove button. A refused file is
// a field error on its kind, and changes nothing.
func (h *Handler) takeLogos(ctx context.Context, wz *wizard, c *domain.Customer, files map[string]*multipart.FileHeader, op, arg string) (logoResult, error) {
	res := logoResult{notes: map[string]string{}}
	refuse := func(kind string, err error) error {
		de := domainErr(err)
		switch {
		case de == nil:
			return err
		case de.Code == domain.EInvalid:
			for _, f := range de.Fields {
				res.fields.Add(kind, f.Code, f.Message)
			}
		case de.Code == domain.ETooLarge:
			res.fields.Add(kind, "too_large", "The file is larger than 20 MB; choose a smaller image.")
		default:
			return err
		}
		return nil
	}
	for _, kind := range domain.LogoKinds {
		fh := files[kind]
		if fh == nil {
			continue
		}
		data, declared, err := readUpload(fh)
		if err != nil {
			if err := refuse(kind, err); err != nil {
				return res, err
			}
			continue
		}
		label := settingsRefs[kind].Label
		if wz.edit {
			up, err := h.svc.customers.SetCustomerLogo(ctx, c.ID, kind, data, declared)
			if err != nil {
				if err := refuse(kind, err); err != nil {
					return res, err
				}
				continue
			}
			res.notes[kind] = up.Warning
			res.status = label + " was uploaded."
			continue
		}
		d, err := h.svc.customers.StageLogo(ctx, kind, data, declared)
		if err != nil {
			if err := refuse(kind, err); err != nil {
				return res, err
			}
			continue
		}
		wz.customer.Set(draftField(kind), d.ID)
		wz.customer.Set(kind+".info", logoInfo(d.LogoInfo))
		res.notes[kind] = d.Warning
		res.status = label + " is ready; it is saved with the customer."
	}
	if op == "logo_remove" {
		if _, _, ok := domain.LogoBox(arg); !ok {
			return res, domain.Errorf(domain.EBadRequest, "Unknown logo %q.", arg)
		}
		label := settingsRefs[arg].Label
		if wz.edit {
			if err := h.svc.customers.DeleteCustomerLogo(ctx, c.ID, arg); err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return res, err
			}
			res.status = label + " was removed."
		} else {
			wz.customer.Del(draftField(arg))
			wz.customer.Del(arg + ".info")
			res.status = label + " was removed."
		}
	}
	return res, nil
}

// logoJSON is what the script's logo requests answer.
type logoAnswer struct {
	DraftID string `json:"draft_id,omitempty"`
	Preview string `json:"preview,omitempty"`
	Info    string `json:"info,omitempty"`
	Warning string `json:"warning,omitempty"`
	Error   string `json:"error,omitempty"`
	Status  string `json:"status,omitempty"`
}

func writeLogoAnswer(w http.ResponseWriter, status int, a logoAnswer) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return nil
}

// logoUpload reads the one image of the script's logo request: a form
// with the file in "file".
func logoUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, domain.MaxLogoBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", domain.Errorf(domain.ETooLarge, "The file is larger than 20 MB.")
		}
		return nil, "", domain.Errorf(domain.EBadRequest, "The upload could not be read.")
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		var fe domain.FieldErrors
		fe.Add("file", domain.FieldRequired, "Choose one image.")
		return nil, "", fe.Err()
	}
	return readUpload(fhs[0])
}

// answerLogoError answers a refused logo request: the message for the
// field, or the error for fail.
func answerLogoError(w http.ResponseWriter, err error) error {
	de := domainErr(err)
	switch {
	case de == nil:
		return err
	case de.Code == domain.EInvalid && len(de.Fields) > 0:
		return writeLogoAnswer(w, http.StatusUnprocessableEntity, logoAnswer{Error: de.Fields[0].Message})
	case de.Code == domain.ETooLarge:
		return writeLogoAnswer(w, http.StatusRequestEntityTooLarge, logoAnswer{Error: "The file is larger than 20 MB; choose a smaller image."})
	}
	return err
}

// stageLogoDraft is the Add wizard's upload of a chosen logo: checked,
// rendered and kept as the caller's draft.
func (h *Handler) stageLogoDraft(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.Errorf(domain.EBadRequest, "Unknown logo %q.", kind)
	}
	data, declared, err := logoUpload(w, r)
	if err != nil {
		return answerLogoError(w, err)
	}
	d, err := h.svc.customers.StageLogo(r.Context(), kind, data, declared)
	if err != nil {
		return answerLogoError(w, err)
	}
	return writeLogoAnswer(w, http.StatusOK, logoAnswer{DraftID: d.ID, Preview: "/logo-drafts/" + url.PathEscape(d.ID),
		Info: logoInfo(d.LogoInfo), Warning: d.Warning, Status: settingsRefs[kind].Label + " is ready; it is saved with the customer."})
}

// logoDraftImage serves a draft's rendition to the person who staged it.
func (h *Handler) logoDraftImage(w http.ResponseWriter, r *http.Request) error {
	img, err := h.svc.customers.LogoDraftImage(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", domain.LogoMediaType(img.Format))
	w.Header().Set("Cache-Control", "private, max-age=86400")
	_, _ = w.Write(img.Data)
	return nil
}

// uploadLogo is edit mode's upload of a chosen logo: stored at once.
func (h *Handler) uploadLogo(w http.ResponseWriter, r *http.Request) error {
	id, kind := r.PathValue("id"), r.PathValue("kind")
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.Errorf(domain.ENotFound, "There is no page at this address.")
	}
	data, declared, err := logoUpload(w, r)
	if err != nil {
		return answerLogoError(w, err)
	}
	up, err := h.svc.customers.SetCustomerLogo(r.Context(), id, kind, data, declared)
	if err != nil {
		return answerLogoError(w, err)
	}
	return writeLogoAnswer(w, http.StatusOK, logoAnswer{Preview: "/api/v1/customers/" + url.PathEscape(id) + "/" + kind + "?v=" + up.Format + strconv.FormatInt(up.Bytes, 10),
		Info: logoInfo(up.LogoInfo), Warning: up.Warning, Status: settingsRefs[kind].Label + " was uploaded."})
}

// removeLogo is edit mode's Remove of a stored logo.
func (h *Handler) removeLogo(w http.ResponseWriter, r *http.Request) error {
	id, kind := r.PathValue("id"), r.PathValue("kind")
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.Errorf(domain.ENotFound, "There is no page at this address.")
	}
	if err := h.svc.customers.DeleteCustomerLogo(r.Context(), id, kind); err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	return writeLogoAnswer(w, http.StatusOK, logoAnswer{Status: settingsRefs[kind].Label + " was removed."})
}
