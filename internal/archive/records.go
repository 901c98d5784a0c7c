package archive

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/wire"
)

// The records as the archive writes them: the API's field names and
// shapes (absent values are null), so a program that reads the API reads
// the archive.

type logoJSON struct {
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int64  `json:"bytes"`
	// File is the upload's name in the archive.
	File string `json:"file"`
}

type licenseJSON struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	Allocated   int64  `json:"allocated"`
	Used        int64  `json:"used"`
	Available   int64  `json:"available"`
	PercentUsed int64  `json:"percent_used"`
}

// customerAdds are what the archive sends a customer (internal/wire) with:
// its logos, which name the archive's files that hold them, and its
// licenses.
type customerAdds struct {
	FullLogo *logoJSON     `json:"full_logo"`
	Logomark *logoJSON     `json:"logomark"`
	Licenses []licenseJSON `json:"licenses"`
}

func logoOut(l *domain.LogoInfo) *logoJSON {
	if l == nil {
		return nil
	}
	return &logoJSON{Format: l.Format, Width: l.Width, Height: l.Height, Bytes: l.Bytes, File: LogoFile(l.Kind, l.Format)}
}

type auditActorJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

type auditJSON struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	Actor      *auditActorJSON `json:"actor"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   *string         `json:"target_id"`
	CustomerID *string         `json:"customer_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
}

type usagePointJSON struct {
	Day       string `json:"day"`
	Type      string `json:"type"`
	Allocated int64  `json:"allocated"`
	Used      int64  `json:"used"`
}

func logoInfo(c domain.Customer, kind string) *domain.LogoInfo {
	if kind == domain.LogoFull {
		return c.FullLogo
	}
	return c.Logomark
}

func customerOut(c Customer) any {
	out := customerAdds{FullLogo: logoOut(c.FullLogo), Logomark: logoOut(c.Logomark), Licenses: []licenseJSON{}}
	for _, l := range c.Licenses {
		out.Licenses = append(out.Licenses, licenseJSON{Type: l.Type, Name: domain.LicenseName(l.Type), Allocated: l.Allocated,
			Used: l.Used, Available: l.Available(), PercentUsed: l.PercentUsed()})
	}
	return wire.With(c.Customer, out)
}

// snapshot is an audit entry's record snapshot as JSON: null for none,
// and a snapshot that is not valid JSON (none is written so) as a string.
func snapshot(b []byte) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	if !json.Valid(b) {
		s, _ := json.Marshal(string(b))
		return s
	}
	return b
}

func auditOut(e domain.AuditEntry) auditJSON {
	out := auditJSON{ID: e.ID, At: e.At, Action: e.Action, TargetType: e.TargetType, TargetID: wire.Opt(e.TargetID),
		CustomerID: wire.Opt(e.CustomerID), Before: snapshot(e.Before), After: snapshot(e.After)}
	if e.ActorID != "" || e.ActorEmail != "" {
		out.Actor = &auditActorJSON{ID: e.ActorID, Email: e.ActorEmail}
	}
	return out
}

func usageJSON(ps []domain.UsagePoint) func(emit func(any) error) error {
	return func(emit func(any) error) error {
		for _, p := range ps {
			if err := emit(usagePointJSON{Day: p.Day, Type: p.Type, Allocated: p.Allocated, Used: p.Used}); err != nil {
				return err
			}
		}
		return nil
	}
}

// The CSV files' columns.
var (
	licenseHeader = []string{"type", "name", "allocated", "used", "available", "percent_used"}
	usageHeader   = []string{"day", "type", "allocated", "used"}
	locationCols  = []string{"location_name", "country", "region", "state", "district", "city", "pin_code", "landmark", "address_line1", "address_line2"}
	entityHeader  = append(append([]string{"id", "customer_id", "name", "code", "type", "is_active", "business_email", "phone"}, locationCols...),
		"created_at", "updated_at", "version")
	userHeader  = []string{"id", "email", "name", "kind", "role", "customer_id", "entity_ids", "is_active", "created_at", "updated_at", "version"}
	assetHeader = []string{"id", "name", "class", "customer_id", "entity_id", "availability_monitoring", "performance_monitoring",
		"serial", "ip_address", "created_at", "updated_at", "version"}
	auditHeader = []string{"id", "at", "actor_id", "actor_email", "action", "target_type", "target_id", "customer_id", "before", "after"}
)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func licenseRows(ls []domain.CustomerLicense) func(emit func([]string) error) error {
	return func(emit func([]string) error) error {
		for _, l := range ls {
			if err := emit([]string{l.Type, domain.LicenseName(l.Type), i64(l.Allocated), i64(l.Used), i64(l.Available()), i64(l.PercentUsed())}); err != nil {
				return err
			}
		}
		return nil
	}
}

func usageRows(ps []domain.UsagePoint) func(emit func([]string) error) error {
	return func(emit func([]string) error) error {
		for _, p := range ps {
			if err := emit([]string{p.Day, p.Type, i64(p.Allocated), i64(p.Used)}); err != nil {
				return err
			}
		}
		return nil
	}
}

func entityRow(e domain.Entity) []string {
	l := e.Location
	return []string{e.ID, e.CustomerID, e.Name, e.Code, e.Type, strconv.FormatBool(e.IsActive), e.BusinessEmail, e.Phone,
		l.Name, l.Country, l.Region, l.State, l.District, l.City, l.PinCode, l.Landmark, l.AddressLine1, l.AddressLine2,
		ts(e.CreatedAt), ts(e.UpdatedAt), i64(e.Version)}
}

func userRow(u domain.User) []string {
	return []string{u.ID, u.Email, u.Name, u.Kind, u.Role, u.CustomerID, strings.Join(u.EntityIDs, ";"), strconv.FormatBool(u.IsActive),
		ts(u.CreatedAt), ts(u.UpdatedAt), i64(u.Version)}
}

func assetRow(a domain.Asset) []string {
	return []string{a.ID, a.Name, a.Class, a.CustomerID, a.EntityID, strconv.FormatBool(a.AvailabilityMonitoring),
		strconv.FormatBool(a.PerformanceMonitoring), a.Serial, a.IPAddress, ts(a.CreatedAt), ts(a.UpdatedAt), i64(a.Version)}
}

func auditRow(e domain.AuditEntry) []string {
	return []string{e.ID, ts(e.At), e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, e.CustomerID, string(e.Before), string(e.After)}
}
