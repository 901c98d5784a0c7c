package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// The organization's Settings page (organization admins): its name, MSP
// mode, and its logos, which organization users see in the header (and a
// customer's people, where their customer has none).
//
//	GET  /settings                          the page
//	POST /settings                          saves the name and MSP mode (the form
//	                                        carries the settings' version); a logo
//	                                        chosen without the script goes with it
//	POST /settings/logos/{kind}             the script's upload of a chosen logo
//	POST /settings/logos/{kind}/delete      Remove

// orgSettingsView is the page.
type orgSettingsView struct {
	Shell
	Name    string
	MSP     bool
	Version int64
	Logos   []logoSlot
	Errors  formErrors
	// Customers counts the customers that keep MSP mode on, "" when the
	// count is not needed.
	Status string
}

var orgSettingsRefs = map[string]fieldRef{
	"name":        {ID: "f-org-name", Label: "Organization name"},
	"msp_enabled": {ID: "f-org-msp", Label: "MSP mode"},
}

func (h *Handler) orgSettingsView(r *http.Request, name *string, msp *bool, errs formErrors, notes map[string]string) (orgSettingsView, error) {
	ctx := r.Context()
	b, err := h.svc.org.Branding(ctx)
	if err != nil {
		return orgSettingsView{}, err
	}
	v := orgSettingsView{Shell: h.shell(r, "settings", "Settings"), Name: b.Org.Name, MSP: b.Org.MSPEnabled, Version: b.Org.Version, Errors: errs}
	if name != nil {
		v.Name = *name
	}
	if msp != nil {
		v.MSP = *msp
	}
	for _, kind := range domain.LogoKinds {
		ref := settingsRefs[kind]
		slot := logoSlot{Kind: kind, Label: ref.Label, ID: ref.ID, Error: errs.Msg(kind), Warning: notes[kind],
			UploadURL: "/settings/logos/" + kind, RemoveURL: "/settings/logos/" + kind + "/delete"}
		slot.Hint = map[string]string{
			domain.LogoFull: "Shown top-left in the app for organization users, and for a customer's people whose customer has none. Recommended 320 × 80 px; png, jpeg or jpg, at most 20 MB.",
			domain.LogoMark: "Shown when the side menu is collapsed. Recommended 80 × 80 px; png, jpeg or jpg, at most 20 MB.",
		}[kind]
		for _, li := range b.OrgLogos {
			if li.Kind == kind {
				slot.Preview = "/api/v1/org/" + kind
				slot.Info = logoInfo(li)
			}
		}
		v.Logos = append(v.Logos, slot)
	}
	return v, nil
}

func (h *Handler) orgSettingsPage(w http.ResponseWriter, r *http.Request) error {
	v, err := h.orgSettingsView(r, nil, nil, formErrors{}, nil)
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "settings", v)
	return nil
}

// saveOrgSettings saves the name and MSP mode; logos chosen without the
// script are stored first, each on its own, as the script would have.
func (h *Handler) saveOrgSettings(w http.ResponseWriter, r *http.Request) error {
	files, err := parseWizardForm(w, r, maxFormBytes)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if op, kind, _ := strings.Cut(r.PostFormValue("op"), ":"); op == "logo_remove" {
		// Remove without the script.
		return h.removeOrgLogo(w, r.WithContext(ctx), kind)
	}
	notes := map[string]string{}
	var fe domain.FieldErrors
	for _, kind := range domain.LogoKinds {
		fh := files[kind]
		if fh == nil {
			continue
		}
		data, declared, err := readUpload(fh)
		if err == nil {
			var up service.LogoUpload
			if up, err = h.svc.org.SetOrgLogo(ctx, kind, data, declared); err == nil {
				notes[kind] = up.Warning
				continue
			}
		}
		de := domainErr(err)
		switch {
		case de == nil:
			return err
		case de.Code == domain.EInvalid:
			for _, f := range de.Fields {
				fe.Add(kind, f.Code, f.Message)
			}
		case de.Code == domain.ETooLarge:
			fe.Add(kind, "too_large", "The file is larger than 20 MB; choose a smaller image.")
		default:
			return err
		}
	}
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		return domain.Errorf(domain.EBadRequest, "The form is missing the settings' version; open Settings again.")
	}
	name := r.PostFormValue("name")
	msp := r.PostFormValue("msp_enabled") != ""
	if len(fe) > 0 {
		v, err := h.orgSettingsView(r, &name, &msp, formErrorsFrom(fe.Err(), settingsRef), notes)
		if err != nil {
			return err
		}
		v.Version = version // still the one the form was opened with
		h.render(w, r, http.StatusUnprocessableEntity, "settings", v)
		return nil
	}
	_, err = h.svc.org.UpdateOrgSettings(ctx, service.OrgPatch{Name: &name, MSPEnabled: &msp}, version)
	if err == nil {
		setFlash(w, "The organization's settings were saved.")
		return seeOther(w, r, "/settings")
	}
	status, ferr := formStatus(err)
	if ferr != nil {
		return ferr
	}
	errs := newFormErrors(err, orgSettingsRefs)
	if de := domainErr(err); de != nil && de.Type == "msp-has-customers" {
		errs = formErrors{Fields: map[string]string{"msp_enabled": de.Message},
			Summary: []summaryItem{{ID: "f-org-msp", Label: "MSP mode", Message: de.Message}}}
	}
	if domain.ErrorCode(err) == domain.EPrecondition {
		// The page shows the stored version (orgSettingsView reads it), so
		// Save again replaces the stored settings with what was typed.
		now, err := h.svc.org.OrgSettings(ctx)
		if err != nil {
			return err
		}
		fields := []conflictField{
			{Label: "Organization name", Say: func(v url.Values) string { return domain.CleanText(v.Get("name")) }},
			{Label: "MSP mode", Say: func(v url.Values) string {
				if v.Get("msp_enabled") != "" {
					return "On"
				}
				return "Off"
			}},
		}
		errs = newConflict("organization's settings", now.UpdatedAt, "/settings", fields,
			url.Values{"name": {now.Name}, "msp_enabled": {boolValue(now.MSPEnabled)}},
			url.Values{"name": {name}, "msp_enabled": {boolValue(msp)}}).errors()
	}
	v, verr := h.orgSettingsView(r, &name, &msp, errs, notes)
	if verr != nil {
		return verr
	}
	if errs.Conflict == nil {
		v.Version = version // still the one the form was opened with
	}
	h.render(w, r, status, "settings", v)
	return nil
}

// uploadOrgLogo is the script's upload of a chosen organization logo.
func (h *Handler) uploadOrgLogo(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.Errorf(domain.ENotFound, "There is no page at this address.")
	}
	data, declared, err := logoUpload(w, r)
	if err != nil {
		return answerLogoError(w, err)
	}
	up, err := h.svc.org.SetOrgLogo(r.Context(), kind, data, declared)
	if err != nil {
		return answerLogoError(w, err)
	}
	return writeLogoAnswer(w, http.StatusOK, logoAnswer{Preview: "/api/v1/org/" + kind + "?v=" + url.QueryEscape(up.Format+strconv.FormatInt(up.Bytes, 10)),
		Info: logoInfo(up.LogoInfo), Warning: up.Warning, Status: settingsRefs[kind].Label + " was uploaded."})
}

// removeOrgLogo is Remove of an organization logo; without the script it
// comes back to the page.
func (h *Handler) removeOrgLogoRoute(w http.ResponseWriter, r *http.Request) error {
	return h.removeOrgLogo(w, r, r.PathValue("kind"))
}

func (h *Handler) removeOrgLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.Errorf(domain.ENotFound, "There is no page at this address.")
	}
	if err := h.svc.org.DeleteOrgLogo(r.Context(), kind); err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	if r.Header.Get("Accept") == "application/json" {
		return writeLogoAnswer(w, http.StatusOK, logoAnswer{Status: settingsRefs[kind].Label + " was removed."})
	}
	setFlash(w, settingsRefs[kind].Label+" was removed.")
	return seeOther(w, r, "/settings")
}
