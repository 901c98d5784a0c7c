package service_test

import (
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestOrgAndTokenNamesFollowTheNameRules: the organization's name and an
// API token's name are names like any other — no control or bidi
// characters, nothing invisible only — and a refused one changes nothing.
func TestOrgAndTokenNamesFollowTheNameRules(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{OrgName: "Northwind"})
		for _, bad := range []string{"North\u202ewind", "\u200b\u200b", "North\twind", "North\x01"} {
			_, err := svc.UpdateOrgSettings(org, service.OrgPatch{Name: &bad}, 0)
			wantCode(t, err, domain.EInvalid)
			_, _, err = svc.CreateToken(org, bad)
			wantCode(t, err, domain.EInvalid)
		}
		o, err := svc.OrgSettings(org)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Northwind" {
			t.Errorf("organization name = %q after refused changes", o.Name)
		}
		toks, err := svc.Tokens(org)
		if err != nil {
			t.Fatal(err)
		}
		if len(toks) != 0 {
			t.Errorf("%d tokens created from refused names", len(toks))
		}
	})
}
