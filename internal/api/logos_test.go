package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// logoWorld is two customers and the people who read their logos.
type logoWorld struct {
	app        *apptest.App
	admin      *apptest.Client
	a, b       domain.Customer
	aUser      *apptest.Client // customer_user of A
	aAdmin     *apptest.Client // customer_admin of A
	technician *apptest.Client // an organization technician (customers.view, not edit)
}

func newLogoWorld(t *testing.T, app *apptest.App) *logoWorld {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	w := &logoWorld{app: app, admin: app.AdminClient(t)}
	var err error
	if w.a, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Acme Logos", Code: "ACMELOGO"}, Licenses: apptest.Roomy()}); err != nil {
		t.Fatal(err)
	}
	if w.b, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Bravo Logos", Code: "BRAVOLOGO"}, Licenses: apptest.Roomy()}); err != nil {
		t.Fatal(err)
	}
	signIn := func(email, role, customerID string) *apptest.Client {
		t.Helper()
		if _, err := svc.CreateUser(org, domain.UserInput{Email: email, Name: "Person", Role: role, CustomerID: customerID, Password: leakPassword}); err != nil {
			t.Fatal(err)
		}
		c := app.Client(t)
		wantStatus(t, c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": leakPassword}, nil), 200)
		return c
	}
	w.aUser = signIn("user@acme.example", domain.RoleCustomerUser, w.a.ID)
	w.aAdmin = signIn("admin@acme.example", domain.RoleCustomerAdmin, w.a.ID)
	w.technician = signIn("tech@msp.example", domain.RoleTechnician, "")
	return w
}

func logoPath(customerID, kind string) string { return "/api/v1/customers/" + customerID + "/" + kind }

func put(c *apptest.Client, path, contentType string, body []byte) apptest.Response {
	return c.Do("PUT", path, body, map[string]string{"Content-Type": contentType})
}

// form is a multipart/form-data body with one part.
func form(t *testing.T, name, filename, partType string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("--XyZbOuNdArY\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n")
	if partType != "" {
		b.WriteString("Content-Type: " + partType + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(data)
	b.WriteString("\r\n--XyZbOuNdArY--\r\n")
	return b.Bytes(), "multipart/form-data; boundary=XyZbOuNdArY"
}

// logoState is everything a refused upload must leave as it was: both
// images of the logo (or their absence), the customer's JSON and the
// customer's audit trail.
func logoState(t *testing.T, w *logoWorld, customerID, kind string) string {
	t.Helper()
	var out []string
	for _, q := range []string{"", "?original=true"} {
		res := w.admin.Do("GET", logoPath(customerID, kind)+q, nil, nil)
		sum := sha256.Sum256(res.Body)
		out = append(out, res.Header.Get("Content-Type")+" "+res.Header.Get("ETag")+" "+hex.EncodeToString(sum[:]))
	}
	out = append(out, string(w.admin.Do("GET", "/api/v1/customers/"+customerID, nil, nil).Body))
	var n int
	if err := w.app.Store.Read(context.Background(), func(tx store.Tx) error {
		es, err := tx.Audit(context.Background(), customerID, 1000)
		n = len(es)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n") + "\naudit entries: " + strconv.Itoa(n)
}

// TestLogoRefusedUploadsChangeNothing sends every kind of file that must
// be refused, first to a customer without a logo (which must stay
// without: GET stays 404) and then to one with a logo (which must keep
// it), and checks the problem and that nothing changed.
func TestLogoRefusedUploadsChangeNothing(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app)
		jpg := logotest.JPEG(300, 75)
		huge := make([]byte, domain.MaxLogoBytes+1)
		copy(huge, logotest.PNG(320, 80))
		type tc struct {
			name        string
			body        []byte
			contentType string
			status      int
			problem     string
			code        string // the field code on "file", for a 422
		}
		cases := []tc{
			{"gif as image/gif", logotest.GIF(64, 16), "image/gif", 415, "unsupported-media-type", ""},
			{"gif as image/png", logotest.GIF(64, 16), "image/png", 422, "validation", "format"},
			{"webp as image/png", logotest.WebP(), "image/png", 422, "validation", "format"},
			{"webp as image/webp", logotest.WebP(), "image/webp", 415, "unsupported-media-type", ""},
			{"svg as image/svg+xml", logotest.SVG(), "image/svg+xml", 415, "unsupported-media-type", ""},
			{"svg as image/png", logotest.SVG(), "image/png", 422, "validation", "format"},
			{"text as text/plain", logotest.Text(), "text/plain", 415, "unsupported-media-type", ""},
			{"text as image/png", logotest.Text(), "image/png", 422, "validation", "format"},
			{"truncated png", logotest.Truncated(), "image/png", 422, "validation", "format"},
			{"jpeg sent as png", jpg, "image/png", 422, "validation", "format"},
			{"png sent as jpeg", logotest.PNG(300, 75), "image/jpeg", 422, "validation", "format"},
			{"empty", nil, "image/png", 422, "validation", "required"},
			{"bomb", logotest.Bomb(100_000, 100_000), "image/png", 422, "validation", "too_large"},
			{"20 MiB + 1 byte", huge, "image/png", 413, "too-large", ""},
			{"json", []byte(`{"file":"x"}`), "application/json", 415, "unsupported-media-type", ""},
			{"no content type", logotest.PNG(32, 8), "", 415, "unsupported-media-type", ""},
		}
		for _, f := range []struct {
			name, filename, partType string
			data                     []byte
			status                   int
			problem, code            string
		}{
			{"gif", "logo.gif", "image/gif", logotest.GIF(64, 16), 422, "validation", "format"},
			{"webp", "logo.webp", "image/webp", logotest.WebP(), 422, "validation", "format"},
			{"svg", "logo.svg", "image/svg+xml", logotest.SVG(), 422, "validation", "format"},
			{"text named png", "logo.png", "image/png", logotest.Text(), 422, "validation", "format"},
			{"text named png, no type", "logo.png", "", logotest.Text(), 422, "validation", "format"},
			{"truncated png", "logo.png", "image/png", logotest.Truncated(), 422, "validation", "format"},
			{"jpeg sent as png", "logo.png", "image/png", jpg, 422, "validation", "format"},
			{"bomb", "logo.png", "application/octet-stream", logotest.Bomb(100_000, 100_000), 422, "validation", "too_large"},
			{"20 MiB + 1 byte", "logo.png", "image/png", huge, 413, "too-large", ""},
		} {
			body, ct := form(t, "file", f.filename, f.partType, f.data)
			cases = append(cases, tc{"form: " + f.name, body, ct, f.status, f.problem, f.code})
		}
		other, otherType := form(t, "picture", "logo.png", "image/png", logotest.PNG(32, 8))
		good, _ := form(t, "file", "logo.png", "image/png", logotest.PNG(32, 8))
		cases = append(cases,
			tc{"form: another part", other, otherType, 400, "unknown-field", ""},
			tc{"form: no boundary", other, "multipart/form-data", 400, "bad-request", ""},
			tc{"form: no parts", []byte("--XyZbOuNdArY--\r\n"), otherType, 422, "validation", "required"},
			tc{"form: cut off", good[:len(good)-20], otherType, 400, "bad-request", ""},
		)
		check := func(t *testing.T, customerID, kind string) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					before := logoState(t, w, customerID, kind)
					res := put(w.admin, logoPath(customerID, kind), c.contentType, c.body)
					p := wantProblem(t, res, c.status, c.problem)
					if c.code != "" {
						errs, _ := p["errors"].([]any)
						if len(errs) != 1 || errs[0].(map[string]any)["field"] != "file" || errs[0].(map[string]any)["code"] != c.code {
							t.Errorf("errors = %v, want one %q on file", p["errors"], c.code)
						}
					}
					if after := logoState(t, w, customerID, kind); after != before {
						t.Errorf("a refused upload changed something:\nbefore %s\nafter  %s", before, after)
					}
				})
			}
		}
		for _, kind := range domain.LogoKinds {
			t.Run("without a logo/"+kind, func(t *testing.T) {
				check(t, w.a.ID, kind)
				wantStatus(t, w.admin.Do("GET", logoPath(w.a.ID, kind), nil, nil), 404)
			})
		}
		wantStatus(t, put(w.admin, logoPath(w.b.ID, domain.LogoFull), "image/png", logotest.PNG(640, 160)), 200)
		t.Run("with a logo", func(t *testing.T) {
			check(t, w.b.ID, domain.LogoFull)
			res := w.admin.Do("GET", logoPath(w.b.ID, domain.LogoFull)+"?original=true", nil, nil)
			if !bytes.Equal(res.Body, logotest.PNG(640, 160)) {
				t.Error("the logo before the refusals is gone")
			}
		})
	})
}

func decodeImage(t *testing.T, res apptest.Response) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch res.Header.Get("Content-Type") {
	case "image/png":
		img, err = png.Decode(bytes.NewReader(res.Body))
	case "image/jpeg":
		img, err = jpeg.Decode(bytes.NewReader(res.Body))
	default:
		t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestLogoRoundTrip uploads PNG and JPEG logos, as the image and as a
// form, and reads them back: the upload byte for byte, the rendition
// fitted into the box (never upscaled), each with its hash as ETag and a
// 304 for If-None-Match.
func TestLogoRoundTrip(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app)
		for _, tc := range []struct {
			name, kind, contentType string
			data                    []byte
			multipart               bool
			w, h, dw, dh            int
			warning                 bool
		}{
			{"png full logo", domain.LogoFull, "image/png", logotest.PNG(1280, 320), false, 1280, 320, 320, 80, false},
			{"jpeg full logo", domain.LogoFull, "image/jpeg", logotest.JPEG(1280, 320), false, 1280, 320, 320, 80, false},
			{"png full logo by form", domain.LogoFull, "image/png", logotest.PNG(640, 200), true, 640, 200, 256, 80, false},
			{"square full logo", domain.LogoFull, "image/png", logotest.PNG(100, 100), false, 100, 100, 80, 80, true},
			{"png logomark", domain.LogoMark, "image/png", logotest.PNG(100, 100), false, 100, 100, 80, 80, false},
			{"jpeg logomark by form", domain.LogoMark, "image/jpeg", logotest.JPEG(100, 100), true, 100, 100, 80, 80, false},
			{"small logomark", domain.LogoMark, "image/png", logotest.PNG(40, 40), false, 40, 40, 40, 40, false},
			{"wide logomark", domain.LogoMark, "image/png", logotest.PNG(400, 100), false, 400, 100, 80, 20, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				path := logoPath(w.a.ID, tc.kind)
				var res apptest.Response
				if tc.multipart {
					body, ct := form(t, "file", "whatever.bin", "", tc.data)
					res = put(w.admin, path, ct, body)
				} else {
					res = put(w.admin, path, tc.contentType, tc.data)
				}
				wantStatus(t, res, 200)
				m := res.JSON(t)
				format := strings.TrimPrefix(tc.contentType, "image/")
				if m["format"] != format || m["width"] != float64(tc.w) || m["height"] != float64(tc.h) || m["bytes"] != float64(len(tc.data)) {
					t.Errorf("upload answer = %s", res.Body)
				}
				if _, warned := m["warning"]; warned != tc.warning {
					t.Errorf("warning in %s, want one: %v", res.Body, tc.warning)
				}

				orig := w.aUser.Do("GET", path+"?original=true", nil, nil)
				wantStatus(t, orig, 200)
				if !bytes.Equal(orig.Body, tc.data) || orig.Header.Get("Content-Type") != tc.contentType {
					t.Errorf("the original (%s, %d bytes) is not the upload", orig.Header.Get("Content-Type"), len(orig.Body))
				}
				disp := w.aUser.Do("GET", path, nil, nil)
				wantStatus(t, disp, 200)
				if b := decodeImage(t, disp).Bounds(); b.Dx() != tc.dw || b.Dy() != tc.dh {
					t.Errorf("the rendition is %d×%d, want %d×%d", b.Dx(), b.Dy(), tc.dw, tc.dh)
				}
				for _, r := range []apptest.Response{orig, disp} {
					sum := sha256.Sum256(r.Body)
					if et := r.Header.Get("ETag"); et != `"`+hex.EncodeToString(sum[:])+`"` {
						t.Errorf("ETag %s is not the hash of the bytes", et)
					}
					if cc := r.Header.Get("Cache-Control"); cc != "private, no-cache" {
						t.Errorf("Cache-Control %q", cc)
					}
					if r.Header.Get("X-Content-Type-Options") != "nosniff" {
						t.Error("no nosniff")
					}
				}
				etag := disp.Header.Get("ETag")
				for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
					nm := w.aUser.Do("GET", path, nil, map[string]string{"If-None-Match": inm})
					if nm.Status != 304 || len(nm.Body) != 0 || nm.Header.Get("ETag") != etag {
						t.Errorf("If-None-Match %s: %d, %d bytes, ETag %s", inm, nm.Status, len(nm.Body), nm.Header.Get("ETag"))
					}
				}
				if r := w.aUser.Do("GET", path, nil, map[string]string{"If-None-Match": orig.Header.Get("ETag")}); r.Status != 200 && etag != orig.Header.Get("ETag") {
					t.Errorf("the original's ETag revalidated the rendition: %d", r.Status)
				}
				cu := w.aUser.Do("GET", "/api/v1/customers/"+w.a.ID, nil, nil).JSON(t)
				li, _ := cu[tc.kind].(map[string]any)
				if li == nil || li["format"] != format || li["width"] != float64(tc.w) || li["bytes"] != float64(len(tc.data)) || li["url"] != path {
					t.Errorf("the customer's %s = %v", tc.kind, cu[tc.kind])
				}
			})
		}
		// A replaced logo has a new ETag: the old one no longer revalidates.
		path := logoPath(w.a.ID, domain.LogoFull)
		old := w.admin.Do("GET", path, nil, nil).Header.Get("ETag")
		wantStatus(t, put(w.admin, path, "image/png", logotest.PNG(320, 80)), 200)
		if r := w.admin.Do("GET", path, nil, map[string]string{"If-None-Match": old}); r.Status != 200 || r.Header.Get("ETag") == old {
			t.Errorf("after a new upload, the old ETag: %d %s", r.Status, r.Header.Get("ETag"))
		}
		// The list carries the logos too.
		list := w.admin.Do("GET", "/api/v1/customers?q=Acme", nil, nil).JSON(t)
		items, _ := list["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["full_logo"] == nil || items[0].(map[string]any)["logomark"] == nil {
			t.Errorf("the list: %v", list)
		}
		if cu := w.admin.Do("GET", "/api/v1/customers/"+w.b.ID, nil, nil).JSON(t); cu["full_logo"] != nil || cu["logomark"] != nil {
			t.Errorf("B has no logo but shows %v %v", cu["full_logo"], cu["logomark"])
		}
		// Removing: 204, then 404, and the customer shows null.
		wantStatus(t, w.admin.Do("DELETE", path, nil, nil), 204)
		wantProblem(t, w.admin.Do("GET", path, nil, nil), 404, "not-found")
		wantProblem(t, w.admin.Do("DELETE", path, nil, nil), 404, "not-found")
		if cu := w.admin.Do("GET", "/api/v1/customers/"+w.a.ID, nil, nil).JSON(t); cu["full_logo"] != nil || cu["logomark"] == nil {
			t.Errorf("after removing the full logo: %v %v", cu["full_logo"], cu["logomark"])
		}
	})
}

// TestLogoAccess: a customer's people read their customer's logo; another
// customer's is a 404 worded as for no logo at all; only organization
// users with customers.edit upload or remove.
func TestLogoAccess(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app)
		for _, c := range []domain.Customer{w.a, w.b} {
			wantStatus(t, put(w.admin, logoPath(c.ID, domain.LogoMark), "image/png", logotest.PNG(80, 80)), 200)
		}
		for _, c := range []*apptest.Client{w.aUser, w.aAdmin, w.technician} {
			wantStatus(t, c.Do("GET", logoPath(w.a.ID, domain.LogoMark), nil, nil), 200)
		}
		for _, c := range []*apptest.Client{w.aUser, w.aAdmin} {
			other := c.Do("GET", logoPath(w.b.ID, domain.LogoMark), nil, nil)
			none := c.Do("GET", logoPath("0190b2a4-0000-7000-8000-00000000dead", domain.LogoMark), nil, nil)
			wantProblem(t, other, 404, "not-found")
			if other.JSON(t)["detail"] != none.JSON(t)["detail"] || other.Header.Get("ETag") != "" {
				t.Errorf("another customer's logo is told apart from none: %s / %s", other.Body, none.Body)
			}
			// Their own customer's other kind, which it has not: the same 404.
			wantProblem(t, c.Do("GET", logoPath(w.a.ID, domain.LogoFull), nil, nil), 404, "not-found")
		}
		before := logoState(t, w, w.a.ID, domain.LogoMark)
		for name, c := range map[string]*apptest.Client{"customer admin": w.aAdmin, "customer user": w.aUser, "technician": w.technician} {
			wantProblem(t, put(c, logoPath(w.a.ID, domain.LogoMark), "image/png", logotest.PNG(60, 60)), 403, "forbidden")
			wantProblem(t, c.Do("DELETE", logoPath(w.a.ID, domain.LogoMark), nil, nil), 403, "forbidden")
			if after := logoState(t, w, w.a.ID, domain.LogoMark); after != before {
				t.Errorf("%s changed A's logomark", name)
			}
		}
		// The service refuses the same way for a caller that is not HTTP.
		_, p, err := app.Service.Login(context.Background(), "admin@acme.example", leakPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Service.SetCustomerLogo(domain.WithPrincipal(context.Background(), p), w.a.ID, domain.LogoMark, logotest.PNG(60, 60), ""); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("a customer admin's SetCustomerLogo: %v", err)
		}
		// A customer in trash keeps its logos, which are found no more.
		wantStatus(t, w.admin.Do("DELETE", "/api/v1/customers/"+w.b.ID, nil, nil), 204)
		wantProblem(t, w.admin.Do("GET", logoPath(w.b.ID, domain.LogoMark), nil, nil), 404, "not-found")
		wantProblem(t, put(w.admin, logoPath(w.b.ID, domain.LogoMark), "image/png", logotest.PNG(60, 60)), 404, "not-found")
		wantProblem(t, w.admin.Do("DELETE", logoPath(w.b.ID, domain.LogoMark), nil, nil), 404, "not-found")
		var kept int
		if err := app.Store.Read(context.Background(), func(tx store.Tx) error {
			infos, err := tx.CustomerLogos(context.Background(), domain.Scope{}, []string{w.b.ID})
			kept = len(infos)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if kept != 0 {
			t.Errorf("a customer in trash shows %d logos", kept)
		}
	})
}

// TestLogoAudit: uploads and removals are audited with the format, size
// and dimensions, never the bytes.
func TestLogoAudit(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app)
		path := logoPath(w.a.ID, domain.LogoFull)
		wantStatus(t, put(w.admin, path, "image/jpeg", logotest.JPEG(640, 160)), 200)
		wantStatus(t, put(w.admin, path, "image/png", logotest.PNG(320, 80)), 200)
		wantStatus(t, w.admin.Do("DELETE", path, nil, nil), 204)
		var es []domain.AuditEntry
		if err := app.Store.Read(context.Background(), func(tx store.Tx) (err error) {
			es, err = tx.Audit(context.Background(), w.a.ID, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		info := func(format string, w, h int, data []byte) map[string]any {
			return map[string]any{"kind": "full_logo", "format": format, "width": float64(w), "height": float64(h), "bytes": float64(len(data))}
		}
		jpg, pic := info("jpeg", 640, 160, logotest.JPEG(640, 160)), info("png", 320, 80, logotest.PNG(320, 80))
		want := []struct {
			action        string
			before, after map[string]any
		}{ // newest first
			{"customer.logo.remove", pic, nil},
			{"customer.logo.upload", jpg, pic},
			{"customer.logo.upload", nil, jpg},
		}
		var got []domain.AuditEntry
		for _, e := range es {
			if strings.HasPrefix(e.Action, "customer.logo.") {
				got = append(got, e)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d logo audit entries, want %d", len(got), len(want))
		}
		snap := func(b []byte) map[string]any {
			if len(b) == 0 {
				return nil
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			return m
		}
		for i, e := range got {
			if e.Action != want[i].action || !reflect.DeepEqual(snap(e.Before), want[i].before) || !reflect.DeepEqual(snap(e.After), want[i].after) {
				t.Errorf("audit entry %d: %s %s → %s, want %s %v → %v", i, e.Action, e.Before, e.After, want[i].action, want[i].before, want[i].after)
			}
			if len(e.Before)+len(e.After) > 300 || e.TargetID != w.a.ID || e.CustomerID != w.a.ID {
				t.Errorf("%s: %d bytes of snapshot, target %s", e.Action, len(e.Before)+len(e.After), e.TargetID)
			}
		}
	})
}

// endless is a body that never ends, counting what was read of it.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head[min(int64(len(e.head)), e.read):])
	for i := n; i < len(p); i++ {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	if e.read > 200<<20 {
		return len(p), io.EOF // a bound for the test, never reached by a bounded reader
	}
	return len(p), nil
}

// TestLogoUploadStopsAtTheLimit streams a body without end (no
// Content-Length) at the handler: the answer is 413 and at most the
// limit was read, whatever follows.
func TestLogoUploadStopsAtTheLimit(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			st := apptest.OpenStore(t, kind)
			svc := service.New(st, service.Options{Logger: slog.New(slog.DiscardHandler)})
			ctx := context.Background()
			if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: domain.AdminInput{Email: apptest.AdminEmail, Name: "Ada", Password: apptest.AdminPassword}}); err != nil {
				t.Fatal(err)
			}
			_, p, err := svc.Login(ctx, apptest.AdminEmail, apptest.AdminPassword)
			if err != nil {
				t.Fatal(err)
			}
			org := domain.WithPrincipal(ctx, p)
			c, err := svc.CreateCustomer(org, domain.CustomerInput{Name: "Streamco", Code: "STREAM"})
			if err != nil {
				t.Fatal(err)
			}
			_, secret, err := svc.CreateToken(org, "stream")
			if err != nil {
				t.Fatal(err)
			}
			h := server.Handler(svc, server.Options{Logger: slog.New(slog.DiscardHandler)})
			boundary := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
			for _, tc := range []struct {
				contentType string
				head        []byte
				limit       int64
			}{
				{"image/png", logotest.PNG(320, 80), domain.MaxLogoBytes},
				{"multipart/form-data; boundary=B", append([]byte(boundary), logotest.PNG(320, 80)...), domain.MaxLogoBytes + 64<<10},
			} {
				body := &endless{head: tc.head}
				req := httptest.NewRequest("PUT", logoPath(c.ID, domain.LogoFull), io.NopCloser(body))
				req.ContentLength = -1
				req.Header.Set("Content-Type", tc.contentType)
				req.Header.Set("Authorization", "Bearer "+secret)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 413 || !strings.Contains(rec.Body.String(), "too-large") {
					t.Errorf("%s: %d %s", tc.contentType, rec.Code, rec.Body)
				}
				if body.read > tc.limit+64<<10 {
					t.Errorf("%s: read %d bytes of an endless body; the limit is %d", tc.contentType, body.read, tc.limit)
				}
			}
			if _, err := svc.CustomerLogo(org, c.ID, domain.LogoFull, false, nil); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("after refused uploads: %v", err)
			}
		})
	}
}
