package api

import (
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
)

// assetJSON is an asset as the API returns it.
type assetJSON struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	Class                  string    `json:"class"`
	CustomerID             *string   `json:"customer_id"`
	EntityID               *string   `json:"entity_id"`
	AvailabilityMonitoring bool      `json:"availability_monitoring"`
	PerformanceMonitoring  bool      `json:"performance_monitoring"`
	Serial                 *string   `json:"serial"`
	IPAddress              *string   `json:"ip_address"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	Version                int64     `json:"version"`
}

func assetOut(a domain.Asset) assetJSON {
	return assetJSON{ID: a.ID, Name: a.Name, Class: a.Class, CustomerID: opt(a.CustomerID), EntityID: opt(a.EntityID),
		AvailabilityMonitoring: a.AvailabilityMonitoring, PerformanceMonitoring: a.PerformanceMonitoring,
		Serial: opt(a.Serial), IPAddress: opt(a.IPAddress), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

// assetList is a page of assets.
type assetList struct {
	Items      []assetJSON `json:"items"`
	NextCursor *string     `json:"next_cursor"`
	Total      int64       `json:"total"`
	TotalExact bool        `json:"total_exact"`
}

func (a *API) listAssets(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r, listquery.AssetsByName)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := a.svc.ListAssets(r.Context(), domain.AssetFilter{CustomerID: q.Get("customer_id"), EntityID: q.Get("entity_id"),
		Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	items := make([]assetJSON, len(page.Items))
	for i, x := range page.Items {
		items[i] = assetOut(x)
	}
	return writeJSON(w, http.StatusOK, assetList{Items: items, NextCursor: listquery.EncodeCursor(listquery.AssetsByName, page.Next), Total: page.Total, TotalExact: page.TotalExact})
}

func (a *API) createAsset(w http.ResponseWriter, r *http.Request) error {
	var in domain.AssetInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := a.svc.CreateAsset(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/assets/"+x.ID)
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusCreated, assetOut(x))
}

func (a *API) getAsset(w http.ResponseWriter, r *http.Request) error {
	x, err := a.svc.Asset(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, assetOut(x))
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
	x, err := a.svc.UpdateAsset(r.Context(), r.PathValue("id"), version, func(cur domain.AssetInput) (domain.AssetInput, error) {
		var next domain.AssetInput
		return next, applyMergePatch(cur, patch, &next)
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, assetOut(x))
}

func (a *API) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteAsset(r.Context(), r.PathValue("id"), version); err != nil {
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
	if err := a.svc.MoveAssets(r.Context(), in.IDs, in.CustomerID, in.EntityID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
