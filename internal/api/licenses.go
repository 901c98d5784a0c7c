package api

import (
	"net/http"

	"github.com/custreg/custreg/internal/domain"
)

// orgLicenseJSON is one license type of the organization; pool and
// unallocated are null while the pool is unlimited.
type orgLicenseJSON struct {
	Type        string `json:"type"`
	Pool        *int64 `json:"pool"`
	Allocated   int64  `json:"allocated"`
	Unallocated *int64 `json:"unallocated"`
	Used        int64  `json:"used"`
}

type orgLicenseList struct {
	Items []orgLicenseJSON `json:"items"`
}

func orgLicensesOut(ls []domain.OrgLicense) orgLicenseList {
	out := orgLicenseList{Items: make([]orgLicenseJSON, len(ls))}
	for i, l := range ls {
		out.Items[i] = orgLicenseJSON{Type: l.Type, Pool: l.Pool, Allocated: l.Allocated, Unallocated: l.Unallocated(), Used: l.Used}
	}
	return out
}

// customerLicenseJSON is one license type of a customer.
type customerLicenseJSON struct {
	Type        string `json:"type"`
	Allocated   int64  `json:"allocated"`
	Used        int64  `json:"used"`
	Available   int64  `json:"available"`
	PercentUsed int64  `json:"percent_used"`
}

type customerLicenseList struct {
	Items []customerLicenseJSON `json:"items"`
}

func customerLicensesOut(ls []domain.CustomerLicense) customerLicenseList {
	out := customerLicenseList{Items: make([]customerLicenseJSON, len(ls))}
	for i, l := range ls {
		out.Items[i] = customerLicenseJSON{Type: l.Type, Allocated: l.Allocated, Used: l.Used, Available: l.Available(), PercentUsed: l.PercentUsed()}
	}
	return out
}

// poolPut is the body of PUT /org/licenses.
type poolPut struct {
	Pool domain.LicenseCounts `json:"pool"`
}

func (a *API) orgLicenses(w http.ResponseWriter, r *http.Request) error {
	ls, err := a.svc.org.OrgLicenses(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgLicensesOut(ls))
}

func (a *API) putOrgLicenses(w http.ResponseWriter, r *http.Request) error {
	var in poolPut
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ls, err := a.svc.org.SetOrgPool(r.Context(), in.Pool)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, orgLicensesOut(ls))
}

func (a *API) customerLicenses(w http.ResponseWriter, r *http.Request) error {
	ls, err := a.svc.customers.CustomerLicenses(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, customerLicensesOut(ls))
}

func (a *API) putCustomerLicenses(w http.ResponseWriter, r *http.Request) error {
	var in domain.LicenseCounts
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ls, err := a.svc.customers.SetCustomerLicenses(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, customerLicensesOut(ls))
}
