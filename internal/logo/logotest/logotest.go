// Package logotest makes the images the logo tests upload: real PNG, JPEG
// and GIF files made with the standard encoders, and hand-made files that
// must be refused (a decompression bomb's header, WebP, SVG).
package logotest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// Picture is a w × h test pattern: a gradient with a solid band, so a
// rendition shows whether it kept the picture.
func Picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: uint8(255 * x / max(1, w-1)), G: uint8(255 * y / max(1, h-1)), B: 160, A: 255}
			if x < w/4 {
				c = color.NRGBA{R: 20, G: 40, B: 200, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// PNG is a w × h PNG file.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, Picture(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// JPEG is a w × h JPEG file.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Picture(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF is a w × h GIF file.
func GIF(w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, Picture(w, h), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Bomb is the start of a PNG file whose header (IHDR, with a valid CRC)
// declares a w × h RGBA image, followed by a tiny IDAT and IEND: a few
// dozen bytes that would take w × h × 4 bytes to decode.
func Bomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits per sample, RGBA
	chunk(&b, "IHDR", ihdr)
	chunk(&b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}

// WebP is the header of a lossless WebP file with a little data: enough
// for anything that reads a file's first bytes to know it.
func WebP() []byte {
	body := []byte("WEBPVP8L\x0a\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88")
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(body)))
	return append(append([]byte("RIFF"), n[:]...), body...)
}

// SVG is a small SVG image.
func SVG() []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80"><rect width="320" height="80" fill="#1428c8"/></svg>
`)
}

// Text is a text file, as one named logo.png might hold.
func Text() []byte { return []byte("This is not a picture of anything.\n") }

// Truncated is a PNG cut off halfway: its header is whole, its pixels are not.
func Truncated() []byte {
	p := PNG(320, 80)
	return p[:len(p)/2]
}
