package domain

// This file is the one place where custreg decides what text it accepts and
// how it compares it (docs/architecture.md, "Text hygiene"):
//
//   - every text field is one line of valid UTF-8 without NUL, other control
//     characters (C0, DEL, C1: tabs and line breaks included, once surrounding
//     white space is trimmed) and bidirectional embeddings, overrides and
//     isolates (U+202A–U+202E, U+2066–U+2069), which can make stored text
//     display differently from what it is;
//   - names also lose their zero-width characters (U+200B–U+200D, U+2060,
//     U+FEFF), must keep at least one visible character, and write each word
//     in one script (UTS #39's "highly restrictive" level: Latin may mix with
//     Han, Hiragana, Katakana, Bopomofo or Hangul, as Japanese, Chinese and
//     Korean writing do), so a Cyrillic "А" cannot hide in a Latin word;
//   - stored text is in NFC; the keys that uniqueness, search and sorting
//     compare (Fold) are NFKC, case folded, without invisible characters and
//     with runs of white space as one space, so "Acme", "Acme\u200b", "ACME"
//     and the fullwidth "Ａｃｍｅ" are one name.

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// CleanText trims surrounding white space and puts s in Unicode NFC so that
// the same visible text is always stored the same way. Its result is always
// valid UTF-8 without NUL, whatever s holds (invalid bytes become U+FFFD and
// NUL is dropped), so that it is safe to pass to either database even before
// the validators have refused s; the validators check the raw input.
func CleanText(s string) string {
	return norm.NFC.String(strings.TrimSpace(safeText(s)))
}

// safeText returns s as valid UTF-8 without NUL.
func safeText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// Fold returns the key of s that uniqueness, search and sorting compare:
// NFKC, Unicode case folding, without invisible (default-ignorable)
// characters and with every run of white space as one space. Folding
// happens here, not in SQL, so that SQLite and PostgreSQL agree on every
// script, not just ASCII. Fold(Fold(s)) == Fold(s), and the key is always
// valid UTF-8 without control characters.
func Fold(s string) string {
	s = norm.NFKC.String(safeText(s))
	s = cases.Fold().String(s)
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case invisible(r) || unicode.IsControl(r) && !unicode.IsSpace(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r >= 0x13A0 && r <= 0xABBF && unicode.Is(unicode.Cherokee, r) {
			// x/text's fold swaps Cherokee's cases instead of settling on
			// one (Unicode folds to the capitals): take the capital.
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	// Removing an invisible character can bring a base and a combining
	// mark together ("A\u00AD\u0304"): compose them again.
	return norm.NFKC.String(b.String())
}

// zeroWidth reports the zero-width characters removed from names.
func zeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// bidiControl reports the bidirectional embeddings, overrides and isolates.
// The marks U+200E, U+200F and U+061C, which only set the direction of
// neutral characters next to them, stay allowed.
func bidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// invisible reports default-ignorable code points (Unicode's
// DerivedCoreProperties): characters that render as nothing, such as zero
// width spaces and joiners, the soft hyphen, variation selectors, Hangul
// fillers and tags.
func invisible(r rune) bool {
	switch {
	case r < 0xAD:
		return false
	case r == 0xAD, r == 0x34F, r == 0x61C, r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5,
		r >= 0x180B && r <= 0x180F, r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x206F, r == 0x3164, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF, r == 0xFFA0,
		r >= 0xFFF0 && r <= 0xFFF8, r >= 0x1BCA0 && r <= 0x1BCA3, r >= 0x1D173 && r <= 0x1D17A,
		r >= 0xE0000 && r <= 0xE0FFF:
		return true
	}
	return false
}

// TextProblem says, in a caller-safe sentence, why s cannot be one line of
// text in custreg, or returns "" when it can: invalid UTF-8, NUL, another
// control character, or a bidirectional embedding, override or isolate.
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "Must be valid UTF-8 text."
	}
	for _, r := range s {
		switch {
		case r == 0:
			return "Must not contain the NUL character."
		case unicode.IsControl(r):
			return "Must not contain control characters such as tabs or line breaks (found U+" + hex(r) + ")."
		case bidiControl(r):
			return "Must not contain bidirectional embedding, override or isolate characters (found U+" + hex(r) + ")."
		}
	}
	return ""
}

// BinaryProblem is the part of TextProblem that no store can hold: invalid
// UTF-8 and NUL. The HTTP edge refuses these in every request body before
// anything reads it; the field rules then say the rest.
func BinaryProblem(s string) string {
	if !utf8.ValidString(s) {
		return "Must be valid UTF-8 text."
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "Must not contain the NUL character."
	}
	return ""
}

func hex(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	return strings.Repeat("0", max(0, 4-len(h))) + h
}

// cleanLine checks raw as one line of text for field and returns it
// cleaned. On failure it records one error for field (FieldFormat) and
// still returns the cleaned text, which is safe for keys and SQL.
func cleanLine(fe *FieldErrors, field, raw string) string {
	s := strings.TrimSpace(raw)
	if msg := TextProblem(s); msg != "" {
		fe.Add(field, FieldFormat, msg)
	}
	return CleanText(s)
}

// cleanName is cleanLine for a name: zero-width characters are removed, and
// a name that is not empty must show a visible character and write each
// word in one script.
func cleanName(fe *FieldErrors, field, raw string) string {
	s := strings.TrimSpace(raw)
	if msg := TextProblem(s); msg != "" {
		fe.Add(field, FieldFormat, msg)
		return CleanText(StripZeroWidth(s))
	}
	t := s
	s = CleanText(StripZeroWidth(s))
	if t != "" && !hasVisible(s) {
		fe.Add(field, FieldFormat, "Must contain a visible character, not only spaces or invisible characters.")
		return s
	}
	if msg := mixedScriptProblem(s); msg != "" {
		fe.Add(field, FieldFormat, msg)
	}
	return s
}

// StripZeroWidth removes the zero-width characters of s (U+200B–U+200D,
// U+2060, U+FEFF).
func StripZeroWidth(s string) string {
	if !strings.ContainsFunc(s, zeroWidth) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if zeroWidth(r) {
			return -1
		}
		return r
	}, s)
}

// hasVisible reports whether s has a character that shows: a graphic
// character that is neither white space nor invisible.
func hasVisible(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsGraphic(r) && !unicode.IsSpace(r) && !invisible(r)
	})
}

// CheckName checks s as a name with the rules of every record's name
// (see cleanName) and returns it cleaned, or a caller-safe message. The
// service uses it for the names it validates itself (tokens, the
// organization).
func CheckName(s string) (string, string) {
	var fe FieldErrors
	out := cleanName(&fe, "name", s)
	if len(fe) > 0 {
		return out, fe[0].Message
	}
	return out, ""
}

// scriptsChecked are tried first when naming a character's script; any
// other is found in unicode.Scripts.
var scriptsChecked = []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul",
	"Arabic", "Hebrew", "Devanagari", "Armenian", "Georgian", "Thai", "Bopomofo"}

// scriptOf names the script of r ("Latin"), or "" for Common and
// Inherited characters (digits, punctuation, combining marks), which mix
// with any script.
func scriptOf(r rune) string {
	if r < 0x80 {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return "Latin"
		}
		return ""
	}
	if unicode.Is(unicode.Common, r) || unicode.Is(unicode.Inherited, r) {
		return ""
	}
	for _, name := range scriptsChecked {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// mixedScriptProblem refuses a word (a run of letters and marks) whose
// letters come from more than one script, but for the combinations of
// UTS #39's highly restrictive level.
func mixedScriptProblem(s string) string {
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
		scripts := map[string]bool{}
		for _, r := range word {
			if sc := scriptOf(r); sc != "" {
				scripts[sc] = true
			}
		}
		if len(scripts) <= 1 || allowedMix(scripts) {
			continue
		}
		names := make([]string, 0, len(scripts))
		for _, sc := range []string{"Latin", "Cyrillic", "Greek"} {
			if scripts[sc] {
				names = append(names, sc)
			}
		}
		var others []string
		for sc := range scripts {
			if sc != "Latin" && sc != "Cyrillic" && sc != "Greek" {
				others = append(others, sc)
			}
		}
		slices.Sort(others)
		names = append(names, others...)
		return "Write each word in one script: “" + word + "” mixes " + strings.Join(names, " and ") +
			" letters, which can make it look like another name."
	}
	return ""
}

// allowedMix reports the script sets UTS #39 allows in one word: Latin with
// Han, Hiragana and Katakana (Japanese), with Han and Bopomofo (Chinese), or
// with Han and Hangul (Korean).
func allowedMix(scripts map[string]bool) bool {
	for _, set := range [][]string{
		{"Latin", "Han", "Hiragana", "Katakana"},
		{"Latin", "Han", "Bopomofo"},
		{"Latin", "Han", "Hangul"},
	} {
		n := 0
		for _, sc := range set {
			if scripts[sc] {
				n++
			}
		}
		if n == len(scripts) {
			return true
		}
	}
	return false
}

// Len counts s in Unicode characters (code points), the unit of every limit
// in SPEC §2.
func Len(s string) int { return utf8.RuneCountInString(s) }

// checkLen records a too_long error for field when s exceeds max characters.
func checkLen(fe *FieldErrors, field, s string, max int) {
	if Len(s) > max {
		fe.Add(field, FieldTooLong, "Must be at most "+itoa(max)+" characters.")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
