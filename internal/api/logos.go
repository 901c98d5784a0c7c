package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo"
)

// logoJSON describes a customer's logo in the customer's JSON: the
// upload's format, dimensions and size, and where to fetch it.
type logoJSON struct {
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int64  `json:"bytes"`
	URL    string `json:"url"`
}

func logoOut(customerID string, li *domain.LogoInfo) *logoJSON {
	if li == nil {
		return nil
	}
	return &logoJSON{Format: li.Format, Width: li.Width, Height: li.Height, Bytes: li.Bytes,
		URL: BasePath + "/customers/" + customerID + "/" + li.Kind}
}

// logoUploadJSON is the answer to an upload.
type logoUploadJSON struct {
	Format  string `json:"format"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Bytes   int64  `json:"bytes"`
	Warning string `json:"warning,omitempty"`
}

// multipartSlack is what a multipart upload may carry beyond the file:
// boundaries and part headers.
const multipartSlack = 64 << 10

// logoHandler runs fn for one kind of logo.
func logoHandler(kind string, fn func(*API, http.ResponseWriter, *http.Request, string) error) func(*API, http.ResponseWriter, *http.Request) error {
	return func(a *API, w http.ResponseWriter, r *http.Request) error { return fn(a, w, r, kind) }
}

func (a *API) putLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	data, declared, err := readLogoBody(w, r)
	if err != nil {
		return err
	}
	up, err := a.svc.customers.SetCustomerLogo(r.Context(), r.PathValue("id"), kind, data, declared)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, logoUploadJSON{Format: up.Format, Width: up.Width, Height: up.Height, Bytes: up.Bytes, Warning: up.Warning})
}

func (a *API) deleteLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	if err := a.svc.customers.DeleteCustomerLogo(r.Context(), r.PathValue("id"), kind); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// getLogo serves the display rendition, or the upload with
// ?original=true. Its entity tag is the hash of the bytes: with
// Cache-Control "private, no-cache" a browser keeps the image and
// revalidates it with If-None-Match, answered 304 while it is unchanged.
func (a *API) getLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	return serveLogo(w, r, func(original bool, have []string) (domain.LogoImage, error) {
		return a.svc.customers.CustomerLogo(r.Context(), r.PathValue("id"), kind, original, have)
	})
}

// getOrgLogo serves the organization's logo as getLogo serves a
// customer's.
func (a *API) getOrgLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	return serveLogo(w, r, func(original bool, have []string) (domain.LogoImage, error) {
		return a.svc.org.OrgLogo(r.Context(), kind, original, have)
	})
}

func (a *API) putOrgLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	data, declared, err := readLogoBody(w, r)
	if err != nil {
		return err
	}
	up, err := a.svc.org.SetOrgLogo(r.Context(), kind, data, declared)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, logoUploadJSON{Format: up.Format, Width: up.Width, Height: up.Height, Bytes: up.Bytes, Warning: up.Warning})
}

func (a *API) deleteOrgLogo(w http.ResponseWriter, r *http.Request, kind string) error {
	if err := a.svc.org.DeleteOrgLogo(r.Context(), kind); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// serveLogo answers a logo GET with the image fetch returns.
func serveLogo(w http.ResponseWriter, r *http.Request, fetch func(original bool, have []string) (domain.LogoImage, error)) error {
	original := false
	switch v := r.URL.Query().Get("original"); v {
	case "", "false":
	case "true":
		original = true
	default:
		return domain.Errorf(domain.EBadRequest, "original must be true or false, not %s.", strconv.Quote(v))
	}
	have, star := ifNoneMatch(r.Header.Get("If-None-Match"))
	img, err := fetch(original, have)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+img.SHA256+`"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	if img.Data == nil || star {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", domain.LogoMediaType(img.Format))
	w.Header().Set("Content-Length", strconv.Itoa(len(img.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(img.Data)
	return nil
}

// ifNoneMatch returns the entity tags of an If-None-Match header (weak or
// strong: a GET compares them weakly), and whether it is "*".
func ifNoneMatch(h string) (tags []string, star bool) {
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" {
			return nil, true
		}
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' && len(t) <= 130 {
			tags = append(tags, t[1:len(t)-1])
		}
		if len(tags) == 16 {
			break
		}
	}
	return tags, false
}

// readLogoBody reads an upload: the image itself (Content-Type image/png
// or image/jpeg) or multipart/form-data whose one part "file" is the
// image. It returns the bytes and the media type the sender declared for
// them ("" when the part names none or a generic one). The body is read
// up to domain.MaxLogoBytes and no further: a larger upload is a 413
// however long it is.
func readLogoBody(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
	case mt == "image/png" || mt == "image/jpeg" || mt == "image/jpg":
		if r.ContentLength > domain.MaxLogoBytes {
			return nil, "", logo.TooLarge()
		}
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, domain.MaxLogoBytes))
		if err != nil {
			return nil, "", bodyReadError(err)
		}
		return data, mt, nil
	case mt == "multipart/form-data":
		return readLogoMultipart(w, r, params["boundary"])
	}
	return nil, "", domain.Errorf(domain.EUnsupportedMedia,
		"The request body must be the image (Content-Type image/png or image/jpeg) or multipart/form-data with the image in a part named %q.", logo.Field)
}

func readLogoMultipart(w http.ResponseWriter, r *http.Request, boundary string) ([]byte, string, error) {
	if boundary == "" {
		return nil, "", domain.Errorf(domain.EBadRequest, "The multipart/form-data body has no boundary.")
	}
	if r.ContentLength > domain.MaxLogoBytes+multipartSlack {
		return nil, "", logo.TooLarge()
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, domain.MaxLogoBytes+multipartSlack), boundary)
	var data []byte
	var declared string
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", bodyReadError(err)
		}
		name := part.FormName()
		if name != logo.Field {
			return nil, "", &domain.Error{Code: domain.EBadRequest, Type: "unknown-field",
				Message: "Unknown part " + strconv.Quote(name) + ": the body takes one part, " + strconv.Quote(logo.Field) + "."}
		}
		if found {
			return nil, "", domain.Errorf(domain.EBadRequest, "The body has more than one %q part; send one image.", logo.Field)
		}
		found = true
		data, err = io.ReadAll(io.LimitReader(part, domain.MaxLogoBytes+1))
		if err != nil {
			return nil, "", bodyReadError(err)
		}
		if len(data) > domain.MaxLogoBytes {
			return nil, "", logo.TooLarge()
		}
		if pmt, _, err := mime.ParseMediaType(part.Header.Get("Content-Type")); err == nil {
			declared = pmt
		}
	}
	if !found {
		var fe domain.FieldErrors
		fe.Add(logo.Field, domain.FieldRequired, "The body has no part named \"file\"; put the image there.")
		return nil, "", fe.Err()
	}
	return data, declared, nil
}

// bodyReadError is the problem for a body that could not be read: 413 at
// the limit, 400 otherwise.
func bodyReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return logo.TooLarge()
	}
	return domain.Errorf(domain.EBadRequest, "The request body could not be read as an upload: it is malformed or incomplete.")
}
