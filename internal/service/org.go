package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// OrgPatch changes organization settings; nil fields stay as they are.
type OrgPatch struct {
	Name       *string `json:"name"`
	MSPEnabled *bool   `json:"msp_enabled"`
}

// OrgSettings returns the organization's settings. Any signed-in user may
// read them: the UI needs msp_enabled to decide what to show.
func (s *Service) OrgSettings(ctx context.Context) (domain.Org, error) {
	ctx, _, err := begin(ctx, "OrgSettings")
	if err != nil {
		return domain.Org{}, err
	}
	var o domain.Org
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		o, err = tx.Org(ctx)
		return err
	})
	return o, err
}

// UpdateOrgSettings applies patch. Only organization admins may; turning MSP
// mode off is refused with EConflict while any customer exists, in trash or
// not (SPEC §6). If version is not zero it must equal the stored version.
func (s *Service) UpdateOrgSettings(ctx context.Context, patch OrgPatch, version int64) (domain.Org, error) {
	ctx, p, err := begin(ctx, "UpdateOrgSettings")
	if err != nil {
		return domain.Org{}, err
	}
	var out domain.Org
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, err := tx.Org(ctx)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The settings were changed by someone else since you loaded them (version %d, now %d); reload and try again.", version, before.Version)
		}
		var fe domain.FieldErrors
		if patch.Name != nil {
			n, problem := domain.CheckName(*patch.Name)
			if n == "" && problem == "" {
				fe.Add("name", domain.FieldRequired, "Organization name is required.")
			} else if problem != "" {
				fe.Add("name", domain.FieldFormat, problem)
			} else if domain.Len(n) > domain.MaxOrgName {
				fe.Add("name", domain.FieldTooLong, "Must be at most 100 characters.")
			}
			patch.Name = &n
		}
		if err := fe.Err(); err != nil {
			return err
		}
		after := before
		if patch.Name != nil {
			after.Name = *patch.Name
		}
		if patch.MSPEnabled != nil {
			after.MSPEnabled = *patch.MSPEnabled
		}
		if before.MSPEnabled && !after.MSPEnabled {
			n, err := tx.CountCustomers(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return &domain.Error{Code: domain.EConflict, Type: "msp-has-customers",
					Message: "MSP mode cannot be turned off while customers exist (" + itoa(n) + ", including those in trash). Purge them first."}
			}
		}
		after.UpdatedAt = s.clock()
		if err := tx.UpdateOrg(ctx, after); err != nil {
			return err
		}
		after.Version = before.Version + 1
		out = after
		return s.audit(ctx, tx, p, "org.update", "org", "", "", before, after)
	})
	return out, err
}

// errMSPDisabled is the answer of every customer and entity route while MSP
// mode is off (SPEC §6).
var errMSPDisabled = &domain.Error{Code: domain.ENotFound, Type: "msp-disabled",
	Message: "MSP mode is off: customers and entities do not exist in a single-tenant organization. An organization admin can turn it on with PATCH /api/v1/org/settings {\"msp_enabled\": true}."}

// requireMSP returns errMSPDisabled unless MSP mode is on.
func requireMSP(ctx context.Context, tx store.OrgTx) error {
	o, err := tx.Org(ctx)
	if err != nil {
		return err
	}
	if !o.MSPEnabled {
		return errMSPDisabled
	}
	return nil
}
