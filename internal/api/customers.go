package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// locationJSON is the location block as the API returns it: absent fields
// are null, and the country comes with its English name.
type locationJSON struct {
	LocationName *string `json:"location_name"`
	Country      *string `json:"country"`
	CountryName  *string `json:"country_name"`
	Region       *string `json:"region"`
	State        *string `json:"state"`
	District     *string `json:"district"`
	City         *string `json:"city"`
	PinCode      *string `json:"pin_code"`
	Landmark     *string `json:"landmark"`
	AddressLine1 *string `json:"address_line1"`
	AddressLine2 *string `json:"address_line2"`
}

// customerJSON is a customer as the API returns it.
type customerJSON struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	Code           string       `json:"code"`
	Domain         *string      `json:"domain"`
	BusinessEmail  *string      `json:"business_email"`
	Phone          *string      `json:"phone"`
	Website        *string      `json:"website"`
	SubscriptionID *string      `json:"subscription_id"`
	IsActive       bool         `json:"is_active"`
	Location       locationJSON `json:"location"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Version        int64        `json:"version"`
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func locationOut(l domain.Location) locationJSON {
	return locationJSON{
		LocationName: opt(l.Name), Country: opt(l.Country), CountryName: opt(domain.CountryName(l.Country)),
		Region: opt(l.Region), State: opt(l.State), District: opt(l.District), City: opt(l.City),
		PinCode: opt(l.PinCode), Landmark: opt(l.Landmark), AddressLine1: opt(l.AddressLine1), AddressLine2: opt(l.AddressLine2),
	}
}

func customerOut(c domain.Customer) customerJSON {
	return customerJSON{
		ID: c.ID, Name: c.Name, Code: c.Code, Domain: opt(c.Domain), BusinessEmail: opt(c.BusinessEmail),
		Phone: opt(c.Phone), Website: opt(c.Website), SubscriptionID: opt(c.SubscriptionID), IsActive: c.IsActive,
		Location: locationOut(c.Location), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
	}
}

func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in domain.CustomerInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.svc.CreateCustomer(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", BasePath+"/customers/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	return writeJSON(w, http.StatusCreated, customerOut(c))
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.Customer(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	return writeJSON(w, http.StatusOK, customerOut(c))
}

// patchCustomer applies an RFC 7396 merge patch. The patch is applied to the
// customer's current writable fields inside the service's transaction, and
// the result is validated as a whole, exactly like a create.
func (a *API) patchCustomer(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	_, body, err := readJSONBody(w, r, true)
	if err != nil {
		return err
	}
	var patch any
	if err := json.Unmarshal(body, &patch); err != nil {
		return domain.Errorf(domain.EBadRequest, "The request body is not well-formed JSON.")
	}
	// Reject unknown and mistyped fields before touching the store.
	var probe domain.CustomerInput
	if err := unmarshalStrict(body, &probe); err != nil {
		return err
	}
	c, err := a.svc.UpdateCustomer(r.Context(), r.PathValue("id"), version, func(cur domain.CustomerInput) (domain.CustomerInput, error) {
		base, err := json.Marshal(cur)
		if err != nil {
			return cur, err
		}
		var target any
		if err := json.Unmarshal(base, &target); err != nil {
			return cur, err
		}
		merged, err := json.Marshal(mergePatch(target, patch))
		if err != nil {
			return cur, err
		}
		var next domain.CustomerInput
		if err := unmarshalStrict(merged, &next); err != nil {
			return cur, err
		}
		return next, nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	return writeJSON(w, http.StatusOK, customerOut(c))
}

func (a *API) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteCustomer(r.Context(), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// cursorJSON is the opaque cursor: the keyset position and the sort it
// belongs to, so that a cursor cannot be replayed against another order.
type cursorJSON struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

func encodeCursor(sort domain.CustomerSort, c *domain.CustomerCursor) *string {
	if c == nil {
		return nil
	}
	b, _ := json.Marshal(cursorJSON{Sort: string(sort), Key: c.Key, ID: c.ID})
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

func decodeCursor(s string, sort domain.CustomerSort) (*domain.CustomerCursor, error) {
	bad := &domain.Error{Code: domain.EBadRequest, Type: "bad-cursor", Message: "The cursor is not valid: pass next_cursor from the previous page unchanged, with the same sort."}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" || c.Sort != string(sort) {
		return nil, bad
	}
	return &domain.CustomerCursor{Key: c.Key, ID: c.ID}, nil
}

// listParams are the query parameters the customer list accepts.
var listParams = map[string]bool{"limit": true, "cursor": true, "sort": true}

func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k := range q {
		if !listParams[k] {
			return &domain.Error{Code: domain.EBadRequest, Type: "unknown-parameter", Message: "Unknown query parameter " + strconv.Quote(k) + "."}
		}
	}
	f := domain.CustomerFilter{Sort: domain.CustomerSort(q.Get("sort"))}
	if f.Sort == "" {
		f.Sort = domain.SortNameAsc
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.MaxPageSize {
			return domain.Errorf(domain.EBadRequest, "limit must be a whole number from 1 to %d.", domain.MaxPageSize)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v, f.Sort)
		if err != nil {
			return err
		}
		f.Cursor = c
	}
	page, err := a.svc.ListCustomers(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]customerJSON, len(page.Items))
	for i, c := range page.Items {
		items[i] = customerOut(c)
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"items": items, "next_cursor": encodeCursor(f.Sort, page.Next), "total": page.Total,
	})
}
