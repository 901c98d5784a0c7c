package domain

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// SplitPhone splits a stored E.164 number ("+12015550123") into the parts a
// form shows: the region whose country calling code it carries (alpha-2, the
// number's own region where libphonenumber knows it, so "+1 416…" gives "CA"),
// the calling code, and the national number formatted for reading without a
// trunk prefix ("201-555-0123"). Joined again as "+<code> <national>" it
// normalizes to the same E.164 number. For text that does not parse it
// returns "", 0 and the text unchanged, so that nothing typed is lost.
func SplitPhone(e164 string) (region string, callingCode int, national string) {
	s := strings.TrimSpace(e164)
	if s == "" {
		return "", 0, ""
	}
	num, err := phonenumbers.Parse(s, "")
	if err != nil {
		return "", 0, s
	}
	callingCode = int(num.GetCountryCode())
	region = phonenumbers.GetRegionCodeForNumber(num)
	if region == "" || CountryName(region) == "" {
		region = phonenumbers.GetRegionCodeForCountryCode(callingCode)
		if CountryName(region) == "" {
			region = ""
		}
	}
	intl := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	prefix := "+" + itoa(callingCode)
	national = strings.TrimSpace(strings.TrimPrefix(intl, prefix))
	if national == "" || national == intl {
		national = phonenumbers.GetNationalSignificantNumber(num)
	}
	return region, callingCode, national
}
