package api

import (
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/wire"
)

// trashed is when a record in trash was deleted and when the retention
// job purges it (null when trash is kept until purged by hand).
type trashed struct {
	DeletedAt time.Time  `json:"deleted_at"`
	PurgeAt   *time.Time `json:"purge_at"`
}

func (a *API) trashedOut(deleted *time.Time) trashed {
	var t trashed
	if deleted != nil {
		t.DeletedAt = *deleted
		t.PurgeAt = a.svc.trash.PurgeAt(*deleted)
	}
	return t
}

// trashedCustomer is what a customer in trash is sent with.
type trashedCustomer struct {
	customerLogos
	trashed
}

// trashList is a page of the trash.
type trashList[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// listTrashOf answers a trash list: the page list returns, each item
// made by out.
func listTrashOf[R, T any](w http.ResponseWriter, r *http.Request, list func(limit int, cursor string) ([]R, string, error), out func(R) T) error {
	q := r.URL.Query()
	n, err := listquery.ParseLimit(q)
	if err != nil {
		return err
	}
	items, next, err := list(n, q.Get("cursor"))
	if err != nil {
		return err
	}
	page := trashList[T]{Items: make([]T, len(items))}
	for i, it := range items {
		page.Items[i] = out(it)
	}
	if next != "" {
		page.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, page)
}

func (a *API) listTrash(w http.ResponseWriter, r *http.Request) error {
	return listTrashOf(w, r, func(n int, cursor string) ([]domain.Customer, string, error) {
		p, err := a.svc.trash.TrashedCustomers(r.Context(), n, cursor)
		return p.Items, p.Next, err
	}, func(c domain.Customer) any {
		return wire.With(c, trashedCustomer{logosOf(c), a.trashedOut(c.DeletedAt)})
	})
}

func (a *API) listUserTrash(w http.ResponseWriter, r *http.Request) error {
	return listTrashOf(w, r, func(n int, cursor string) ([]domain.User, string, error) {
		p, err := a.svc.trash.TrashedUsers(r.Context(), n, cursor)
		return p.Items, p.Next, err
	}, func(u domain.User) any {
		return wire.With(u, a.trashedOut(u.DeletedAt))
	})
}

func (a *API) listAssetTrash(w http.ResponseWriter, r *http.Request) error {
	return listTrashOf(w, r, func(n int, cursor string) ([]domain.Asset, string, error) {
		p, err := a.svc.trash.TrashedAssets(r.Context(), n, cursor)
		return p.Items, p.Next, err
	}, func(as domain.Asset) any {
		return wire.With(as, a.trashedOut(as.DeletedAt))
	})
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
	c, err := a.svc.trash.RestoreCustomer(r.Context(), r.PathValue("id"), rename)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/customers/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	return writeJSON(w, http.StatusOK, customerOut(c))
}

func (a *API) restoreUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.svc.trash.RestoreUser(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/users/"+u.ID)
	w.Header().Set("ETag", etag(u.Version))
	return writeJSON(w, http.StatusOK, wire.Of(u))
}

func (a *API) restoreAsset(w http.ResponseWriter, r *http.Request) error {
	as, err := a.svc.trash.RestoreAsset(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/assets/"+as.ID)
	w.Header().Set("ETag", etag(as.Version))
	return writeJSON(w, http.StatusOK, wire.Of(as))
}

// purged answers a purge: 204, or the purge's error.
func purged(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// purgeCustomer erases a customer in trash for good.
func (a *API) purgeCustomer(w http.ResponseWriter, r *http.Request) error {
	return purged(w, a.svc.trash.PurgeCustomer(r.Context(), r.PathValue("id")))
}

func (a *API) purgeUser(w http.ResponseWriter, r *http.Request) error {
	return purged(w, a.svc.trash.PurgeUser(r.Context(), r.PathValue("id")))
}

func (a *API) purgeAsset(w http.ResponseWriter, r *http.Request) error {
	return purged(w, a.svc.trash.PurgeAsset(r.Context(), r.PathValue("id")))
}
