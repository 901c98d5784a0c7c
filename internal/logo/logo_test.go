package logo_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo"
	"github.com/custreg/custreg/internal/logo/logotest"
)

func fieldCode(t *testing.T, err error) string {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "file" {
		t.Fatalf("want one 422 error on field file, got %v", err)
	}
	return de.Fields[0].Code
}

func TestPrepareRefuses(t *testing.T) {
	jpg := logotest.JPEG(64, 64)
	for _, tc := range []struct {
		name     string
		data     []byte
		declared string
		code     string
		says     string
	}{
		{"empty", nil, "image/png", domain.FieldRequired, "empty"},
		{"gif", logotest.GIF(32, 32), "", domain.FieldFormat, "GIF"},
		{"gif sent as png", logotest.GIF(32, 32), "image/png", domain.FieldFormat, "GIF"},
		{"webp", logotest.WebP(), "", domain.FieldFormat, "WebP"},
		{"svg", logotest.SVG(), "image/png", domain.FieldFormat, "SVG"},
		{"text named png", logotest.Text(), "image/png", domain.FieldFormat, "text file"},
		{"truncated png", logotest.Truncated(), "image/png", domain.FieldFormat, "damaged or incomplete"},
		{"jpeg sent as png", jpg, "image/png", domain.FieldFormat, "sent as image/png but its bytes are a JPEG"},
		{"png sent as jpeg", logotest.PNG(10, 10), "image/jpeg", domain.FieldFormat, "bytes are a PNG"},
		{"truncated jpeg", jpg[:len(jpg)/2], "", domain.FieldFormat, "damaged or incomplete"},
		{"png header only", logotest.PNG(10, 10)[:20], "", domain.FieldFormat, "damaged or incomplete"},
		{"bomb", logotest.Bomb(100_000, 100_000), "image/png", domain.FieldTooLarge, "100000 × 100000"},
		{"just over the pixel bound", logotest.Bomb(50_001, 1000), "", domain.FieldTooLarge, "50 megapixels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := logo.Prepare(context.Background(), domain.LogoFull, tc.data, tc.declared)
			if code := fieldCode(t, err); code != tc.code {
				t.Errorf("code %q, want %q (%v)", code, tc.code, err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("message %q does not say %q", err, tc.says)
			}
		})
	}
	big := make([]byte, domain.MaxLogoBytes+1)
	copy(big, logotest.PNG(10, 10))
	if _, _, err := logo.Prepare(context.Background(), domain.LogoFull, big, ""); domain.ErrorCode(err) != domain.ETooLarge {
		t.Errorf("20 MiB + 1 byte: %v, want too large", err)
	}
}

// TestBombIsRefusedFromTheHeader: a PNG declaring 100,000 × 100,000
// (40 GB of pixels) is refused having allocated almost nothing.
func TestBombIsRefusedFromTheHeader(t *testing.T) {
	bomb := logotest.Bomb(100_000, 100_000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := logo.Prepare(context.Background(), domain.LogoMark, bomb, "")
	runtime.ReadMemStats(&after)
	if fieldCode(t, err) != domain.FieldTooLarge {
		t.Fatalf("bomb: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", n)
	}
	// The header is what a decoder would trust: it really declares that.
	cfg, err := png.DecodeConfig(bytes.NewReader(bomb))
	if err != nil || cfg.Width != 100_000 || cfg.Height != 100_000 {
		t.Fatalf("the bomb's header: %+v %v", cfg, err)
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct{ w, h, bw, bh, ww, wh int }{
		{1280, 320, 320, 80, 320, 80},
		{640, 320, 320, 80, 160, 80},
		{3200, 100, 320, 80, 320, 10},
		{100, 100, 80, 80, 80, 80},
		{40, 40, 80, 80, 40, 40},
		{100, 100, 320, 80, 80, 80},
		{320, 80, 320, 80, 320, 80},
		{100000, 1, 320, 80, 320, 1},
		{1, 5000, 80, 80, 1, 80},
		{300, 60, 320, 80, 300, 60},
	} {
		if w, h := logo.Fit(tc.w, tc.h, tc.bw, tc.bh); w != tc.ww || h != tc.wh {
			t.Errorf("Fit(%d×%d into %d×%d) = %d×%d, want %d×%d", tc.w, tc.h, tc.bw, tc.bh, w, h, tc.ww, tc.wh)
		}
	}
}

func decode(t *testing.T, format string, b []byte) image.Image {
	t.Helper()
	var img image.Image
	var err error
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		t.Fatalf("the rendition does not decode as %s: %v", format, err)
	}
	return img
}

func TestPrepareRenditions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		kind   string
		data   []byte
		format string
		w, h   int // the upload
		dw, dh int // the rendition
		warn   bool
	}{
		{"big full logo", domain.LogoFull, logotest.PNG(1280, 320), "png", 1280, 320, 320, 80, false},
		{"jpeg full logo", domain.LogoFull, logotest.JPEG(1600, 400), "jpeg", 1600, 400, 320, 80, false},
		{"square full logo", domain.LogoFull, logotest.PNG(100, 100), "png", 100, 100, 80, 80, true},
		{"logomark", domain.LogoMark, logotest.PNG(100, 100), "png", 100, 100, 80, 80, false},
		{"small logomark", domain.LogoMark, logotest.PNG(40, 40), "png", 40, 40, 40, 40, false},
		{"wide logomark", domain.LogoMark, logotest.JPEG(400, 100), "jpeg", 400, 100, 80, 20, true},
		{"slightly wide logomark", domain.LogoMark, logotest.PNG(160, 90), "png", 160, 90, 80, 45, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, warning, err := logo.Prepare(context.Background(), tc.kind, tc.data, "")
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != tc.format || l.Width != tc.w || l.Height != tc.h || l.Bytes != int64(len(tc.data)) || l.Kind != tc.kind {
				t.Errorf("info = %+v", l.LogoInfo)
			}
			if !bytes.Equal(l.Original, tc.data) || l.OriginalSHA != logo.Hash(tc.data) {
				t.Error("the original is not kept as uploaded")
			}
			if l.DisplayWidth != tc.dw || l.DisplayHeight != tc.dh || l.DisplaySHA != logo.Hash(l.Display) {
				t.Errorf("rendition %d×%d, want %d×%d", l.DisplayWidth, l.DisplayHeight, tc.dw, tc.dh)
			}
			img := decode(t, tc.format, l.Display)
			if b := img.Bounds(); b.Dx() != tc.dw || b.Dy() != tc.dh {
				t.Errorf("the rendition's bytes are %v, want %d×%d", b, tc.dw, tc.dh)
			}
			// The picture survives: the solid band on the left stays blue.
			r, g, bl, _ := img.At(0, tc.dh/2).RGBA()
			if bl>>8 < 150 || r>>8 > 80 || g>>8 > 90 {
				t.Errorf("the rendition's left edge is %d,%d,%d, not the band's blue", r>>8, g>>8, bl>>8)
			}
			if (warning != "") != tc.warn {
				t.Errorf("warning %q, want one: %v", warning, tc.warn)
			}
		})
	}
}
