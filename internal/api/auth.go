package api

import (
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/httpauth"
	"github.com/custreg/custreg/internal/wire"
)

// principalJSON is GET /me: who the caller is, its role and its scope.
type principalJSON struct {
	ID         string   `json:"id"`
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Role       string   `json:"role"`
	Scope      string   `json:"scope"` // "organization" or "customer"
	CustomerID *string  `json:"customer_id"`
	EntityIDs  []string `json:"entity_ids"`
}

func principalOut(p domain.Principal) principalJSON {
	scope := "organization"
	if p.CustomerID != "" {
		scope = "customer"
	}
	ids := p.EntityIDs
	if ids == nil {
		ids = []string{}
	}
	return principalJSON{ID: p.UserID, Email: p.Email, Name: p.Name, Kind: p.Kind, Role: p.Role, Scope: scope,
		CustomerID: wire.Opt(p.CustomerID), EntityIDs: ids}
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	secret, p, err := a.svc.access.Login(r.Context(), in.Email, in.Password)
	if err != nil {
		return err
	}
	httpauth.SetSessionCookie(w, r, secret, a.opts.TrustProxy)
	return writeJSON(w, http.StatusOK, principalOut(p))
}

// logout ends the session. Signing out without one succeeds too: the
// caller wanted to be signed out, and is.
func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.access.Logout(r.Context()); err != nil && domain.ErrorCode(err) != domain.EUnauthorized {
		return err
	}
	httpauth.ClearSessionCookie(w, r, a.opts.TrustProxy)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	p, err := a.svc.access.Me(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, principalOut(p))
}

type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Token      string     `json:"token,omitempty"`
}

func tokenOut(k domain.Token) tokenJSON {
	return tokenJSON{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt}
}

type tokenRequest struct {
	Name string `json:"name"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	k, secret, err := a.svc.access.CreateToken(r.Context(), in.Name)
	if err != nil {
		return err
	}
	out := tokenOut(k)
	out.Token = secret
	return writeJSON(w, http.StatusCreated, out)
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	ks, err := a.svc.access.Tokens(r.Context())
	if err != nil {
		return err
	}
	items := make([]tokenJSON, len(ks))
	for i, k := range ks {
		items[i] = tokenOut(k)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.access.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
