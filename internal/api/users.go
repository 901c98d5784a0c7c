package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
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
