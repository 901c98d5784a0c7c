package api

import (
	"context"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

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
	return writeJSON(w, http.StatusOK, listOf(page.Items, wire.UserOf, listquery.UsersByEmail, page.Next, page.Total, page.TotalExact))
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	return userKind.create(w, r, a.svc.users.CreateUser)
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	return userKind.get(w, r, func(ctx context.Context) (domain.User, error) { return a.svc.users.User(ctx, r.PathValue("id")) })
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request) error {
	return userKind.patch(w, r, func(ctx context.Context, version int64, apply func(domain.UserInput) (domain.UserInput, error)) (domain.User, error) {
		return a.svc.users.UpdateUser(ctx, r.PathValue("id"), version, apply)
	})
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) error {
	return remove(w, r, func(ctx context.Context, version int64) error {
		return a.svc.users.DeleteUser(ctx, r.PathValue("id"), version)
	})
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
