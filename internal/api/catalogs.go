package api

import (
	"context"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
)

// catalogJSON is one report or dashboard of a catalog.
type catalogJSON struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// catalogList is a report or dashboard catalog as the caller may use it.
type catalogList struct {
	Items []catalogJSON `json:"items"`
}

func writeCatalog(w http.ResponseWriter, list func(context.Context) ([]domain.CatalogEntry, error), r *http.Request) error {
	entries, err := list(r.Context())
	if err != nil {
		return err
	}
	items := make([]catalogJSON, len(entries))
	for i, e := range entries {
		items[i] = catalogJSON(e)
	}
	return writeJSON(w, http.StatusOK, catalogList{Items: items})
}

func (a *API) listReports(w http.ResponseWriter, r *http.Request) error {
	return writeCatalog(w, a.svc.reports.Reports, r)
}

func (a *API) listDashboards(w http.ResponseWriter, r *http.Request) error {
	return writeCatalog(w, a.svc.reports.Dashboards, r)
}
