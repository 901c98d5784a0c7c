package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// archiveWorld is two customers with distinct data, for the archive tests.
type archiveWorld struct {
	a, b domain.Customer
	// bSecrets are strings of B's (and of the organization's own records)
	// that A's archive must not hold.
	bSecrets []string
	// emails of every user, whose password hashes no archive may hold.
	emails []string
	// deleted is an asset of A's deleted before the archive: not among
	// its assets, in its history.
	deleted string
}

func buildArchiveWorld(t *testing.T, app *apptest.App, clock *apptest.Clock) archiveWorld {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w := archiveWorld{emails: []string{apptest.AdminEmail}}
	var err error
	w.a, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Alpha Archive", Code: "ALPHA-ARC",
		Domain: "alpha-archive.example", Location: domain.Location{Country: "IN", City: "Pune", PinCode: "411001"}},
		Entities: []domain.EntityInput{{Name: "Alpha North", Code: "AN"}, {Name: "Alpha South", Code: "AS"}}, Licenses: apptest.Roomy()})
	must(err)
	w.b, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Bravo Hiddenco", Code: "BRAVO-HID",
		Domain: "bravo-hidden.example"},
		Entities: []domain.EntityInput{{Name: "Bravo Eastwing", Code: "BRE"}}, Licenses: apptest.Roomy()})
	must(err)
	ents := func(id string) []domain.Entity {
		p, err := svc.ListEntities(org, id, domain.EntityFilter{Limit: domain.MaxPageSize})
		must(err)
		return p.Items
	}
	// More entities than one page of the store's reads would hold is not
	// needed here: the service's pages are tested by their own tests; a
	// few more make the lists real.
	for i := range 3 {
		_, err := svc.CreateEntity(org, w.a.ID, domain.EntityInput{Name: "Alpha Branch " + string(rune('A'+i)), Phone: "+91 98200 1234" + string(rune('0'+i))})
		must(err)
	}
	aEnts, bEnts := ents(w.a.ID), ents(w.b.ID)
	user := func(email, role, customerID string, entities ...string) domain.User {
		t.Helper()
		u, err := svc.CreateUser(org, domain.UserInput{Email: email, Name: "Person " + strings.Split(email, "@")[0], Role: role,
			CustomerID: customerID, EntityIDs: entities, Password: leakPassword})
		must(err)
		w.emails = append(w.emails, u.Email)
		return u
	}
	user("admin@alpha-archive.example", domain.RoleCustomerAdmin, w.a.ID)
	user("user@alpha-archive.example", domain.RoleCustomerUser, w.a.ID, aEnts[0].ID)
	user("tech@alpha-archive.example", domain.RoleCustomerTechnician, w.a.ID, aEnts[0].ID, aEnts[1].ID)
	bAdmin := user("admin@bravo-hidden.example", domain.RoleCustomerAdmin, w.b.ID)
	bUser := user("zed@bravo-hidden.example", domain.RoleCustomerUser, w.b.ID, bEnts[0].ID)
	orgTech := user("ops-tech@msp.example", domain.RoleTechnician, "")
	asset := func(name, customerID, entityID, serial string) domain.Asset {
		t.Helper()
		x, err := svc.CreateAsset(org, domain.AssetInput{Name: name, Class: domain.AssetIT, CustomerID: customerID, EntityID: entityID, Serial: serial})
		must(err)
		return x
	}
	for i := range 7 {
		ent := ""
		if i%2 == 0 {
			ent = aEnts[i%len(aEnts)].ID
		}
		asset("Alpha Desktop "+string(rune('A'+i)), w.a.ID, ent, "SN-ALPHA-"+string(rune('A'+i)))
	}
	// A serial that starts like a formula: the CSV guards it.
	asset("Alpha Formula", w.a.ID, "", "=HYPERLINK(\"x\")")
	gone := asset("Alpha Retired", w.a.ID, "", "SN-ALPHA-GONE")
	must(svc.DeleteAsset(org, gone.ID, 0))
	w.deleted = gone.ID
	bAsset := asset("Bravo Laptop Zeta", w.b.ID, bEnts[0].ID, "SN-BRAVO-777")
	hq := asset("Headquarters Router", "", "", "SN-ORG-1")
	_, err = svc.UpdateEntity(org, w.a.ID, aEnts[0].ID, 0, func(in domain.EntityInput) (domain.EntityInput, error) {
		in.BusinessEmail = "north@alpha-archive.example"
		return in, nil
	})
	must(err)
	// Logos: A's full logo a PNG, its logomark a JPEG; B's both.
	_, err = svc.SetCustomerLogo(org, w.a.ID, domain.LogoFull, logotest.PNG(640, 160), "image/png")
	must(err)
	_, err = svc.SetCustomerLogo(org, w.a.ID, domain.LogoMark, logotest.JPEG(120, 120), "image/jpeg")
	must(err)
	var bLogos []string
	for _, kind := range domain.LogoKinds {
		_, err := svc.SetCustomerLogo(org, w.b.ID, kind, logotest.PNG(300, 300), "image/png")
		must(err)
		img, err := svc.CustomerLogo(org, w.b.ID, kind, true, nil)
		must(err)
		bLogos = append(bLogos, img.SHA256)
	}
	// Three days of license-usage history.
	for range 3 {
		_, err := svc.SnapshotUsage(context.Background())
		must(err)
		clock.Add(24 * time.Hour)
	}
	w.bSecrets = []string{w.b.ID, w.b.Name, w.b.Code, w.b.Domain, bEnts[0].ID, bEnts[0].Name, bEnts[0].Code,
		bAdmin.ID, bAdmin.Email, bUser.ID, bUser.Email, bUser.Name, bAsset.ID, bAsset.Name, bAsset.Serial,
		hq.ID, hq.Name, hq.Serial, orgTech.ID, orgTech.Email}
	w.bSecrets = append(w.bSecrets, bLogos...)
	return w
}

// unzip reads every file of a zip; it fails the test on a zip that does
// not read whole.
func unzip(t *testing.T, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = data
		order = append(order, f.Name)
	}
	return files, order
}

// idsOf reads the ids of a JSON list file.
func idsOf(t *testing.T, files map[string][]byte, name string) []string {
	t.Helper()
	var items []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(files[name], &items); err != nil {
		t.Fatalf("%s: %v: %s", name, err, files[name])
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// csvIDs reads the first column of a CSV file, under its header.
func csvIDs(t *testing.T, files map[string][]byte, name string) []string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(files[name])).ReadAll()
	if err != nil || len(recs) == 0 || recs[0][0] != "id" {
		t.Fatalf("%s: %v: %s", name, err, files[name])
	}
	ids := []string{}
	for _, r := range recs[1:] {
		ids = append(ids, r[0])
	}
	return ids
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(g, w) {
		t.Errorf("%s: the archive holds %d ids %v, the store %d %v", what, len(g), g, len(w), w)
	}
}

// TestCustomerArchive downloads customer A's archive on both stores and
// holds every file to what the store has of A — every entity, user, asset,
// license type, day of usage, audit entry and logo, by id or bytes — and
// to nothing of B, of the organization's own records or of any password
// hash; then who may download it: A's admin its own (404 for B's, as for
// a customer that does not exist), not A's plain user, not a stranger.
func TestCustomerArchive(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			clock := apptest.NewClock(time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC))
			app := apptest.New(t, kind, apptest.Options{Now: clock.Now})
			w := buildArchiveWorld(t, app, clock)
			svc, org := app.Service, app.AdminContext()
			admin := app.AdminClient(t)
			path := "/api/v1/customers/" + w.a.ID + "/archive"

			res := admin.Do("GET", path, nil, nil)
			wantStatus(t, res, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); ct != "application/zip" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="ALPHA-ARC-archive-2026-11-23.zip"` {
				t.Errorf("Content-Disposition = %q", cd)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
			files, order := unzip(t, res.Body)
			t.Logf("%d files, %d bytes: %v", len(files), len(res.Body), order)
			for _, name := range []string{"customer.json", "licenses.csv", "usage.json", "usage.csv", "entities.json", "entities.csv",
				"users.json", "users.csv", "assets.json", "assets.csv", "audit.json", "audit.csv",
				"logos/full_logo.png", "logos/logomark.jpg", "manifest.json", "README.txt"} {
				if _, ok := files[name]; !ok {
					t.Errorf("the archive has no %s", name)
				}
			}
			if len(files) != 16 {
				t.Errorf("the archive has %d files: %v", len(files), order)
			}

			// Every record of A, by id, in its JSON and its CSV file.
			ents, err := svc.ListEntities(org, w.a.ID, domain.EntityFilter{Limit: domain.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			var entIDs []string
			for _, e := range ents.Items {
				entIDs = append(entIDs, e.ID)
			}
			users, err := svc.ListUsers(org, domain.UserFilter{CustomerID: w.a.ID, Limit: domain.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			var userIDs []string
			for _, u := range users.Items {
				userIDs = append(userIDs, u.ID)
			}
			assets, err := svc.ListAssets(org, domain.AssetFilter{CustomerID: w.a.ID, Limit: domain.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			var assetIDs []string
			for _, x := range assets.Items {
				assetIDs = append(assetIDs, x.ID)
			}
			var auditIDs []string
			f := domain.AuditFilter{CustomerID: w.a.ID, Limit: 7} // several pages
			for {
				page, err := svc.AuditLog(org, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Items {
					auditIDs = append(auditIDs, e.ID)
				}
				if page.Next == "" {
					break
				}
				f.Before = page.Next
			}
			if len(entIDs) != 5 || len(userIDs) != 3 || len(assetIDs) != 8 || len(auditIDs) < 20 {
				t.Fatalf("the world: %d entities, %d users, %d assets, %d audit entries", len(entIDs), len(userIDs), len(assetIDs), len(auditIDs))
			}
			for _, l := range []struct {
				name string
				want []string
			}{{"entities", entIDs}, {"users", userIDs}, {"assets", assetIDs}, {"audit", auditIDs}} {
				sameIDs(t, l.name+".json", idsOf(t, files, l.name+".json"), l.want)
				sameIDs(t, l.name+".csv", csvIDs(t, files, l.name+".csv"), l.want)
			}
			if slices.Contains(idsOf(t, files, "assets.json"), w.deleted) {
				t.Errorf("a deleted asset is among the assets")
			}
			if !bytes.Contains(files["audit.json"], []byte(w.deleted)) {
				t.Errorf("the history lacks the deleted asset's entries")
			}
			if got := idsOf(t, files, "audit.json"); !slices.Equal(got, auditIDs) {
				t.Errorf("audit.json is not newest first:\n%v\n%v", got, auditIDs)
			}
			if !bytes.Contains(files["assets.csv"], []byte(`'=HYPERLINK`)) {
				t.Errorf("a formula-like serial is not guarded in assets.csv:\n%s", files["assets.csv"])
			}

			// The customer, its licenses, its usage history.
			var cj struct {
				ID, Code      string
				AssetsCount   int64 `json:"assets_count"`
				UsersCount    int64 `json:"users_count"`
				EntitiesCount int64 `json:"entities_count"`
				Licenses      []struct {
					Type      string `json:"type"`
					Allocated int64  `json:"allocated"`
					Used      int64  `json:"used"`
				} `json:"licenses"`
				FullLogo *struct {
					File string `json:"file"`
				} `json:"full_logo"`
				Logomark *struct {
					File string `json:"file"`
				} `json:"logomark"`
			}
			if err := json.Unmarshal(files["customer.json"], &cj); err != nil {
				t.Fatal(err)
			}
			if cj.ID != w.a.ID || cj.AssetsCount != 8 || cj.UsersCount != 3 || cj.EntitiesCount != 5 {
				t.Errorf("customer.json: %s", files["customer.json"])
			}
			lic, err := svc.CustomerLicenses(org, w.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(cj.Licenses) != len(lic) || len(lic) != len(domain.LicenseTypes) {
				t.Fatalf("customer.json licenses: %d, want %d", len(cj.Licenses), len(lic))
			}
			for i, l := range lic {
				if cj.Licenses[i].Type != l.Type || cj.Licenses[i].Allocated != l.Allocated || cj.Licenses[i].Used != l.Used {
					t.Errorf("license %s: %+v, want %+v", l.Type, cj.Licenses[i], l)
				}
			}
			if recs, _ := csv.NewReader(bytes.NewReader(files["licenses.csv"])).ReadAll(); len(recs) != 1+len(lic) {
				t.Errorf("licenses.csv has %d lines", len(recs))
			}
			var usage []struct {
				Day, Type string
				Used      int64
			}
			if err := json.Unmarshal(files["usage.json"], &usage); err != nil {
				t.Fatal(err)
			}
			var history []domain.UsagePoint
			if err := app.Store.Read(context.Background(), func(tx store.Tx) (err error) {
				history, err = tx.UsageHistory(context.Background(), domain.OrgScope, w.a.ID, "2000-01-01", "2100-01-01")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(usage) != 3*len(domain.LicenseTypes) || len(usage) != len(history) {
				t.Errorf("usage.json has %d points, the store %d", len(usage), len(history))
			}
			if recs, _ := csv.NewReader(bytes.NewReader(files["usage.csv"])).ReadAll(); len(recs) != 1+len(history) {
				t.Errorf("usage.csv has %d lines", len(recs))
			}

			// The logos, as uploaded, byte for byte.
			if cj.FullLogo == nil || cj.FullLogo.File != "logos/full_logo.png" || cj.Logomark == nil || cj.Logomark.File != "logos/logomark.jpg" {
				t.Errorf("customer.json logos: %s", files["customer.json"])
			}
			for kind, name := range map[string]string{domain.LogoFull: "logos/full_logo.png", domain.LogoMark: "logos/logomark.jpg"} {
				img, err := svc.CustomerLogo(org, w.a.ID, kind, true, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(files[name], img.Data) {
					t.Errorf("%s is not the upload (%d bytes, want %d)", name, len(files[name]), len(img.Data))
				}
			}

			// The manifest lists every file with its size, hash and count.
			var m struct {
				Format      string    `json:"format"`
				GeneratedAt time.Time `json:"generated_at"`
				GeneratedBy string    `json:"generated_by"`
				Customer    struct{ ID string }
				Files       []struct {
					Name    string `json:"name"`
					Records *int64 `json:"records"`
					Bytes   int64  `json:"bytes"`
					SHA256  string `json:"sha256"`
				} `json:"files"`
			}
			if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
				t.Fatal(err)
			}
			if m.Format != "custreg-customer-archive" || m.Customer.ID != w.a.ID || m.GeneratedBy != apptest.AdminEmail ||
				!m.GeneratedAt.Equal(clock.Now().UTC().Truncate(time.Microsecond)) {
				t.Errorf("manifest: %s", files["manifest.json"])
			}
			if len(m.Files) != len(files)-2 {
				t.Errorf("the manifest lists %d files of %d", len(m.Files), len(files))
			}
			counts := map[string]int{"entities.json": len(entIDs), "users.csv": len(userIDs), "assets.json": len(assetIDs), "audit.csv": len(auditIDs)}
			for _, fi := range m.Files {
				sum := sha256.Sum256(files[fi.Name])
				if fi.Bytes != int64(len(files[fi.Name])) || fi.SHA256 != hex.EncodeToString(sum[:]) {
					t.Errorf("manifest: %s: %d bytes %s, the file %d bytes", fi.Name, fi.Bytes, fi.SHA256, len(files[fi.Name]))
				}
				if n, ok := counts[fi.Name]; ok && (fi.Records == nil || *fi.Records != int64(n)) {
					t.Errorf("manifest: %s records %v, want %d", fi.Name, fi.Records, n)
				}
			}
			if !strings.Contains(string(files["README.txt"]), "Alpha Archive") || !strings.Contains(string(files["README.txt"]), "assets.csv") {
				t.Errorf("README.txt:\n%s", files["README.txt"])
			}

			// Nothing of B or of the organization's own records, and no
			// password hash, in any file.
			var hashes []string
			if err := app.Store.Read(context.Background(), func(tx store.Tx) error {
				for _, e := range w.emails {
					c, err := tx.SigninCredentials(context.Background(), e)
					if err != nil {
						return err
					}
					hashes = append(hashes, c.PasswordHash)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			checkNothingOf := func(files map[string][]byte, secrets []string) {
				t.Helper()
				for _, name := range slices.Sorted(maps.Keys(files)) {
					for _, s := range secrets {
						if s != "" && bytes.Contains(bytes.ToLower(files[name]), bytes.ToLower([]byte(s))) {
							t.Errorf("%s holds %q, which is not customer A's", name, s)
						}
					}
					for _, h := range hashes {
						// The hash's salt and digest: no substring of it.
						if i := strings.LastIndex(h, "$"); i < 0 || bytes.Contains(files[name], []byte(h[i+1:])) {
							t.Errorf("%s holds a password hash", name)
						}
					}
					if bytes.Contains(files[name], []byte("$argon2id$")) {
						t.Errorf("%s holds an argon2id hash", name)
					}
				}
			}
			checkNothingOf(files, w.bSecrets)

			// A's customer admin gets the same archive of its own customer;
			// B's is a 404, worded as for a customer that does not exist.
			aAdmin := app.Client(t)
			wantStatus(t, aAdmin.Do("POST", "/api/v1/auth/login", map[string]string{"email": "admin@alpha-archive.example", "password": leakPassword}, nil), 200)
			own := aAdmin.Do("GET", path, nil, nil)
			wantStatus(t, own, http.StatusOK)
			ownFiles, _ := unzip(t, own.Body)
			sameIDs(t, "customer admin's assets.json", idsOf(t, ownFiles, "assets.json"), assetIDs)
			sameIDs(t, "customer admin's users.json", idsOf(t, ownFiles, "users.json"), userIDs)
			checkNothingOf(ownFiles, w.bSecrets)
			other := aAdmin.Do("GET", "/api/v1/customers/"+w.b.ID+"/archive", nil, nil)
			phantom := aAdmin.Do("GET", "/api/v1/customers/01a00000-0000-7000-8000-0000000000aa/archive", nil, nil)
			p := wantProblem(t, other, http.StatusNotFound, "not-found")
			q := wantProblem(t, phantom, http.StatusNotFound, "not-found")
			if p["detail"] != q["detail"] || other.Header.Get("Content-Disposition") != "" {
				t.Errorf("B's archive and no one's differ: %s / %s", other.Body, phantom.Body)
			}
			// The organization admin's archive of B holds B's, not A's.
			bFiles, _ := unzip(t, admin.Do("GET", "/api/v1/customers/"+w.b.ID+"/archive", nil, nil).Body)
			checkNothingOf(bFiles, []string{w.a.ID, w.a.Name, w.a.Code, w.a.Domain, "alpha-archive.example", "SN-ALPHA"})

			// A's plain user may not read its history: no archive. A
			// stranger is asked to sign in.
			aUser := app.Client(t)
			wantStatus(t, aUser.Do("POST", "/api/v1/auth/login", map[string]string{"email": "user@alpha-archive.example", "password": leakPassword}, nil), 200)
			wantProblem(t, aUser.Do("GET", path, nil, nil), http.StatusForbidden, "forbidden")
			// A customer admin narrowed to one entity does not see all of
			// the customer, so it gets no archive of it either.
			ents0 := ents.Items[0].ID
			if _, err := svc.CreateUser(org, domain.UserInput{Email: "narrow.admin@alpha-archive.example", Name: "Narrow Admin",
				Role: domain.RoleCustomerAdmin, CustomerID: w.a.ID, EntityIDs: []string{ents0}, Password: leakPassword}); err != nil {
				t.Fatal(err)
			}
			narrow := app.Client(t)
			wantStatus(t, narrow.Do("POST", "/api/v1/auth/login", map[string]string{"email": "narrow.admin@alpha-archive.example", "password": leakPassword}, nil), 200)
			if p := wantProblem(t, narrow.Do("GET", path, nil, nil), http.StatusForbidden, "forbidden"); !strings.Contains(p["detail"].(string), "whole customer") {
				t.Errorf("the narrowed admin is told %q", p["detail"])
			}
			wantProblem(t, app.Client(t).Do("GET", path, nil, nil), http.StatusUnauthorized, "unauthorized")
			wantProblem(t, admin.Do("GET", "/api/v1/customers/"+w.a.ID+"/archive?format=csv", nil, nil), http.StatusBadRequest, "unknown-parameter")
		})
	}
}

// TestCustomerArchiveSnapshot: the archive is the customer as of one
// moment. A write committed while the archive's transaction is open — an
// asset created after its first read — is in none of its files, on
// either store (PostgreSQL reads one snapshot only because the archive
// asks for one: its reads are READ COMMITTED otherwise).
func TestCustomerArchiveSnapshot(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		svc, org := app.Service, app.AdminContext()
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Snapco", Code: "SNAP"}, Licenses: apptest.Roomy()})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Before " + string(rune('A'+i)), Class: domain.AssetIT, CustomerID: c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		var late domain.Asset
		err = svc.ArchiveCustomer(org, c.ID, func(domain.Customer, time.Time) (io.Writer, error) {
			// The archive has read the customer; its lists are to come.
			var err error
			late, err = svc.CreateAsset(domain.WithPrincipal(context.Background(), app.Admin),
				domain.AssetInput{Name: "Written meanwhile", Class: domain.AssetIT, CustomerID: c.ID})
			return &buf, err
		})
		if err != nil {
			t.Fatal(err)
		}
		files, _ := unzip(t, buf.Bytes())
		for name, b := range files {
			if bytes.Contains(b, []byte(late.ID)) || bytes.Contains(b, []byte("Written meanwhile")) {
				t.Errorf("%s holds the asset written while the archive was read", name)
			}
		}
		if n := len(idsOf(t, files, "assets.json")); n != 3 {
			t.Errorf("assets.json holds %d assets, want the 3 of its moment", n)
		}
		// The next archive has it.
		buf.Reset()
		if err := svc.ArchiveCustomer(org, c.ID, func(domain.Customer, time.Time) (io.Writer, error) { return &buf, nil }); err != nil {
			t.Fatal(err)
		}
		files, _ = unzip(t, buf.Bytes())
		if !slices.Contains(idsOf(t, files, "assets.json"), late.ID) {
			t.Errorf("the next archive lacks the asset")
		}
	})
}

// TestCustomerArchiveAbortsAfterFirstByte: an archive whose bytes have
// started going out and then fails (here the client went away) is cut
// (http.ErrAbortHandler), never ended like a whole answer; one refused
// before is a problem without the download's headers.
func TestCustomerArchiveAbortsAfterFirstByte(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c, err := app.Service.RegisterCustomer(app.AdminContext(), service.NewCustomer{Customer: domain.CustomerInput{Name: "Cutco", Code: "CUT"}})
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		api.New(app.Service, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
		serve := func(path string) (rec *brokenWriter, aborted bool) {
			rec = &brokenWriter{header: http.Header{}}
			req := httptest.NewRequest("GET", path, nil).WithContext(domain.WithPrincipal(context.Background(), app.Admin))
			defer func() {
				if v := recover(); v != nil {
					if v != http.ErrAbortHandler {
						t.Fatalf("%s panicked with %v", path, v)
					}
					aborted = true
				}
			}()
			mux.ServeHTTP(rec, req)
			return rec, false
		}
		if rec, aborted := serve("/api/v1/customers/" + c.ID + "/archive"); !aborted || rec.wrote == 0 {
			t.Errorf("a failed write was not aborted (writes %d, status %d)", rec.wrote, rec.status)
		}
		rec, aborted := serve("/api/v1/customers/01900000-0000-7000-8000-000000000000/archive")
		if aborted || rec.status != http.StatusNotFound || rec.header.Get("Content-Type") != "application/problem+json" || rec.header.Get("Content-Disposition") != "" {
			t.Errorf("a refused archive: aborted %v, %d %q %q", aborted, rec.status, rec.header.Get("Content-Type"), rec.header.Get("Content-Disposition"))
		}
	})
}

// TestCustomerArchivePages: lists longer than the archive's page of the
// store (200) come whole, each record once, in both files: the store's
// cursors are followed to the end.
func TestCustomerArchivePages(t *testing.T) {
	if testing.Short() {
		t.Skip("creates hundreds of records")
	}
	// Cheap password hashes for the many users (this test is about pages,
	// not passwords); restored afterwards.
	cheap := *auth.PasswordParams
	cheap.Memory, cheap.Iterations = 64, 1
	saved := auth.PasswordParams
	auth.PasswordParams = &cheap
	t.Cleanup(func() { auth.PasswordParams = saved })
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		svc, org := app.Service, app.AdminContext()
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Pageco", Code: "PAGES"}, Licenses: apptest.Roomy()})
		if err != nil {
			t.Fatal(err)
		}
		var users, assets []string
		for i := range 205 {
			u, err := svc.CreateUser(org, domain.UserInput{Email: "u" + strconv.Itoa(i) + "@pageco.example", Name: "Person",
				Role: domain.RoleCustomerUser, CustomerID: c.ID, Password: leakPassword})
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u.ID)
		}
		for i := range 410 {
			// Names repeat, so the cursor's tie-breaker (the id) matters.
			x, err := svc.CreateAsset(org, domain.AssetInput{Name: "Desk " + strconv.Itoa(i%150), Class: domain.AssetIT, CustomerID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			assets = append(assets, x.ID)
		}
		var buf bytes.Buffer
		if err := svc.ArchiveCustomer(org, c.ID, func(domain.Customer, time.Time) (io.Writer, error) { return &buf, nil }); err != nil {
			t.Fatal(err)
		}
		files, _ := unzip(t, buf.Bytes())
		for _, l := range []struct {
			name string
			want []string
		}{{"users", users}, {"assets", assets}} {
			sameIDs(t, l.name+".json", idsOf(t, files, l.name+".json"), l.want)
			sameIDs(t, l.name+".csv", csvIDs(t, files, l.name+".csv"), l.want)
		}
		// customer.create, customer.licenses, 205 user.create, 410 asset.create.
		if got := idsOf(t, files, "audit.json"); len(got) != 2+205+410 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
			t.Errorf("audit.json holds %d entries (%d distinct)", len(got), len(slices.Compact(slices.Sorted(slices.Values(got)))))
		}
	})
}
