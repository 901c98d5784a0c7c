package api

import (
	"io"
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/archive"
	"github.com/custreg/custreg/internal/domain"
)

// archiveCustomer streams GET /customers/{id}/archive: one zip of
// everything custreg holds about the customer (package archive). A
// refusal or a customer not found is a problem, answered before the first
// byte; once bytes have gone out a failure aborts the response, so the
// client sees a cut connection and a zip without its central directory,
// never a complete-looking file, and the failure is logged.
func (a *API) archiveCustomer(w http.ResponseWriter, r *http.Request) error {
	out := &reportResponse{w: w, rc: http.NewResponseController(w)}
	err := a.svc.customers.ArchiveCustomer(r.Context(), r.PathValue("id"), func(c domain.Customer, at time.Time) (io.Writer, error) {
		hd := w.Header()
		hd.Set("Content-Type", "application/zip")
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Content-Disposition", `attachment; filename="`+archive.Filename(c.Code, at)+`"`)
		out.extend()
		return out, nil
	})
	if err == nil {
		return nil
	}
	if !out.wrote {
		w.Header().Del("Content-Disposition")
		return err
	}
	a.log.ErrorContext(r.Context(), "customer archive aborted after its first byte", "customer_id", r.PathValue("id"),
		"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
	panic(http.ErrAbortHandler)
}
