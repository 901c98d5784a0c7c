package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

type orgJSON struct {
	Name       string `json:"name"`
	MSPEnabled bool   `json:"msp_enabled"`
}

func orgOut(o domain.Org) orgJSON { return orgJSON{Name: o.Name, MSPEnabled: o.MSPEnabled} }

func (a *API) orgSettings(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.OrgSettings(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgOut(o))
}

func (a *API) patchOrgSettings(w http.ResponseWriter, r *http.Request) error {
	var in service.OrgPatch
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := a.svc.UpdateOrgSettings(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgOut(o))
}
