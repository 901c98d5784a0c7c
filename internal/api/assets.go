package api

import (
	"context"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

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
	return writeJSON(w, http.StatusOK, listOf(page.Items, wire.AssetOf, listquery.AssetsByName, page.Next, page.Total, page.TotalExact))
}

func (a *API) createAsset(w http.ResponseWriter, r *http.Request) error {
	return assetKind.create(w, r, a.svc.assets.CreateAsset)
}

func (a *API) getAsset(w http.ResponseWriter, r *http.Request) error {
	return assetKind.get(w, r, func(ctx context.Context) (domain.Asset, error) { return a.svc.assets.Asset(ctx, r.PathValue("id")) })
}

func (a *API) patchAsset(w http.ResponseWriter, r *http.Request) error {
	return assetKind.patch(w, r, func(ctx context.Context, version int64, apply func(domain.AssetInput) (domain.AssetInput, error)) (domain.Asset, error) {
		return a.svc.assets.UpdateAsset(ctx, r.PathValue("id"), version, apply)
	})
}

func (a *API) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	return remove(w, r, func(ctx context.Context, version int64) error {
		return a.svc.assets.DeleteAsset(ctx, r.PathValue("id"), version)
	})
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
