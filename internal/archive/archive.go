// Package archive writes everything custreg holds about one customer as
// one zip file, streamed: each file of the zip is written as its records
// come from a Source, a page at a time, so an archive of a million assets
// takes the memory of a page, not of the customer.
//
// The zip holds (docs/operations.md, "A customer's data"):
//
//	customer.json           the customer: details, settings, counts, logos, license allocation and use
//	licenses.csv            the license allocation and use, one row per type
//	usage.json, usage.csv   the daily license-usage history
//	entities.json/.csv      its entities
//	users.json/.csv         its users (never a password hash, session or token)
//	assets.json/.csv        its assets
//	audit.json/.csv         its audit history, newest first
//	logos/<kind>.<png|jpg>  the logos as they were uploaded, when it has them
//	manifest.json           every file with its records, bytes and SHA-256, and when the archive was made
//	README.txt              the same for a person
//
// JSON files use the API's field names; each list is a JSON array with one
// record a line. CSV files are RFC 4180 in UTF-8 with a header row, text
// cells guarded against formula injection as the reports' are. Times are
// UTC, RFC 3339.
//
// Write closes the zip (writes its central directory) only when every file
// was written: an archive cut short by an error is not a readable zip, so
// a broken download can never pass for a complete one.
package archive

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/wire"
)

// Source yields one customer's records. Each method hands fn the records
// one at a time in a stable order and is called once for each file that
// lists them (the JSON file, then the CSV file), so it must yield the same
// records each time: the service reads them in one snapshot.
type Source interface {
	Entities(ctx context.Context, fn func(domain.Entity) error) error
	Users(ctx context.Context, fn func(domain.User) error) error
	Assets(ctx context.Context, fn func(domain.Asset) error) error
	// Audit yields the customer's audit entries, newest first.
	Audit(ctx context.Context, fn func(domain.AuditEntry) error) error
	// Logo returns the image uploaded as the customer's logo of kind.
	Logo(ctx context.Context, kind string) (domain.LogoImage, error)
}

// Customer is what the archive says of the customer itself.
type Customer struct {
	domain.Customer
	// Licenses are its allocation and use per type, in display order.
	Licenses []domain.CustomerLicense
	// Usage is its daily license-usage history, by day and type.
	Usage []domain.UsagePoint
}

// Meta says when and for whom an archive was made.
type Meta struct {
	GeneratedAt time.Time
	// GeneratedBy is the email of the person who asked for it.
	GeneratedBy string
}

// Format names the archive's layout in its manifest; FormatVersion
// changes when a file or field is removed or changes meaning.
const (
	Format        = "custreg-customer-archive"
	FormatVersion = 1
)

// FlushEvery is how many records are written between two flushes of the
// destination, when it can flush (report.Flusher: an HTTP response).
const FlushEvery = 1000

// Filename is the archive's file name: the customer's code (kept to
// letters, digits, '-' and '_', which codes are made of) and the day it was
// made, e.g. "ACME-archive-2026-12-02.zip".
func Filename(code string, at time.Time) string {
	b := []byte(code)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		b = []byte("customer")
	}
	return string(b) + "-archive-" + at.UTC().Format("2006-01-02") + ".zip"
}

// FileInfo is one file of an archive as its manifest lists it.
type FileInfo struct {
	Name string `json:"name"`
	// Records is how many records the file holds; nil for a file that is
	// not a list (customer.json, a logo).
	Records *int64 `json:"records"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// Manifest is manifest.json.
type Manifest struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	GeneratedAt   time.Time `json:"generated_at"`
	GeneratedBy   string    `json:"generated_by"`
	Customer      struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Code string `json:"code"`
	} `json:"customer"`
	// Files lists every file before manifest.json, in the zip's order;
	// README.txt comes after it.
	Files []FileInfo `json:"files"`
}

// Write writes the archive of c to w, reading its records from src. The
// zip is complete only when Write returns nil; on an error it stops where
// it is and leaves the zip without its central directory.
func Write(ctx context.Context, w io.Writer, c Customer, meta Meta, src Source) error {
	a := &writer{ctx: ctx, dst: w, zw: zip.NewWriter(w), at: meta.GeneratedAt.UTC()}
	m := Manifest{Format: Format, FormatVersion: FormatVersion, GeneratedAt: a.at, GeneratedBy: meta.GeneratedBy}
	m.Customer.ID, m.Customer.Name, m.Customer.Code = c.ID, c.Name, c.Code

	steps := []func() error{
		func() error { return a.single("customer.json", zip.Deflate, jsonDoc(customerOut(c))) },
		func() error { return a.csv("licenses.csv", licenseHeader, licenseRows(c.Licenses)) },
		func() error { return a.jsonList("usage.json", usageJSON(c.Usage)) },
		func() error { return a.csv("usage.csv", usageHeader, usageRows(c.Usage)) },
		func() error {
			return a.jsonList("entities.json", func(emit func(any) error) error {
				return src.Entities(ctx, func(e domain.Entity) error { return emit(wire.Of(e)) })
			})
		},
		func() error {
			return a.csv("entities.csv", entityHeader, func(emit func([]string) error) error {
				return src.Entities(ctx, func(e domain.Entity) error { return emit(entityRow(e)) })
			})
		},
		func() error {
			return a.jsonList("users.json", func(emit func(any) error) error {
				return src.Users(ctx, func(u domain.User) error { return emit(wire.Of(u)) })
			})
		},
		func() error {
			return a.csv("users.csv", userHeader, func(emit func([]string) error) error {
				return src.Users(ctx, func(u domain.User) error { return emit(userRow(u)) })
			})
		},
		func() error {
			return a.jsonList("assets.json", func(emit func(any) error) error {
				return src.Assets(ctx, func(x domain.Asset) error { return emit(wire.Of(x)) })
			})
		},
		func() error {
			return a.csv("assets.csv", assetHeader, func(emit func([]string) error) error {
				return src.Assets(ctx, func(x domain.Asset) error { return emit(assetRow(x)) })
			})
		},
		func() error {
			return a.jsonList("audit.json", func(emit func(any) error) error {
				return src.Audit(ctx, func(e domain.AuditEntry) error { return emit(auditOut(e)) })
			})
		},
		func() error {
			return a.csv("audit.csv", auditHeader, func(emit func([]string) error) error {
				return src.Audit(ctx, func(e domain.AuditEntry) error { return emit(auditRow(e)) })
			})
		},
		func() error {
			for _, kind := range domain.LogoKinds {
				if logoInfo(c.Customer, kind) == nil {
					continue
				}
				img, err := src.Logo(ctx, kind)
				if err != nil {
					return fmt.Errorf("archive: logo %s: %w", kind, err)
				}
				// Images are compressed already.
				if err := a.single(LogoFile(kind, img.Format), zip.Store, img.Data); err != nil {
					return err
				}
			}
			return nil
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		if err := a.flush(); err != nil {
			return err
		}
	}
	if err := a.agree(); err != nil {
		return err
	}
	m.Files = a.files
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := a.single("manifest.json", zip.Deflate, append(b, '\n')); err != nil {
		return err
	}
	if err := a.single("README.txt", zip.Deflate, readme(m, c)); err != nil {
		return err
	}
	if err := a.zw.Close(); err != nil {
		return err
	}
	return flushDst(a.dst)
}

// LogoFile is the name a logo of kind in format ("png" or "jpeg") has in
// the archive.
func LogoFile(kind, format string) string {
	ext := "png"
	if format == "jpeg" {
		ext = "jpg"
	}
	return "logos/" + kind + "." + ext
}

// writer writes the zip's files one after another.
type writer struct {
	ctx   context.Context
	dst   io.Writer
	zw    *zip.Writer
	at    time.Time
	files []FileInfo
}

// entry is one file being written: it counts and hashes its bytes.
type entry struct {
	w     io.Writer
	n     int64
	h     hash.Hash
	info  FileInfo
	owner *writer
}

func (e *entry) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	e.n += int64(n)
	e.h.Write(p[:n])
	return n, err
}

func (a *writer) create(name string, method uint16) (*entry, error) {
	if err := a.ctx.Err(); err != nil {
		return nil, err
	}
	zf, err := a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: a.at})
	if err != nil {
		return nil, err
	}
	return &entry{w: zf, h: sha256.New(), info: FileInfo{Name: name}, owner: a}, nil
}

func (e *entry) done(records *int64) {
	e.info.Bytes, e.info.SHA256, e.info.Records = e.n, hex.EncodeToString(e.h.Sum(nil)), records
	e.owner.files = append(e.owner.files, e.info)
}

// single writes a file that is not a list.
func (a *writer) single(name string, method uint16, data []byte) error {
	e, err := a.create(name, method)
	if err != nil {
		return err
	}
	if _, err := e.Write(data); err != nil {
		return err
	}
	e.done(nil)
	return nil
}

// jsonList writes a JSON array, one record a line, of what list emits.
func (a *writer) jsonList(name string, list func(emit func(any) error) error) error {
	e, err := a.create(name, zip.Deflate)
	if err != nil {
		return err
	}
	var n int64
	if _, err := io.WriteString(e, "["); err != nil {
		return err
	}
	err = list(func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		sep := ",\n"
		if n == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(e, sep); err != nil {
			return err
		}
		if _, err := e.Write(b); err != nil {
			return err
		}
		n++
		if n%FlushEvery == 0 {
			return a.flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	end := "\n]\n"
	if n == 0 {
		end = "]\n"
	}
	if _, err := io.WriteString(e, end); err != nil {
		return err
	}
	e.done(&n)
	return nil
}

// csv writes a CSV file: the header, then what rows emits, text cells
// formula-guarded.
func (a *writer) csv(name string, header []string, rows func(emit func([]string) error) error) error {
	e, err := a.create(name, zip.Deflate)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(e)
	if err := cw.Write(header); err != nil {
		return err
	}
	var n int64
	err = rows(func(rec []string) error {
		if len(rec) != len(header) {
			return fmt.Errorf("archive: %s: %d cells for %d columns", name, len(rec), len(header))
		}
		for i := range rec {
			rec[i] = report.CSVCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		n++
		if n%FlushEvery == 0 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return a.flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	e.done(&n)
	return nil
}

// flush passes on what the zip has written so far, when the destination
// can (an HTTP response moves its write deadline on each flush).
func (a *writer) flush() error {
	if err := a.zw.Flush(); err != nil {
		return err
	}
	return flushDst(a.dst)
}

func flushDst(w io.Writer) error {
	if f, ok := w.(report.Flusher); ok {
		return f.Flush()
	}
	return nil
}

// ErrInconsistent is returned when a list's JSON and CSV files hold
// different numbers of records: the source did not read one snapshot.
var ErrInconsistent = errors.New("archive: the JSON and CSV files of a list disagree; the records changed while they were read")

// agree checks that each list's JSON and CSV files hold the same records.
func (a *writer) agree() error {
	counts := map[string]int64{}
	for _, f := range a.files {
		if f.Records == nil {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(f.Name, ".json"), ".csv")
		if n, ok := counts[base]; ok && n != *f.Records {
			return fmt.Errorf("%w (%s: %d and %d)", ErrInconsistent, base, n, *f.Records)
		}
		counts[base] = *f.Records
	}
	return nil
}

func jsonDoc(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Every value here is made of strings, numbers and times.
		panic(err)
	}
	return append(b, '\n')
}

// readme is README.txt: what the archive is and holds, for a person.
func readme(m Manifest, c Customer) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "custreg: the data of customer %s (code %s)\n\n", c.Name, c.Code)
	fmt.Fprintf(&b, "Customer id:  %s\nMade at:      %s (UTC)\nMade for:     %s\nFormat:       %s, version %d\n\n",
		c.ID, m.GeneratedAt.Format(time.RFC3339), m.GeneratedBy, m.Format, m.FormatVersion)
	b.WriteString("This archive holds everything custreg keeps about the customer, read as of one moment:\n\n")
	for _, f := range m.Files {
		what := describe(f.Name)
		switch {
		case f.Records == nil:
		case *f.Records == 1:
			what += " (1 record)"
		default:
			what += " (" + strconv.FormatInt(*f.Records, 10) + " records)"
		}
		fmt.Fprintf(&b, "  %-22s %s\n", f.Name, what)
	}
	fmt.Fprintf(&b, "  %-22s %s\n", "manifest.json", "every file above with its records, bytes and SHA-256")
	b.WriteString(`
JSON files use the field names of custreg's API (docs/api.md); each list is a
JSON array with one record a line. CSV files are RFC 4180, UTF-8, with a header
row; a text cell that starts with =, +, -, @, a tab or a carriage return is
written with a leading ' so that spreadsheets show it as text. Times are UTC,
RFC 3339. Ids tie the files together: a user's entity_ids and an asset's
entity_id name rows of entities.csv.

Not in the archive: password hashes, sessions and API tokens (secrets, not
data), and the logos' display renditions (made from the uploads included here).
`)
	return []byte(b.String())
}

func describe(name string) string {
	switch {
	case name == "customer.json":
		return "the customer: details, settings, counts, logos, license allocation and use"
	case name == "licenses.csv":
		return "license allocation and use per type"
	case strings.HasPrefix(name, "usage."):
		return "daily license-usage history"
	case strings.HasPrefix(name, "entities."):
		return "entities"
	case strings.HasPrefix(name, "users."):
		return "users"
	case strings.HasPrefix(name, "assets."):
		return "assets"
	case strings.HasPrefix(name, "audit."):
		return "audit history, newest first"
	case strings.HasPrefix(name, "logos/"):
		return "logo as uploaded"
	}
	return ""
}
