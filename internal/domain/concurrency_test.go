package domain_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

// TestContactRulesConcurrent runs the country-name matcher and the other
// contact rules from many goroutines at once, as concurrent creates do. Every
// rule is documented safe for concurrent use; a shared stateful value (the
// x/text transformer the matcher once shared) shows up here as a data race
// under -race, and without it as a wrong answer or a panic.
func TestContactRulesConcurrent(t *testing.T) {
	names := map[string]string{
		"India": "IN", "Côte d’Ivoire": "CI", "Cote d'Ivoire": "CI", "Åland Islands": "AX",
		"São Tomé & Príncipe": "ST", "Curaçao": "CW", "Réunion": "RE", "Türkiye": "TR",
		"St. Barthélemy": "BL", "the Bahamas": "BS", "United States of America": "US",
		"Saint Lucia": "LC", "Bosnia and Herzegovina": "BA", "Timor-Leste": "TL",
	}
	const goroutines, rounds = 16, 300
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				for name, want := range names {
					if got, ok := domain.NormalizeCountry(name); !ok || got != want {
						errs <- fmt.Sprintf("goroutine %d round %d: NormalizeCountry(%q) = %q, %v; want %q", g, i, name, got, ok, want)
						return
					}
				}
				if e, ok := domain.NormalizeEmail("Ops@Bücher.DE"); !ok || e != "Ops@bücher.de" {
					errs <- fmt.Sprintf("NormalizeEmail = %q, %v", e, ok)
					return
				}
				if p, _, ok := domain.NormalizePhone("098765 43210", "IN"); !ok || p != "+919876543210" {
					errs <- fmt.Sprintf("NormalizePhone = %q, %v", p, ok)
					return
				}
				if _, ok := domain.CheckPostalCode("IN", "110001"); !ok {
					errs <- "CheckPostalCode refused 110001 for IN"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
