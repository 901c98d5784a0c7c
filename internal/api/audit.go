package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/wire"
)

// auditParams are GET /audit's query parameters.
var auditParams = []string{"customer_id", "actor_id", "target_type", "action", "from", "to", "limit", "cursor", "format"}

// auditActorJSON is who made a change.
type auditActorJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// auditEntryJSON is one audit entry.
type auditEntryJSON struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	Actor      *auditActorJSON `json:"actor"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   *string         `json:"target_id"`
	CustomerID *string         `json:"customer_id"`
	Before     map[string]any  `json:"before"`
	After      map[string]any  `json:"after"`
	RequestID  *string         `json:"request_id"`
	ClientAddr *string         `json:"client_addr"`
}

// auditList is one page of the audit history.
type auditList struct {
	Items      []auditEntryJSON `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// snapshot reads a record's JSON snapshot; nil (null) for none. A
// snapshot that is not an object (none is written so) is kept under
// "value".
func snapshot(b []byte) map[string]any {
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		var v any
		_ = json.Unmarshal(b, &v)
		return map[string]any{"value": v}
	}
	return m
}

func auditOut(e domain.AuditEntry) auditEntryJSON {
	out := auditEntryJSON{ID: e.ID, At: e.At, Action: e.Action, TargetType: e.TargetType, TargetID: wire.Opt(e.TargetID),
		CustomerID: wire.Opt(e.CustomerID), Before: snapshot(e.Before), After: snapshot(e.After),
		RequestID: wire.Opt(e.RequestID), ClientAddr: wire.Opt(e.ClientAddr)}
	if e.ActorID != "" || e.ActorEmail != "" {
		out.Actor = &auditActorJSON{ID: e.ActorID, Email: e.ActorEmail}
	}
	return out
}

// auditFilter reads the query of GET /audit.
func auditFilter(r *http.Request) (domain.AuditFilter, error) {
	q := r.URL.Query()
	f := domain.AuditFilter{CustomerID: q.Get("customer_id"), ActorID: q.Get("actor_id"), TargetType: q.Get("target_type"),
		Action: q.Get("action"), Before: q.Get("cursor")}
	n, err := listquery.ParseLimit(q)
	if err != nil {
		return f, err
	}
	f.Limit = n
	for _, b := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(b.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, domain.Errorf(domain.EBadRequest, "%s must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z, not %s.", b.name, strconv.Quote(v))
			}
			*b.dst = t
		}
	}
	return f, nil
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	switch format := r.URL.Query().Get("format"); format {
	case "", "json":
	case "csv":
		return a.auditCSV(w, r, f)
	default:
		return &domain.Error{Code: domain.EBadRequest, Type: "bad-format", Message: "Unknown format " + strconv.Quote(format) + ": use format=json or format=csv."}
	}
	page, err := a.svc.audit.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	out := auditList{Items: make([]auditEntryJSON, len(page.Items))}
	for i, e := range page.Items {
		out.Items[i] = auditOut(e)
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return writeJSON(w, http.StatusOK, out)
}

// auditCSV writes every entry the filter selects (from the cursor on), a
// page of the store at a time, as CSV; cells are formula-guarded as the
// reports' are.
func (a *API) auditCSV(w http.ResponseWriter, r *http.Request, f domain.AuditFilter) error {
	f.Limit = domain.MaxPageSize
	page, err := a.svc.audit.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "actor_id", "actor_email", "action", "target_type", "target_id", "customer_id", "before", "after", "request_id", "client_addr"})
	for {
		for _, e := range page.Items {
			row := []string{e.ID, e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, e.CustomerID, string(e.Before), string(e.After), e.RequestID, e.ClientAddr}
			for i := range row {
				row[i] = report.CSVCell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return nil // the client has gone
			}
		}
		cw.Flush()
		if cw.Error() != nil || page.Next == "" {
			return nil
		}
		f.Before = page.Next
		if page, err = a.svc.audit.AuditLog(r.Context(), f); err != nil {
			// Past the first byte: cut the answer short rather than
			// send a complete-looking file.
			a.log.ErrorContext(r.Context(), "audit export", "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}
