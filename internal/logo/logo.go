// Package logo checks an uploaded customer logo and makes its display
// rendition. What a file is is decided by its bytes, never by its name or
// the type it was sent as: PNG and JPEG only, at most domain.MaxLogoBytes,
// and at most domain.MaxLogoPixels as its header declares them, checked
// before any pixel is decoded. The rendition is the image fitted into the
// kind's box (domain.LogoBox) keeping its aspect ratio, downscaled with
// Catmull-Rom and never upscaled, in the upload's format.
package logo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/draw"

	"github.com/custreg/custreg/internal/domain"
)

// Field is the name under which a refused file is reported (the
// multipart part's name as well).
const Field = "file"

// slots bounds how many uploads are decoded at once (one per CPU), so a
// burst of large uploads costs at most GOMAXPROCS × the decode bound. A
// buffered channel is safe for concurrent use.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

// AspectTolerance is how far an upload's aspect ratio may be from its
// box's before Prepare warns: more than twice as wide or as tall.
const AspectTolerance = 2.0

// Prepare checks data, an upload of a logo of kind sent as media type
// declared ("image/png", "image/jpeg", or "" when the sender named none or
// a generic one), and returns the logo to store (Kind, Format, Width,
// Height, Bytes, the original, the rendition and their hashes) and a
// warning for an aspect ratio far from the box's, or "". A refused file is
// an EInvalid error on field "file" (code "required", "format" or
// "too_large"), or ETooLarge beyond domain.MaxLogoBytes.
func Prepare(ctx context.Context, kind string, data []byte, declared string) (domain.Logo, string, error) {
	bw, bh, ok := domain.LogoBox(kind)
	if !ok {
		return domain.Logo{}, "", domain.Errorf(domain.ENotFound, "No logo %q: a customer has a full_logo and a logomark.", kind)
	}
	if len(data) > domain.MaxLogoBytes {
		return domain.Logo{}, "", TooLarge()
	}
	if len(data) == 0 {
		return domain.Logo{}, "", refuse(domain.FieldRequired, "The file is empty; upload a PNG or JPEG image.")
	}
	format := Sniff(data)
	if format != "png" && format != "jpeg" {
		return domain.Logo{}, "", refuse(domain.FieldFormat, "The file is "+format+"; a logo must be a PNG or JPEG image.")
	}
	if want := declaredFormat(declared); want != "" && want != format {
		return domain.Logo{}, "", refuse(domain.FieldFormat, fmt.Sprintf("The file was sent as %s but its bytes are a %s image; send it as %s.",
			declared, strings.ToUpper(format), domain.LogoMediaType(format)))
	}
	var cfg image.Config
	var err error
	if format == "png" {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return domain.Logo{}, "", damaged(format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return domain.Logo{}, "", damaged(format)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > domain.MaxLogoPixels {
		return domain.Logo{}, "", refuse(domain.FieldTooLarge, fmt.Sprintf("The image is %d × %d pixels; at most %d megapixels are accepted.",
			cfg.Width, cfg.Height, domain.MaxLogoPixels/1_000_000))
	}

	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return domain.Logo{}, "", ctx.Err()
	}
	defer func() { <-slots }()
	var src image.Image
	if format == "png" {
		src, err = png.Decode(bytes.NewReader(data))
	} else {
		src, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return domain.Logo{}, "", damaged(format)
	}
	b := src.Bounds()
	w, h := Fit(b.Dx(), b.Dy(), bw, bh)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	}
	var out bytes.Buffer
	if format == "png" {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, dst)
	} else {
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		return domain.Logo{}, "", err
	}
	l := domain.Logo{
		LogoInfo: domain.LogoInfo{Kind: kind, Format: format, Width: b.Dx(), Height: b.Dy(), Bytes: int64(len(data))},
		Original: data, OriginalSHA: Hash(data),
		Display: out.Bytes(), DisplayWidth: w, DisplayHeight: h, DisplaySHA: Hash(out.Bytes()),
	}
	return l, aspectWarning(kind, b.Dx(), b.Dy(), bw, bh), nil
}

// Fit returns the size of a w × h image fitted into a bw × bh box keeping
// its aspect ratio: scaled down until it fits, never scaled up, at least
// one pixel each way.
func Fit(w, h, bw, bh int) (int, int) {
	if w <= bw && h <= bh {
		return w, h
	}
	// Scale by the tighter of the two ratios, in integers: w/h is kept to
	// within rounding.
	if int64(w)*int64(bh) >= int64(h)*int64(bw) {
		nh := int((int64(h)*int64(bw) + int64(w)/2) / int64(w))
		return bw, max(1, nh)
	}
	nw := int((int64(w)*int64(bh) + int64(h)/2) / int64(h))
	return max(1, nw), bh
}

// Hash is the hex SHA-256 of b: a logo image's entity tag.
func Hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Sniff names what data is by its first bytes: "png" or "jpeg" for the
// formats a logo may be in, otherwise a description for a message ("a GIF
// image", "a text file", ...).
func Sniff(data []byte) string {
	head := data[:min(len(data), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "a GIF image"
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "a WebP image"
	case bytes.HasPrefix(head, []byte("BM")):
		return "a BMP image"
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "a TIFF image"
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")):
		return "an HEIF/AVIF image or a video"
	}
	text := bytes.ToLower(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"))
	switch {
	case bytes.Contains(text, []byte("<svg")):
		return "an SVG image"
	case utf8.Valid(head) || (len(head) == 512 && utf8.Valid(head[:509])):
		return "a text file"
	}
	return "not an image in a format custreg reads"
}

// declaredFormat is the format a sender's media type names, "" for none
// or a generic type.
func declaredFormat(mt string) string {
	switch strings.ToLower(mt) {
	case "image/png":
		return "png"
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return "jpeg"
	}
	return ""
}

// aspectWarning says when an image's aspect ratio is more than
// AspectTolerance from its box's: it is accepted and shown fitted, with
// empty space beside it.
func aspectWarning(kind string, w, h, bw, bh int) string {
	r := (float64(w) / float64(h)) / (float64(bw) / float64(bh))
	if r <= AspectTolerance && r >= 1/AspectTolerance {
		return ""
	}
	what := "full logo"
	if kind == domain.LogoMark {
		what = "logomark"
	}
	shape := "wider"
	if r < 1 {
		shape = "taller"
	}
	return fmt.Sprintf("The image is %d × %d, much %s than a %s's %d × %d box; it is shown fitted into the box, with empty space beside it.",
		w, h, shape, what, bw, bh)
}

func refuse(code, msg string) error {
	var fe domain.FieldErrors
	fe.Add(Field, code, msg)
	return fe.Err()
}

func damaged(format string) error {
	return refuse(domain.FieldFormat, "The "+strings.ToUpper(format)+" image is damaged or incomplete; export it again and upload the whole file.")
}

// TooLarge is the error for an upload beyond domain.MaxLogoBytes; an
// edge that stops reading at the limit returns it too.
func TooLarge() error {
	return domain.Errorf(domain.ETooLarge, "The file is larger than %d MiB; a logo may be at most %d bytes.", domain.MaxLogoBytes>>20, domain.MaxLogoBytes)
}
