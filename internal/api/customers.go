package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/logo"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/wire"
)

// customerLogos are the members a customer is sent with: its logos.
type customerLogos struct {
	FullLogo *logoJSON `json:"full_logo"`
	Logomark *logoJSON `json:"logomark"`
}

func logosOf(c domain.Customer) customerLogos {
	return customerLogos{FullLogo: logoOut(c.ID, c.FullLogo), Logomark: logoOut(c.ID, c.Logomark)}
}

// customerOut is c as the API returns it (internal/wire), its logos with
// where to fetch them.
func customerOut(c domain.Customer) any { return wire.With(c, logosOf(c)) }

// customerCreate is the body of POST /customers: the customer and,
// optionally, its first entities, written in one transaction.
type customerCreate struct {
	domain.CustomerInput
	Entities []domain.EntityInput `json:"entities"`
	Licenses domain.LicenseCounts `json:"licenses"`
}

func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerCreate
	var logos []service.LogoFile
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		var err error
		if logos, err = readCustomerMultipart(w, r, params["boundary"], &in); err != nil {
			return err
		}
	} else if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.svc.customers.RegisterCustomer(r.Context(), service.NewCustomer{Customer: in.CustomerInput, Entities: in.Entities, Licenses: in.Licenses, Logos: logos})
	return customerKind.created(w, c, err)
}

// customerPart is the multipart create's part that holds the customer.
const customerPart = "customer"

// readCustomerMultipart reads a multipart/form-data create: the part
// "customer", the JSON body a JSON create sends, and optional image parts
// "full_logo" and "logomark". The body is bounded by both images and the
// JSON at their limits; each part by its own.
func readCustomerMultipart(w http.ResponseWriter, r *http.Request, boundary string, in *customerCreate) ([]service.LogoFile, error) {
	if boundary == "" {
		return nil, domain.Errorf(domain.EBadRequest, "The multipart/form-data body has no boundary.")
	}
	limit := int64(2*domain.MaxLogoBytes + MaxJSONBody + multipartSlack)
	if r.ContentLength > limit {
		return nil, logo.TooLarge()
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, limit), boundary)
	var logos []service.LogoFile
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bodyReadError(err)
		}
		name := part.FormName()
		if seen[name] {
			return nil, domain.Errorf(domain.EBadRequest, "The body has more than one %q part.", name)
		}
		seen[name] = true
		switch name {
		case customerPart:
			body, err := io.ReadAll(io.LimitReader(part, MaxJSONBody+1))
			if err != nil {
				return nil, bodyReadError(err)
			}
			if len(body) > MaxJSONBody {
				return nil, domain.Errorf(domain.ETooLarge, "The %q part is larger than %d bytes.", customerPart, MaxJSONBody)
			}
			if _, err := jsonObject(body); err != nil {
				return nil, err
			}
			if err := unmarshalStrict(body, in); err != nil {
				return nil, err
			}
		case domain.LogoFull, domain.LogoMark:
			data, err := io.ReadAll(io.LimitReader(part, domain.MaxLogoBytes+1))
			if err != nil {
				return nil, bodyReadError(err)
			}
			if len(data) > domain.MaxLogoBytes {
				return nil, logo.TooLarge()
			}
			declared := ""
			if pmt, _, err := mime.ParseMediaType(part.Header.Get("Content-Type")); err == nil {
				declared = pmt
			}
			logos = append(logos, service.LogoFile{Kind: name, Data: data, Declared: declared})
		default:
			return nil, &domain.Error{Code: domain.EBadRequest, Type: "unknown-field",
				Message: "Unknown part " + strconv.Quote(name) + ": the form takes \"customer\" (JSON) and optional \"full_logo\" and \"logomark\" images."}
		}
	}
	if !seen[customerPart] {
		return nil, domain.Errorf(domain.EBadRequest, "The form has no %q part; put the customer's JSON there.", customerPart)
	}
	return logos, nil
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	return customerKind.get(w, r, func(ctx context.Context) (domain.Customer, error) {
		return a.svc.customers.Customer(ctx, r.PathValue("id"))
	})
}

func (a *API) patchCustomer(w http.ResponseWriter, r *http.Request) error {
	return customerKind.patch(w, r, func(ctx context.Context, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error)) (domain.Customer, error) {
		return a.svc.customers.UpdateCustomer(ctx, r.PathValue("id"), version, apply)
	})
}

// deletePreviewJSON is what deleting a customer takes with it.
type deletePreviewJSON struct {
	CustomerID string                `json:"customer_id"`
	Name       string                `json:"name"`
	Code       string                `json:"code"`
	Entities   int64                 `json:"entities"`
	Users      int64                 `json:"users"`
	Assets     int64                 `json:"assets"`
	Returned   []returnedLicenseJSON `json:"licenses_returned"`
}

type returnedLicenseJSON struct {
	Type      string `json:"type"`
	Allocated int64  `json:"allocated"`
}

func (a *API) deletePreview(w http.ResponseWriter, r *http.Request) error {
	d, err := a.svc.customers.DeletePreview(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := deletePreviewJSON{CustomerID: d.Customer.ID, Name: d.Customer.Name, Code: d.Customer.Code, Entities: d.Entities,
		Users: d.Users, Assets: d.Assets, Returned: []returnedLicenseJSON{}}
	for _, l := range d.Returned {
		out.Returned = append(out.Returned, returnedLicenseJSON{Type: l.Type, Allocated: l.Allocated})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	return remove(w, r, func(ctx context.Context, version int64) error {
		return a.svc.customers.DeleteCustomer(ctx, r.PathValue("id"), version)
	})
}

func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q, err := listquery.Parse(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := a.svc.customers.ListCustomers(r.Context(), q.Filter())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(page.Items, customerOut, string(q.Sort), page.Next, page.Total, page.TotalExact))
}
