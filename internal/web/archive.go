package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/custreg/custreg/internal/archive"
	"github.com/custreg/custreg/internal/domain"
)

// archiveWriteWindow is how long the archive's answer may take between two
// flushes: each flush moves the connection's write deadline this far, so a
// long download is not cut by the server's WriteTimeout while it flows.
const archiveWriteWindow = 60 * time.Second

// downloadArchive streams GET /customers/{id}/archive, the customer's
// archive (the API's GET /api/v1/customers/{id}/archive, as a download
// from the customer's page). A refusal or a customer not found is a page,
// shown before the first byte; after it a failure cuts the download (the
// zip lacks its central directory, so it cannot pass for complete) and is
// logged.
func (h *Handler) downloadArchive(w http.ResponseWriter, r *http.Request) error {
	out := &download{w: w, rc: http.NewResponseController(w)}
	err := h.svc.customers.ArchiveCustomer(r.Context(), r.PathValue("id"), func(c domain.Customer, at time.Time) (io.Writer, error) {
		hd := w.Header()
		hd.Set("Content-Type", "application/zip")
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
	h.log.ErrorContext(r.Context(), "customer archive aborted after its first byte", "customer_id", r.PathValue("id"),
		"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
	panic(http.ErrAbortHandler)
}

// download is a response streamed as a file: it records whether anything
// was written and, on each flush, passes the bytes on and moves the write
// deadline.
type download struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	wrote bool
}

func (d *download) Write(p []byte) (int, error) {
	d.wrote = true
	return d.w.Write(p)
}

// Flush implements report.Flusher, which archive.Write calls.
func (d *download) Flush() error {
	d.extend()
	if err := d.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

func (d *download) extend() {
	// ErrNotSupported (a test recorder) leaves the deadline as it is.
	_ = d.rc.SetWriteDeadline(time.Now().Add(archiveWriteWindow))
}
