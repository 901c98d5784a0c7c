package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo"
	"github.com/custreg/custreg/internal/store"
)

// The organization's logos, and the branding each person sees: a
// customer's people their customer's logos (the organization's where it
// has none), organization users the organization's.

// SetOrgLogo stores data as the organization's logo of kind, checked and
// rendered as a customer's logo is (SetCustomerLogo).
func (s *Service) SetOrgLogo(ctx context.Context, kind string, data []byte, declared string) (LogoUpload, error) {
	ctx, p, err := begin(ctx, "SetOrgLogo")
	if err != nil {
		return LogoUpload{}, err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return LogoUpload{}, notFoundLogo()
	}
	l, warning, err := logo.Prepare(ctx, kind, data, declared)
	if err != nil {
		return LogoUpload{}, err
	}
	l.UploadedAt = s.clock()
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, err := orgLogo(ctx, tx, kind)
		if err != nil {
			return err
		}
		if err := tx.PutOrgLogo(ctx, l); err != nil {
			return err
		}
		var was any
		if before != nil {
			was = before
		}
		return s.audit(ctx, tx, p, "org.logo.upload", "org", kind, "", was, l.LogoInfo)
	})
	if err != nil {
		return LogoUpload{}, err
	}
	return LogoUpload{LogoInfo: l.LogoInfo, Warning: warning}, nil
}

// DeleteOrgLogo removes the organization's logo of kind; ENotFound if
// there is none.
func (s *Service) DeleteOrgLogo(ctx context.Context, kind string) error {
	ctx, p, err := begin(ctx, "DeleteOrgLogo")
	if err != nil {
		return err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return notFoundLogo()
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		before, err := orgLogo(ctx, tx, kind)
		if err != nil {
			return err
		}
		if before == nil {
			return notFoundLogo()
		}
		if err := tx.DeleteOrgLogo(ctx, kind); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "org.logo.remove", "org", kind, "", before, nil)
	})
}

// OrgLogo returns one image of the organization's logo of kind, as
// CustomerLogo does a customer's. Anyone signed in may read it.
func (s *Service) OrgLogo(ctx context.Context, kind string, original bool, have []string) (domain.LogoImage, error) {
	ctx, _, err := begin(ctx, "OrgLogo")
	if err != nil {
		return domain.LogoImage{}, err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.LogoImage{}, notFoundLogo()
	}
	var img domain.LogoImage
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		img, err = tx.OrgLogoImage(ctx, kind, original, have)
		if domain.ErrorCode(err) == domain.ENotFound {
			return notFoundLogo()
		}
		return err
	})
	return img, err
}

func orgLogo(ctx context.Context, tx store.LogoTx, kind string) (*domain.LogoInfo, error) {
	infos, err := tx.OrgLogos(ctx)
	if err != nil {
		return nil, err
	}
	for _, li := range infos {
		if li.Kind == kind {
			return &li, nil
		}
	}
	return nil, nil
}

// Branding is what the app's shell shows the caller: the organization's
// settings, and where each logo it shows comes from.
type Branding struct {
	Org domain.Org
	// OrgLogos are the organization's logos; CustomerLogos the caller's
	// customer's (none for organization users).
	OrgLogos, CustomerLogos []domain.LogoInfo
}

// Branding reads the caller's branding in one read.
func (s *Service) Branding(ctx context.Context) (Branding, error) {
	ctx, p, err := begin(ctx, "Branding")
	if err != nil {
		return Branding{}, err
	}
	var b Branding
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if b.Org, err = tx.Org(ctx); err != nil {
			return err
		}
		if b.OrgLogos, err = tx.OrgLogos(ctx); err != nil {
			return err
		}
		if p.CustomerID != "" && b.Org.MSPEnabled {
			b.CustomerLogos, err = tx.CustomerLogos(ctx, p.Scope(), []string{p.CustomerID})
		}
		return err
	})
	return b, err
}
