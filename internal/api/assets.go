package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

// assetList is a page of assets.
type assetList struct {
	Items      []wire.Asset `json:"items"`
	NextCursor *string      `json:"next_cursor"`
	Total      int64        `json:"total"`
	TotalExact bool         `json:"total_exact"`
}

func (a *API) listAssets(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r, listquery.AssetsByName)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := a.svc.assets.ListAssets(r.Context(), domain.AssetFilter{CustomerID: q.Get("customer_id"), EntityID: q.Get("entity_id"),
		Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	items := make([]wire.Asset, len(page.Items))
	for i, x := range page.Items {
		items[i] = wire.AssetOf(x)
	}
	return writeJSON(w, http.StatusOK, assetList{Items: items, NextCursor: listquery.EncodeCursor(listquery.AssetsByName, page.Next), Total: page.Total, TotalExact: page.TotalExact})
}

func (a *API) createAsset(w http.ResponseWriter, r *http.Request) error {
	var in domain.AssetInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := a.svc.assets.CreateAsset(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/assets/"+x.ID)
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusCreated, wire.AssetOf(x))
}

func (a *API) getAsset(w http.ResponseWriter, r *http.Request) error {
	x, err := a.svc.assets.Asset(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, wire.AssetOf(x))
}

func (a *API) patchAsset(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	patch, _, err := readMergePatch(w, r, &domain.AssetInput{})
	if err != nil {
		return err
	}
	x, err := a.svc.assets.UpdateAsset(r.Context(), r.PathValue("id"), version, func(cur domain.AssetInput) (domain.AssetInput, error) {
		var next domain.AssetInput
		return next, applyMergePatch(cur, patch, &next)
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, wire.AssetOf(x))
}

func (a *API) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	if err := a.svc.assets.DeleteAsset(r.Context(), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

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
