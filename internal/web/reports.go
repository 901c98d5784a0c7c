package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
)

// The Reports page (GET /reports): the reports the caller may run, the
// scope they run over, links that download each as CSV or PDF from the API
// (GET /api/v1/reports/{key}, with the session cookie), and a preview of
// the first rows of one, rendered here. Organization users choose the
// scope with a plain GET form: search text (customer) lists the matching
// customers as links (customer_id); none chosen is every customer. The
// page works without the script.

// previewRows is how many rows the preview shows.
const previewRows = 50

// pickerMatches is how many customers a search lists.
const pickerMatches = 20

type reportsView struct {
	Shell
	// OrgScope is set for organization users, who choose the scope.
	OrgScope bool
	// CanPick is set when the caller may search customers to choose one.
	CanPick bool
	// Search is the customer search text; Matches the customers it found
	// (at most pickerMatches; More when there are others).
	Search   string
	Matches  []reportCustomer
	More     bool
	Searched bool
	// Customer is the chosen customer, nil for all customers.
	Customer    *reportCustomer
	Reports     []reportCard
	Preview     *reportPreview
	PDFMax      string
	SearchError string
}

type reportCustomer struct {
	ID, Name, Code, URL string
}

type reportCard struct {
	Key, Name, Description, CSV, PDF, PreviewURL string
	Previewing                                   bool
}

type reportPreview struct {
	Key, Title, Scope string
	Columns           []string
	Numeric           []bool
	Rows              [][]string
	More              bool
	CSV               string
	Count             string // "first 50 rows", "3 rows"
}

func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	q := r.URL.Query()
	v := reportsView{Shell: h.shell(r, "reports", "Reports"), OrgScope: p.Scope().IsOrg(), PDFMax: thousands(report.PDFMaxRows)}
	customerID := strings.TrimSpace(q.Get("customer_id"))
	if !v.OrgScope {
		customerID = p.CustomerID // a customer's people run over their own
	}
	if customerID != "" && allows(p, "Customer") {
		c, err := h.svc.customers.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		v.Customer = &reportCustomer{ID: c.ID, Name: c.Name, Code: c.Code}
	} else if customerID != "" {
		v.Customer = &reportCustomer{ID: customerID, Name: "Customer " + customerID}
	}
	v.CanPick = v.OrgScope && v.MSP && allows(p, "ListCustomers")
	if v.CanPick {
		v.Search = strings.TrimSpace(q.Get("customer"))
		if v.Search != "" {
			v.Searched = true
			page, err := h.svc.customers.ListCustomers(ctx, domain.CustomerFilter{Where: domain.SearchFilter(v.Search), Limit: pickerMatches})
			switch de := domainErr(err); {
			case err == nil:
				for _, c := range page.Items {
					v.Matches = append(v.Matches, reportCustomer{ID: c.ID, Name: c.Name, Code: c.Code, URL: reportsURL(c.ID, "")})
				}
				v.More = page.Next != nil
			case de != nil && (de.Code == domain.EInvalid || de.Code == domain.EBadRequest):
				v.SearchError = de.Message
			default:
				return err
			}
		}
	}
	entries, err := h.svc.reports.Reports(ctx)
	if err != nil {
		return err
	}
	chosen := ""
	if v.Customer != nil {
		chosen = v.Customer.ID
	}
	previewKey := q.Get("preview")
	for _, e := range entries {
		v.Reports = append(v.Reports, reportCard{Key: e.Key, Name: e.Name, Description: e.Description,
			CSV: apiReportURL(e.Key, chosen, "csv"), PDF: apiReportURL(e.Key, chosen, "pdf"),
			PreviewURL: reportsURL(chosen, e.Key) + "#preview", Previewing: e.Key == previewKey})
	}
	if previewKey != "" {
		pv, err := h.preview(r, previewKey, chosen)
		if err != nil {
			return err
		}
		v.Preview = pv
	}
	h.render(w, r, http.StatusOK, "reports", v)
	return nil
}

// errPreviewFull stops a preview's run once it has its rows.
var errPreviewFull = errors.New("web: the preview has its rows")

// previewSink keeps the first rows of a report, as text.
type previewSink struct {
	h    report.Header
	cols []int // the columns shown: the PDF's
	rows [][]string
	more bool
}

func (s *previewSink) Start(h report.Header) error {
	s.h = h
	for i, c := range h.Columns {
		if c.Width > 0 {
			s.cols = append(s.cols, i)
		}
	}
	return nil
}

func (s *previewSink) Summary([]any) error { return nil }

func (s *previewSink) Row(values []any) error {
	if len(s.rows) == previewRows {
		s.more = true
		return errPreviewFull
	}
	row := make([]string, len(s.cols))
	for k, i := range s.cols {
		row[k] = s.h.Columns[i].Show(values[i])
	}
	s.rows = append(s.rows, row)
	return nil
}

func (s *previewSink) Finish() error { return nil }

// preview runs a report far enough for its first rows. A report the
// caller may not run is the service's 404, as from the API.
func (h *Handler) preview(r *http.Request, key, customerID string) (*reportPreview, error) {
	var s previewSink
	err := h.svc.reports.RunReport(r.Context(), key, customerID, service.ReportOptions{}, &s)
	if err != nil && !errors.Is(err, errPreviewFull) {
		return nil, err
	}
	pv := &reportPreview{Key: key, Title: s.h.Title, Scope: s.h.ScopeText(), Rows: s.rows, More: s.more, CSV: apiReportURL(key, customerID, "csv")}
	pv.Count = pluralize(int64(len(s.rows)), "row", "rows")
	if s.more {
		pv.Count = "first " + pv.Count
	}
	for _, i := range s.cols {
		c := s.h.Columns[i]
		pv.Columns = append(pv.Columns, c.Title)
		pv.Numeric = append(pv.Numeric, c.Type == report.Integer)
	}
	return pv, nil
}

// thousands writes n with thousands separators: 5,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// reportsURL is the Reports page over a customer ("" for all), with a
// preview of key ("" for none).
func reportsURL(customerID, key string) string {
	q := url.Values{}
	if customerID != "" {
		q.Set("customer_id", customerID)
	}
	if key != "" {
		q.Set("preview", key)
	}
	if len(q) == 0 {
		return "/reports"
	}
	return "/reports?" + q.Encode()
}

// apiReportURL is the API's address of a report in a format.
func apiReportURL(key, customerID, format string) string {
	q := url.Values{"format": {format}}
	if customerID != "" {
		q.Set("customer_id", customerID)
	}
	return "/api/v1/reports/" + url.PathEscape(key) + "?" + q.Encode()
}
