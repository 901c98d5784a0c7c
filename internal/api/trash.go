package api

import (
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/service"
)

// trashedCustomerJSON is a customer in trash.
type trashedCustomerJSON struct {
	customerJSON
	DeletedAt time.Time `json:"deleted_at"`
}

// trashList is a page of the trash.
type trashList struct {
	Items      []trashedCustomerJSON `json:"items"`
	NextCursor *string               `json:"next_cursor"`
}

func (a *API) listTrash(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	n, err := listquery.ParseLimit(q)
	if err != nil {
		return err
	}
	page, err := a.svc.TrashedCustomers(r.Context(), n, q.Get("cursor"))
	if err != nil {
		return err
	}
	out := trashList{Items: make([]trashedCustomerJSON, len(page.Items))}
	for i, c := range page.Items {
		out.Items[i] = trashedCustomerJSON{customerJSON: customerOut(c)}
		if c.DeletedAt != nil {
			out.Items[i].DeletedAt = *c.DeletedAt
		}
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return writeJSON(w, http.StatusOK, out)
}

// restoreCustomer brings a customer back from trash; the body, when there
// is one, may give it a new name or code.
func (a *API) restoreCustomer(w http.ResponseWriter, r *http.Request) error {
	var rename service.Rename
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &rename); err != nil {
			return err
		}
	}
	c, err := a.svc.RestoreCustomer(r.Context(), r.PathValue("id"), rename)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/customers/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	return writeJSON(w, http.StatusOK, customerOut(c))
}

// purgeCustomer erases a customer in trash for good.
func (a *API) purgeCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.PurgeCustomer(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
