package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

// userList is a page of users.
type userList struct {
	Items      []wire.User `json:"items"`
	NextCursor *string     `json:"next_cursor"`
	Total      int64       `json:"total"`
	TotalExact bool        `json:"total_exact"`
}

// placementParams are the query parameters of the user and asset lists.
var placementParams = []string{"customer_id", "entity_id", "limit", "cursor"}

// pageParams reads limit and cursor, the cursor bound to the list's order
// (listquery.UsersByEmail, …).
func pageParams(r *http.Request, order string) (int, *domain.Cursor, error) {
	q := r.URL.Query()
	n, err := listquery.ParseLimit(q)
	if err != nil {
		return 0, nil, err
	}
	if _, ok := q["cursor"]; !ok {
		return n, nil, nil
	}
	c, err := listquery.DecodeCursor(q.Get("cursor"), order)
	return n, c, err
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r, listquery.UsersByEmail)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := a.svc.users.ListUsers(r.Context(), domain.UserFilter{CustomerID: q.Get("customer_id"), EntityID: q.Get("entity_id"),
		Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	items := make([]wire.User, len(page.Items))
	for i, u := range page.Items {
		items[i] = wire.UserOf(u)
	}
	return writeJSON(w, http.StatusOK, userList{Items: items, NextCursor: listquery.EncodeCursor(listquery.UsersByEmail, page.Next), Total: page.Total, TotalExact: page.TotalExact})
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in domain.UserInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := a.svc.users.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/users/"+u.ID)
	w.Header().Set("ETag", etag(u.Version))
	return writeJSON(w, http.StatusCreated, wire.UserOf(u))
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.svc.users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(u.Version))
	return writeJSON(w, http.StatusOK, wire.UserOf(u))
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	patch, _, err := readMergePatch(w, r, &domain.UserInput{})
	if err != nil {
		return err
	}
	u, err := a.svc.users.UpdateUser(r.Context(), r.PathValue("id"), version, func(cur domain.UserInput) (domain.UserInput, error) {
		var next domain.UserInput
		return next, applyMergePatch(cur, patch, &next)
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(u.Version))
	return writeJSON(w, http.StatusOK, wire.UserOf(u))
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	if err := a.svc.users.DeleteUser(r.Context(), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userMove is the body of POST /users/move.
type userMove struct {
	IDs        []string `json:"ids"`
	CustomerID string   `json:"customer_id"`
	EntityIDs  []string `json:"entity_ids"`
}

func (a *API) moveUsers(w http.ResponseWriter, r *http.Request) error {
	var in userMove
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.users.MoveUsers(r.Context(), in.IDs, in.CustomerID, in.EntityIDs); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
