package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// CleanText trims surrounding white space and puts s in Unicode NFC so that
// the same visible text is always stored the same way.
func CleanText(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// Fold returns the case-folded form of s used for case-insensitive
// uniqueness and search. Folding happens here, not in SQL, so that SQLite and
// PostgreSQL agree on every script, not just ASCII.
func Fold(s string) string {
	return cases.Fold().String(norm.NFC.String(s))
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
