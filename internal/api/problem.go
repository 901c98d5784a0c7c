package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/problem"
)

// writeError renders err as a problem (internal/problem's table and
// renderer). Errors that are not *domain.Error are logged with the request
// id and sent as a bare 500: internal details never reach the client.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	if !errors.As(err, &de) {
		a.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path,
			"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
		problem.Write(w, r, problem.Internal(r, "An internal error occurred;"))
		return
	}
	problem.Write(w, r, problem.From(de))
}

// writeJSON writes v as JSON with status. It returns nil: once the status
// is sent, a failed write means the client went away, and there is nothing
// left to tell it.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return nil
}
