package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/store"
)

// createForm is a multipart create: the customer's JSON in "customer" and
// the given image parts (name, bytes, ...), each declared as a browser
// would declare a file named logo.png, or image/jpeg for JPEG bytes.
func createForm(t *testing.T, customer any, parts ...any) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if customer != nil {
		js, err := json.Marshal(customer)
		if err != nil {
			t.Fatal(err)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="customer"`)
		h.Set("Content-Type", "application/json")
		pw, _ := mw.CreatePart(h)
		pw.Write(js)
	}
	for i := 0; i+1 < len(parts); i += 2 {
		name := parts[i].(string)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="logo.png"`)
		data := parts[i+1].([]byte)
		declared := "image/png" // what a browser says of a file named .png
		if http.DetectContentType(data) == "image/jpeg" {
			declared = "image/jpeg"
		}
		h.Set("Content-Type", declared)
		pw, _ := mw.CreatePart(h)
		pw.Write(data)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// TestCustomerCreateWithLogos covers the multipart create: the customer,
// its entities, licenses and both logos in one transaction, and every
// refusal leaving nothing behind.
func TestCustomerCreateWithLogos(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		post := func(body []byte, ct string) apptest.Response {
			return admin.Do("POST", "/api/v1/customers", body, map[string]string{"Content-Type": ct})
		}
		customer := map[string]any{"name": "Logo Corp", "code": "LOGOCORP", "entities": []any{map[string]any{"name": "HQ"}},
			"reports": []string{"license_usage"}}

		// Refusals first: each a clear problem, and no customer afterwards.
		huge := make([]byte, domain.MaxLogoBytes+1)
		copy(huge, logotest.PNG(320, 80))
		for _, tc := range []struct {
			name    string
			body    func() ([]byte, string)
			status  int
			problem string
			fields  map[string]string
		}{
			{"gif logomark and a bad name together", func() ([]byte, string) {
				return createForm(t, map[string]any{"name": "", "code": "LOGOCORP"}, "full_logo", logotest.PNG(320, 80), "logomark", logotest.GIF(80, 80))
			}, 422, "validation", map[string]string{"name": "required", "logomark": "format"}},
			{"truncated full logo", func() ([]byte, string) {
				return createForm(t, customer, "full_logo", logotest.Truncated())
			}, 422, "validation", map[string]string{"full_logo": "format"}},
			{"decompression bomb", func() ([]byte, string) {
				return createForm(t, customer, "logomark", logotest.Bomb(100_000, 100_000))
			}, 422, "validation", map[string]string{"logomark": domain.FieldTooLarge}},
			{"text named .png", func() ([]byte, string) { return createForm(t, customer, "full_logo", logotest.Text()) }, 422, "validation", map[string]string{"full_logo": "format"}},
			{"20 MiB + 1", func() ([]byte, string) { return createForm(t, customer, "full_logo", huge) }, 413, "too-large", nil},
			{"unknown part", func() ([]byte, string) { return createForm(t, customer, "banner", logotest.PNG(10, 10)) }, 400, "unknown-field", nil},
			{"two full logos", func() ([]byte, string) {
				return createForm(t, customer, "full_logo", logotest.PNG(320, 80), "full_logo", logotest.PNG(320, 80))
			}, 400, "bad-request", nil},
			{"no customer part", func() ([]byte, string) { return createForm(t, nil, "full_logo", logotest.PNG(320, 80)) }, 400, "bad-request", nil},
			{"customer part not an object", func() ([]byte, string) { return createForm(t, []int{1}, "full_logo", logotest.PNG(320, 80)) }, 400, "bad-request", nil},
			{"unknown customer field", func() ([]byte, string) {
				return createForm(t, map[string]any{"name": "X", "code": "XX", "colour": "red"})
			}, 400, "unknown-field", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := wantProblem(t, post(tc.body()), tc.status, tc.problem)
				if tc.fields != nil {
					got := fieldCodes(t, p)
					for f, code := range tc.fields {
						if got[f] != code {
							t.Errorf("field %s = %q, want %q (all: %v)", f, got[f], code, got)
						}
					}
				}
				if n := customerCount(t, admin); n != 0 {
					t.Errorf("%d customers after a refused create", n)
				}
			})
		}

		// Both logos with the customer, its entity and its choices.
		body, ct := createForm(t, customer, "full_logo", logotest.PNG(1280, 320), "logomark", logotest.JPEG(200, 200))
		res := post(body, ct)
		wantStatus(t, res, 201)
		c := res.JSON(t)
		full, _ := c["full_logo"].(map[string]any)
		mark, _ := c["logomark"].(map[string]any)
		if full == nil || full["format"] != "png" || full["width"] != 1280.0 || mark == nil || mark["format"] != "jpeg" {
			t.Fatalf("created customer's logos = %v / %v", c["full_logo"], c["logomark"])
		}
		if c["entities_count"] != 1.0 || len(c["reports"].([]any)) != 1 {
			t.Errorf("created customer = %v", c)
		}
		id := c["id"].(string)
		img := admin.Do("GET", logoPath(id, domain.LogoFull), nil, nil)
		wantStatus(t, img, 200)
		if cfg := decodeConfig(t, img.Body); cfg.Width != 320 || cfg.Height != 80 {
			t.Errorf("full logo rendition %d×%d, want 320×80", cfg.Width, cfg.Height)
		}
		if got := admin.Do("GET", "/api/v1/customers/"+id, nil, nil).JSON(t); got["logomark"] == nil {
			t.Errorf("a read of the customer shows no logomark: %v", got)
		}
		// The create's audit holds the customer and both uploads.
		actions := map[string]int{}
		for _, e := range auditOf(t, app, id) {
			actions[e.Action]++
		}
		if actions["customer.create"] != 1 || actions["customer.logo.upload"] != 2 || actions["entity.create"] != 1 {
			t.Errorf("audit of the create = %v", actions)
		}
	})
}

func decodeConfig(t *testing.T, data []byte) image.Config {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	return cfg
}

func auditOf(t *testing.T, app *apptest.App, customerID string) []domain.AuditEntry {
	t.Helper()
	var es []domain.AuditEntry
	if err := app.Store.Read(context.Background(), func(tx store.Tx) (err error) {
		es, err = tx.Audit(context.Background(), customerID, 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return es
}
