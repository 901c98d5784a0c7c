package api

import (
	"net/http"
)

// assetMove is the body of POST /assets/move.
type assetMove struct {
	IDs        []string `json:"ids"`
	CustomerID string   `json:"customer_id"`
	EntityID   string   `json:"entity_id"`
}

func (a *API) moveAssets(w http.ResponseWriter, r *http.Request) error {
	var in assetMove
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.assets.MoveAssets(r.Context(), in.IDs, in.CustomerID, in.EntityID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
