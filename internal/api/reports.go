package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
)

// reportParams are the query parameters of GET /reports/{key}.
var reportParams = []string{"customer_id", "format"}

// reportFormats are the formats a report is written in, with their media
// types.
var reportFormats = map[string]string{
	"json": "application/json",
	"csv":  "text/csv; charset=utf-8",
	"pdf":  "application/pdf",
}

// reportWriteWindow is how long a report's answer may take between two
// flushes: each flush moves the connection's write deadline this far, so
// a long report is not cut by the server's WriteTimeout while it keeps
// flowing.
const reportWriteWindow = 60 * time.Second

// runReport streams GET /reports/{key} in the format asked. Problems are
// answered while nothing has been written; once bytes have gone out, a
// failure aborts the response (the client sees a cut connection, never a
// body that looks complete) and is logged.
func (a *API) runReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	mediaType, ok := reportFormats[format]
	if !ok {
		return &domain.Error{Code: domain.EBadRequest, Type: "bad-format",
			Message: "Unknown report format " + strconv.Quote(format) + ": use format=json, format=csv or format=pdf."}
	}
	out := &reportResponse{w: w, rc: http.NewResponseController(w)}
	var rw report.Writer
	switch format {
	case "json":
		rw = report.NewJSON(out)
	case "csv":
		rw = report.NewCSV(out)
	default:
		rw = report.NewPDF(out)
	}
	started := &headed{Writer: rw, start: func(h report.Header) {
		hd := w.Header()
		hd.Set("Content-Type", mediaType)
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Content-Type-Options", "nosniff")
		if format != "json" {
			hd.Set("Content-Disposition", `attachment; filename="`+report.Filename(h, format)+`"`)
		}
		out.extend()
	}}
	err := a.svc.reports.RunReport(r.Context(), r.PathValue("key"), q.Get("customer_id"), service.ReportOptions{Logo: format == "pdf"}, started)
	if err == nil {
		err = rw.Finish()
	}
	if err == nil {
		return nil
	}
	if !out.wrote {
		w.Header().Del("Content-Disposition")
		return err
	}
	a.log.ErrorContext(r.Context(), "report aborted after its first byte", "report", r.PathValue("key"), "format", format,
		"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
	panic(http.ErrAbortHandler)
}

// headed sets the answer's headers when the report starts, before its
// first byte.
type headed struct {
	report.Writer
	start func(report.Header)
}

func (h *headed) Start(hd report.Header) error {
	h.start(hd)
	return h.Writer.Start(hd)
}

// reportResponse is the response a report (or a customer's archive)
// streams into: it records whether anything was written and, on each
// flush, passes the bytes on and moves the write deadline.
type reportResponse struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	wrote bool
}

func (o *reportResponse) Write(p []byte) (int, error) {
	o.wrote = true
	return o.w.Write(p)
}

// Flush implements report.Flusher.
func (o *reportResponse) Flush() error {
	o.extend()
	if err := o.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

func (o *reportResponse) extend() {
	// ErrNotSupported (a test recorder) leaves the deadline as it is.
	_ = o.rc.SetWriteDeadline(time.Now().Add(reportWriteWindow))
}
