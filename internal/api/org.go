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
	o, err := a.svc.org.OrgSettings(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(o.Version))
	return writeJSON(w, http.StatusOK, orgOut(o))
}

// patchOrgSettings changes the settings named in the body; absent or null
// members stay as they are (there is nothing optional to remove).
func (a *API) patchOrgSettings(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	var in service.OrgPatch
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := a.svc.org.UpdateOrgSettings(r.Context(), in, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(o.Version))
	return writeJSON(w, http.StatusOK, orgOut(o))
}
