package domain

import "time"

// The two logos of a customer (SPEC §4, the Settings step) and the box
// each is shown in.
const (
	LogoFull = "full_logo" // the full logo, shown in a 320 × 80 box
	LogoMark = "logomark"  // the logomark or icon, shown in an 80 × 80 box
)

// LogoKinds lists the kinds of logo in display order.
var LogoKinds = []string{LogoFull, LogoMark}

// Limits of an uploaded logo.
const (
	// MaxLogoBytes is the largest upload accepted: 20 MB.
	MaxLogoBytes = 20 << 20
	// MaxLogoPixels bounds width × height as the image's header declares
	// it, checked before anything is decoded: 50 megapixels, so decoding
	// one upload takes at most about 200 MB (400 MB for a 16-bit PNG), and
	// a small file declaring a huge image (a decompression bomb) is
	// refused from its header.
	MaxLogoPixels = 50_000_000
)

// FieldTooLarge is the field code of an image whose dimensions exceed
// MaxLogoPixels.
const FieldTooLarge = "too_large"

// LogoBox returns the box a kind of logo is displayed in, and false for a
// kind that does not exist.
func LogoBox(kind string) (width, height int, ok bool) {
	switch kind {
	case LogoFull:
		return 320, 80, true
	case LogoMark:
		return 80, 80, true
	}
	return 0, 0, false
}

// LogoInfo describes a stored logo by its upload: the format the bytes
// are in ("png" or "jpeg"), its dimensions in pixels and its size in
// bytes. Its JSON form is the audit log's snapshot: no image bytes.
type LogoInfo struct {
	CustomerID string `json:"-"`
	Kind       string `json:"kind"`
	Format     string `json:"format"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Bytes      int64  `json:"bytes"`
}

// Logo is a stored logo: the bytes uploaded, kept as they came, and the
// display rendition fitted into the kind's box (LogoBox) at upload, each
// with the hex SHA-256 of its bytes (its entity tag).
type Logo struct {
	LogoInfo
	Original      []byte
	OriginalSHA   string
	Display       []byte
	DisplayWidth  int
	DisplayHeight int
	DisplaySHA    string
	UploadedAt    time.Time
}

// LogoImage is one image of a logo as it is served.
type LogoImage struct {
	Format string // "png" or "jpeg"
	SHA256 string // hex SHA-256 of the bytes
	// Data is the image's bytes; nil when the caller said it holds these
	// bytes already (its entity tag matched).
	Data []byte
}

// LogoMediaType is the media type of a logo format.
func LogoMediaType(format string) string {
	if format == "jpeg" {
		return "image/jpeg"
	}
	return "image/png"
}
