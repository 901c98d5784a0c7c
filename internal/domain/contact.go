package domain

// This file holds the rules for the contact fields of SPEC §2: country,
// postal code, phone number, DNS domain, e-mail address and website. Every
// function is pure and safe for concurrent use; the tables they need are built
// once, on first use.

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/idna"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// Country is one ISO 3166-1 country with its English name.
type Country struct {
	Code string // alpha-2, upper case
	Name string // English short name
}

// isoCountryCodes is the list of the 249 officially assigned ISO 3166-1
// alpha-2 codes. It is spelled out rather than derived from x/text because
// x/text's region table also holds codes that ISO 3166-1 does not assign to a
// country: exceptionally reserved ones (AC, CP, CQ, DG, EA, EU, EZ, FX, IC,
// TA, UK, UN), withdrawn ones (AN, BU, CS, DD, SU, TP, YU, ZR, …) and
// user-assigned ones (XK). The tests check it against x/text.
const isoCountryCodes = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW"

// countryNameOverrides replaces the English names of x/text's display tables,
// which come from CLDR 32 (2017), where the country's name has changed since
// (and CLDR with it). The old names stay accepted as aliases.
var countryNameOverrides = map[string]string{
	"MK": "North Macedonia", // CLDR 32: "Macedonia"
	"MO": "Macao SAR China", // CLDR 32: "Macau SAR China"
	"SZ": "Eswatini",        // CLDR 32: "Swaziland"
	"TR": "Türkiye",         // CLDR 32: "Turkey"
}

// countryAliases are further English names that NormalizeCountry accepts:
// ISO 3166-1 short or formal names where they differ from CLDR's, former
// names, and a few unambiguous names in everyday use. Each one names exactly
// one country; none is a name of another country or a region inside one.
var countryAliases = map[string]string{
	"United States of America": "US",
	"USA":                      "US",
	"UK":                       "GB", // exceptionally reserved by ISO for the United Kingdom
	"Great Britain":            "GB",
	"United Kingdom of Great Britain and Northern Ireland": "GB",
	"Czech Republic":                   "CZ",
	"Ivory Coast":                      "CI",
	"Turkey":                           "TR",
	"Swaziland":                        "SZ",
	"Macedonia":                        "MK",
	"Myanmar":                          "MM",
	"Burma":                            "MM",
	"Democratic Republic of the Congo": "CD",
	"DR Congo":                         "CD",
	"Republic of the Congo":            "CG",
	"Hong Kong":                        "HK",
	"Macao":                            "MO",
	"Macau":                            "MO",
	"Macau SAR China":                  "MO",
	"Palestine":                        "PS",
	"State of Palestine":               "PS",
	"East Timor":                       "TL",
	"Vatican":                          "VA",
	"Holy See":                         "VA",
	"Cabo Verde":                       "CV",
	"Russian Federation":               "RU",
	"Viet Nam":                         "VN",
	"Republic of Korea":                "KR",
	"Brunei Darussalam":                "BN",
}

type countryTables struct {
	list   []Country         // sorted by name
	byCode map[string]string // alpha-2 → name
	byKey  map[string]string // nameKey(name or alias) → alpha-2
}

var countries = sync.OnceValue(func() *countryTables {
	t := &countryTables{byCode: map[string]string{}, byKey: map[string]string{}}
	names := display.English.Regions()
	for _, code := range strings.Fields(isoCountryCodes) {
		name := countryNameOverrides[code]
		if name == "" {
			name = names.Name(language.MustParseRegion(code))
		}
		t.list = append(t.list, Country{Code: code, Name: name})
		t.byCode[code] = name
		t.byKey[nameKey(name)] = code
	}
	for alias, code := range countryAliases {
		t.byKey[nameKey(alias)] = code
	}
	sortByName(t.list, func(c Country) string { return c.Name }, func(c Country) string { return c.Code })
	return t
})

// sortByName sorts s by English collation of name, then by key, so that
// "Åland Islands" sorts with the A's and "Côte d’Ivoire" with the C's.
func sortByName[T any](s []T, name, key func(T) string) {
	coll := collate.New(language.English)
	slices.SortStableFunc(s, func(a, b T) int {
		if c := coll.CompareString(name(a), name(b)); c != 0 {
			return c
		}
		return strings.Compare(key(a), key(b))
	})
}

// stripMarks removes the combining marks of s ("é" → "e"). It keeps no state
// between calls: an x/text transform.Transformer (such as a shared
// transform.Chain) carries buffers and is not safe for concurrent use, which
// once made concurrent creates panic here.
func stripMarks(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
	return norm.NFC.String(s)
}

// nameKey reduces a country name to the form in which names are compared:
// case, accents, "&" versus "and", "St." versus "Saint", apostrophes, dots,
// commas, hyphens, parentheses and a leading "The" make no difference. It
// returns "" for text with any other punctuation or symbol, which is no name.
func nameKey(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) &&
			!unicode.Is(unicode.Mn, r) && !strings.ContainsRune(".,'’-()&", r)
	}) {
		return ""
	}
	s = stripMarks(Fold(s))
	s = strings.NewReplacer("&", " and ", ".", "", "'", "", "’", "").Replace(s)
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for i, w := range words {
		if w == "saint" {
			words[i] = "st"
		}
	}
	return strings.Join(words, " ")
}

// NormalizeCountry resolves an English country name or an ISO 3166-1 alpha-2
// code (case-insensitive, surrounding space ignored) to the alpha-2 code.
// Names are CLDR's English names (see Countries) plus the aliases listed in
// countryAliases, such as "United States of America", "USA" and "UK"; they are
// compared ignoring case, accents and punctuation, so "Cote d'Ivoire" and
// "Saint Lucia" are found too. Codes that ISO does not assign to a country
// (EU, UN, XK, …) are not accepted.
func NormalizeCountry(s string) (string, bool) {
	s = strings.TrimSpace(s)
	t := countries()
	if len(s) == 2 {
		if code := strings.ToUpper(s); t.byCode[code] != "" {
			return code, true
		}
	}
	if s == "" || len(s) > 200 {
		return "", false
	}
	key := nameKey(s)
	if key == "" {
		return "", false
	}
	code, ok := t.byKey[key]
	return code, ok
}

// CountryName returns the English name of an alpha-2 code (case-insensitive),
// or "" if it is not an ISO 3166-1 country.
func CountryName(code string) string {
	return countries().byCode[strings.ToUpper(strings.TrimSpace(code))]
}

// Countries lists every ISO 3166-1 country, sorted by English name. The
// caller owns the returned slice.
func Countries() []Country { return slices.Clone(countries().list) }

// postalFormat is one entry of postalFormats (postal_codes.go).
type postalFormat struct {
	pattern  string // unanchored regular expression, as in the source data
	examples string // comma-separated examples, as in the source data
}

// postalRegexps compiles every pattern of postalFormats, anchored to the
// whole input and case-insensitive.
var postalRegexps = sync.OnceValue(func() map[string]*regexp.Regexp {
	m := make(map[string]*regexp.Regexp, len(postalFormats))
	for code, f := range postalFormats {
		m[code] = regexp.MustCompile(`(?i)^(?:` + f.pattern + `)$`)
	}
	return m
})

// genericPostalCode is the rule for countries without a known format.
var genericPostalCode = regexp.MustCompile(`^[A-Za-z0-9 -]{3,12}$`)

// CheckPostalCode checks pin against the postal-code format of country
// (alpha-2, case-insensitive) where the country has one (see postalFormats);
// otherwise (or with country empty) it must be 3–12 ASCII letters, digits,
// spaces or dashes, with at least one letter or digit. Letters match in
// either case and surrounding space is ignored. On failure it returns a
// caller-safe message that says what shape was expected.
func CheckPostalCode(country, pin string) (string, bool) {
	pin = strings.TrimSpace(pin)
	country = strings.TrimSpace(country)
	if len(country) == 2 && !strings.ContainsFunc(country, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) }) {
		country = strings.ToUpper(country)
	} else {
		// Only an ISO alpha-2 code names a country here; case mappings
		// outside ASCII (the Turkish "İ") must not turn other text into
		// one.
		country = ""
	}
	if re, ok := postalRegexps()[country]; ok {
		if re.MatchString(pin) {
			return "", true
		}
		msg := "Not a valid postal code for " + CountryName(country)
		if ex, _, _ := strings.Cut(postalFormats[country].examples, ","); ex != "" {
			msg += " (example: " + ex + ")"
		}
		return msg + ".", false
	}
	if genericPostalCode.MatchString(pin) && strings.ContainsFunc(pin, func(r rune) bool { return r != ' ' && r != '-' }) {
		return "", true
	}
	return "Not a valid postal code: use 3 to 12 letters, digits, spaces or dashes.", false
}

// CanonicalPostalCode is a valid postal code of country (CheckPostalCode)
// in that country's written form: upper case, with the spaces and dashes
// where its examples have them — "sw1a1aa" is "SW1A 1AA" in the United
// Kingdom, "1234ab" is "1234 AB" in the Netherlands, "12345 6789" is
// "12345-6789" in the United States. The form is taken from the first of
// the country's examples as long as the code, without its separators, and
// kept only if it still matches the country's pattern; a code no example
// shapes, or of a country without a known format, is kept as written, in
// upper case where the country has a format.
func CanonicalPostalCode(country, pin string) string {
	pin = strings.TrimSpace(pin)
	re, ok := postalRegexps()[country]
	if !ok {
		return pin
	}
	compact := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(pin))
	for ex := range strings.SplitSeq(postalFormats[country].examples, ",") {
		ex = strings.TrimSpace(ex)
		var b strings.Builder
		i := 0
		for _, r := range ex {
			if r == ' ' || r == '-' {
				b.WriteRune(r)
				continue
			}
			if i >= len(compact) {
				i = -1
				break
			}
			b.WriteByte(compact[i])
			i++
		}
		if i == len(compact) && re.MatchString(b.String()) {
			return b.String()
		}
	}
	if up := strings.ToUpper(pin); re.MatchString(up) {
		return up
	}
	return pin
}

// maxE164Digits is E.164's limit on a number's digits, country code
// included.
const maxE164Digits = 15

// NormalizePhone parses a phone number written with a leading "+" and country
// calling code, or, without one, as a national number of defaultRegion
// (alpha-2, may be empty; a region's international call prefix such as "00"
// is understood too). It returns the E.164 form ("+919876543210"), or a
// caller-safe message and false when the number is not a valid number for its
// country according to libphonenumber's metadata (too short, too long, or not
// an assigned range). Extensions are refused, since E.164 cannot hold them.
func NormalizePhone(s, defaultRegion string) (string, string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "Enter a phone number.", false
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	num, err := phonenumbers.Parse(s, region)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if !strings.HasPrefix(s, "+") && !phonenumbers.GetSupportedRegions()[region] {
			return "", "Start the number with + and the country calling code (for example +91).", false
		}
		return "", "Unknown country calling code.", false
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "", "Too long to be a phone number.", false
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "", "Too short to be a phone number.", false
	case err != nil:
		return "", "Not a phone number.", false
	}
	if num.GetExtension() != "" {
		return "", "Phone extensions are not supported; enter the number without one.", false
	}
	if phonenumbers.IsValidNumber(num) {
		e164 := phonenumbers.Format(num, phonenumbers.E164)
		if len(e164) > 1+maxE164Digits {
			// libphonenumber accepts some national plans' longer numbers
			// (Germany's reach 16 digits); E.164, the stored form, does not.
			return "", fmt.Sprintf("Too long to be a phone number: at most %d digits with the country code.", maxE164Digits), false
		}
		return e164, "", true
	}
	where := phoneWhere(num)
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "", "Unknown country calling code.", false
	case phonenumbers.TOO_SHORT:
		return "", "Too short for a phone number " + where + ".", false
	case phonenumbers.TOO_LONG:
		return "", "Too long for a phone number " + where + ".", false
	case phonenumbers.INVALID_LENGTH:
		return "", "Wrong number of digits for a phone number " + where + ".", false
	}
	return "", "Not a valid phone number " + where + ".", false
}

// phoneWhere names the country of num for a message: "in India (+91)" when
// its calling code (or its number) belongs to one country, "with country code
// +1" otherwise.
func phoneWhere(num *phonenumbers.PhoneNumber) string {
	cc := int(num.GetCountryCode())
	code := "+" + strconv.Itoa(cc)
	region := phonenumbers.GetRegionCodeForNumber(num)
	if region == "" {
		if regions := phonenumbers.GetRegionCodesForCountryCode(cc); len(regions) == 1 {
			region = regions[0]
		}
	}
	if name := CountryName(region); name != "" {
		return "in " + name + " (" + code + ")"
	}
	return "with country code " + code
}

// PhoneCode is one entry of the UI's country-code picker.
type PhoneCode struct {
	Region string // alpha-2
	Name   string // English country name
	Code   int    // country calling code, e.g. 1, 44, 91
}

var phoneCodes = sync.OnceValue(func() []PhoneCode {
	var out []PhoneCode
	for region := range phonenumbers.GetSupportedRegions() {
		name := CountryName(region)
		if name == "" { // not an ISO 3166-1 country: AC, TA, XK
			continue
		}
		out = append(out, PhoneCode{Region: region, Name: name, Code: phonenumbers.GetCountryCodeForRegion(region)})
	}
	sortByName(out, func(p PhoneCode) string { return p.Name }, func(p PhoneCode) string { return p.Region })
	return out
})

// PhoneCodes lists the picker's entries sorted by country name: every region
// that libphonenumber supports and that is an ISO 3166-1 country. Countries
// without a telephone numbering plan of their own in libphonenumber
// (Antarctica, Bouvet Island, …) are absent. The caller owns the returned
// slice.
func PhoneCodes() []PhoneCode { return slices.Clone(phoneCodes()) }

// Limits of RFC 1034/1035 and RFC 5321, in octets of the ASCII form.
const (
	maxDomainLen    = 253
	maxEmailLen     = 254
	maxEmailLocal   = 64
	maxWebsiteRunes = 2048
)

// domainProfile maps a name as a resolver would (UTS #46 non-transitional:
// case folding, width and NFC) and checks RFC 5891 label rules, the Bidi rule,
// STD3 ASCII rules (letters, digits and hyphen only) and DNS lengths.
var domainProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true), idna.Transitional(false))

// NormalizeDomain checks a DNS host name (IDN allowed, in Unicode or as
// xn-- labels) and returns its Unicode form in lower case ("Bücher.de" →
// "bücher.de"), or false. The name needs at least two labels, each of at most
// 63 octets, and at most 253 octets in all, in its ASCII form; the last label
// may not be all digits (so IPv4 addresses are refused), and a trailing dot,
// schemes, paths, ports and spaces are refused.
func NormalizeDomain(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 4*maxDomainLen || TextProblem(s) != "" {
		return "", false
	}
	ascii, err := domainProfile.ToASCII(s)
	if err != nil || len(ascii) > maxDomainLen {
		return "", false
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "", false
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "", false
	}
	uni, err := domainProfile.ToUnicode(ascii)
	if err != nil {
		return "", false
	}
	// The mapped name must also be fit for registration (RFC 5891 §4).
	if _, err := idna.Registration.ToASCII(uni); err != nil {
		return "", false
	}
	return uni, true
}

// NormalizeEmail checks one RFC 5322 addr-spec ("local@domain", written
// plainly: no display name, angle brackets, comments or list) whose domain is
// a valid DNS name with at least one dot (see NormalizeDomain), and returns it
// with the domain in lower case, or false. The local part is kept as written
// (at most 64 octets); the whole address is at most 254 characters.
func NormalizeEmail(s string) (string, bool) {
	// Checked as it will be stored: in NFC, where some characters become
	// others (U+037E GREEK QUESTION MARK is ";", which no unquoted local
	// part holds).
	s = norm.NFC.String(strings.TrimSpace(s))
	if s == "" || Len(s) > maxEmailLen || TextProblem(s) != "" {
		return "", false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" {
		return "", false
	}
	// net/mail also accepts "<a@b.c>", comments and folding white space;
	// only the plain rendering of the parsed address itself is accepted.
	if plain := (&mail.Address{Address: addr.Address}).String(); plain != "<"+s+">" {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || len(s[:at]) > maxEmailLocal {
		return "", false
	}
	domain, ok := NormalizeDomain(s[at+1:])
	if !ok {
		return "", false
	}
	out := s[:at] + "@" + domain
	if Len(out) > maxEmailLen {
		return "", false
	}
	return out, true
}

// NormalizeWebsite checks an absolute http or https URL whose host is a valid
// DNS name (see NormalizeDomain; IP addresses and user names are refused),
// with an optional port, of at most 2048 characters, and returns it with the
// scheme and host in lower case (the host in Unicode form) and the rest as
// written, or false.
func NormalizeWebsite(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || Len(s) > maxWebsiteRunes {
		return "", false
	}
	// Invalid UTF-8 (which url.Parse lets through in a fragment), white
	// space, control and bidirectional control characters make no URL.
	if TextProblem(s) != "" || strings.ContainsFunc(s, unicode.IsSpace) {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	rest, ok := strings.CutPrefix(s[len(u.Scheme)+1:], "//")
	if !ok {
		return "", false
	}
	host, ok := NormalizeDomain(u.Hostname())
	if !ok {
		return "", false
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", false
	}
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", false
		}
		host += ":" + port
	}
	tail := ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		tail = rest[i:]
	}
	return scheme + "://" + host + tail, true
}
