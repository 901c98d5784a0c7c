package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/httpauth"
)

// maxFormBytes bounds a posted form. The edit sidebar carries a customer and
// one entity, far below it; the Add wizard, which carries all its entities,
// has its own bound (maxWizardBytes).
const maxFormBytes = 64 << 10

// parseForm reads a posted form within maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	return parseFormMax(w, r, maxFormBytes)
}

// parseFormMax reads a posted form within limit bytes.
func parseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return domain.Errorf(domain.ETooLarge, "The form is too large.")
		}
		return domain.Errorf(domain.EBadRequest, "The form could not be read.")
	}
	return checkFormText(r.Form)
}

// loginView is the data of the sign-in page.
type loginView struct {
	Shell
	Email string
	Next  string
	Error string
}

// home sends a signed-in person to the first page that exists for them.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	s := h.shell(r, "", "Home")
	if s.HasNav("customers") {
		return seeOther(w, r, "/customers")
	}
	// With MSP mode off there is no module to show yet: say so, rather
	// than sending the person to a page that answers 404.
	h.render(w, r, http.StatusOK, "home", struct{ Shell }{s})
	return nil
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := domain.PrincipalFrom(r.Context()); ok {
		if next == "" {
			next = "/"
		}
		return seeOther(w, r, next)
	}
	h.render(w, r, http.StatusOK, "login", loginView{Shell: h.shell(r, "", "Sign in"), Next: next})
	return nil
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	email := r.PostFormValue("email")
	next := localPath(r.PostFormValue("next"))
	secret, _, err := h.svc.access.Login(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == domain.ETooManyRequests {
			// The same refusal as the API's, with its message and wait.
			w.Header().Set("Retry-After", strconv.FormatInt(max(1, int64((de.RetryAfter+time.Second-1)/time.Second)), 10))
			v := loginView{Shell: h.shell(r, "", "Sign in"), Email: email, Next: next, Error: de.Message}
			h.render(w, r, http.StatusTooManyRequests, "login", v)
			return nil
		}
		if domain.ErrorCode(err) != domain.EUnauthorized {
			return err
		}
		// One message for every failure: it must not tell whether the
		// account exists or which part was wrong.
		v := loginView{Shell: h.shell(r, "", "Sign in"), Email: email, Next: next,
			Error: "The email or password is not correct, or the account is not active."}
		h.render(w, r, http.StatusUnauthorized, "login", v)
		return nil
	}
	httpauth.SetSessionCookie(w, r, secret, h.opts.TrustProxy)
	if next == "" {
		next = "/"
	}
	return seeOther(w, r, next)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	if _, ok := domain.PrincipalFrom(r.Context()); ok {
		if err := h.svc.access.Logout(r.Context()); err != nil && domain.ErrorCode(err) != domain.EUnauthorized {
			return err
		}
	}
	httpauth.ClearSessionCookie(w, r, h.opts.TrustProxy)
	return seeOther(w, r, "/login")
}

// setupView is the data of the one-time page that creates the first admin.
type setupView struct {
	Shell
	Token   string
	Email   string
	Name    string
	Invalid bool // the link is wrong or was used: show that, not the form
	Form    formErrors
}

func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) error {
	v := setupView{Shell: h.shell(r, "", "Create the first admin"), Token: r.URL.Query().Get("token")}
	valid, err := h.svc.org.SetupTokenValid(r.Context(), v.Token)
	if err != nil {
		return err
	}
	if !valid {
		v.Invalid = true
		v.Shell.Title = "Setup link not valid"
		h.render(w, r, http.StatusNotFound, "setup", v)
		return nil
	}
	h.render(w, r, http.StatusOK, "setup", v)
	return nil
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v := setupView{Shell: h.shell(r, "", "Create the first admin"), Token: r.PostFormValue("token"),
		Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	secret, _, err := h.svc.org.CompleteSetup(r.Context(), v.Token, domain.AdminInput{
		Email: v.Email, Name: v.Name, Password: r.PostFormValue("password")})
	switch domain.ErrorCode(err) {
	case "":
		httpauth.SetSessionCookie(w, r, secret, h.opts.TrustProxy)
		setFlash(w, "Welcome, "+domain.CleanText(v.Name)+". Your organization admin account is ready.")
		return seeOther(w, r, "/customers")
	case domain.ENotFound:
		v.Invalid = true
		v.Shell.Title = "Setup link not valid"
		h.render(w, r, http.StatusNotFound, "setup", v)
		return nil
	case domain.EInvalid:
		v.Form = newFormErrors(err, setupFields)
		h.render(w, r, http.StatusUnprocessableEntity, "setup", v)
		return nil
	}
	return err
}

// setupFields maps the admin's field paths to the inputs of the setup form.
var setupFields = map[string]fieldRef{
	"email":    {ID: "f-email", Label: "Email"},
	"name":     {ID: "f-name", Label: "Name"},
	"password": {ID: "f-password", Label: "Password"},
}
