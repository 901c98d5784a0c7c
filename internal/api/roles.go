package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
)

// roleJSON is a role of the catalog.
type roleJSON struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	Builtin     bool     `json:"builtin"`
}

func roleOut(r domain.Role) roleJSON {
	p := r.Permissions
	if p == nil {
		p = []string{}
	}
	return roleJSON{Key: r.Key, Name: r.Name, Scope: r.Scope, Permissions: p, Builtin: r.Builtin}
}

// roleList is the role catalog as the caller may use it.
type roleList struct {
	Items []roleJSON `json:"items"`
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request) error {
	roles, err := a.svc.roles.Roles(r.Context())
	if err != nil {
		return err
	}
	items := make([]roleJSON, len(roles))
	for i, x := range roles {
		items[i] = roleOut(x)
	}
	return writeJSON(w, http.StatusOK, roleList{Items: items})
}

func (a *API) createRole(w http.ResponseWriter, r *http.Request) error {
	var in domain.RoleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := a.svc.roles.CreateRole(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/roles/"+x.Key)
	return writeJSON(w, http.StatusCreated, roleOut(x))
}

func (a *API) getRole(w http.ResponseWriter, r *http.Request) error {
	x, err := a.svc.roles.Role(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, roleOut(x))
}

func (a *API) deleteRole(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.roles.DeleteRole(r.Context(), r.PathValue("key")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
