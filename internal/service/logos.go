package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo"
	"github.com/custreg/custreg/internal/store"
)

// LogoUpload is what an upload stored: the upload's format, dimensions
// and size, and a warning when its aspect ratio is far from its box's.
type LogoUpload struct {
	domain.LogoInfo
	Warning string
}

// SetCustomerLogo stores data as a live customer's logo of kind
// (domain.LogoFull or domain.LogoMark), replacing the one before it.
// declared is the media type the sender named ("" for none). The file is
// checked and its display rendition made before the transaction begins
// (package logo): a refused file is a 422 on "file" (or 413 beyond
// domain.MaxLogoBytes) and changes nothing.
func (s *Service) SetCustomerLogo(ctx context.Context, customerID, kind string, data []byte, declared string) (LogoUpload, error) {
	ctx, p, err := begin(ctx, "SetCustomerLogo")
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
	l.CustomerID, l.UploadedAt = customerID, s.clock()
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		// The customer's row first (one lock order): uploads of one
		// customer's logos queue on it, and the audit's "before" is the
		// logo this upload replaces.
		if _, err := tx.Customer(ctx, p.Scope(), customerID); err != nil {
			return err
		}
		before, err := customerLogo(ctx, tx, p, customerID, kind)
		if err != nil {
			return err
		}
		if err := tx.PutLogo(ctx, p.Scope(), l); err != nil {
			return err
		}
		var was any // absent, not null, when there was none
		if before != nil {
			was = before
		}
		return s.audit(ctx, tx, p, "customer.logo.upload", "customer", customerID, customerID, was, l.LogoInfo)
	})
	if err != nil {
		return LogoUpload{}, err
	}
	return LogoUpload{LogoInfo: l.LogoInfo, Warning: warning}, nil
}

// DeleteCustomerLogo removes a live customer's logo of kind; ENotFound if
// it has none.
func (s *Service) DeleteCustomerLogo(ctx context.Context, customerID, kind string) error {
	ctx, p, err := begin(ctx, "DeleteCustomerLogo")
	if err != nil {
		return err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return notFoundLogo()
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Customer(ctx, p.Scope(), customerID); err != nil {
			return err
		}
		before, err := customerLogo(ctx, tx, p, customerID, kind)
		if err != nil {
			return err
		}
		if before == nil {
			return notFoundLogo()
		}
		if err := tx.DeleteLogo(ctx, p.Scope(), customerID, kind); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "customer.logo.remove", "customer", customerID, customerID, before, nil)
	})
}

// CustomerLogo returns one image of a live customer's logo in the
// caller's scope: the display rendition, or the upload when original is
// set. have are the hashes (entity tags) the caller holds: when the image
// is one of them its Data is nil.
func (s *Service) CustomerLogo(ctx context.Context, customerID, kind string, original bool, have []string) (domain.LogoImage, error) {
	ctx, p, err := begin(ctx, "CustomerLogo")
	if err != nil {
		return domain.LogoImage{}, err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return domain.LogoImage{}, notFoundLogo()
	}
	var img domain.LogoImage
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		img, err = tx.LogoImage(ctx, p.Scope(), customerID, kind, original, have)
		if domain.ErrorCode(err) == domain.ENotFound {
			return notFoundLogo()
		}
		return err
	})
	return img, err
}

// customerLogo is what is stored of one logo of a customer, nil if none.
func customerLogo(ctx context.Context, tx store.Tx, p domain.Principal, customerID, kind string) (*domain.LogoInfo, error) {
	infos, err := tx.CustomerLogos(ctx, p.Scope(), []string{customerID})
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

// attachLogos fills the customers' FullLogo and Logomark.
func attachLogos(ctx context.Context, tx store.Tx, p domain.Principal, cs []domain.Customer) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]string, len(cs))
	at := make(map[string]*domain.Customer, len(cs))
	for i := range cs {
		ids[i] = cs[i].ID
		at[cs[i].ID] = &cs[i]
	}
	infos, err := tx.CustomerLogos(ctx, p.Scope(), ids)
	if err != nil {
		return err
	}
	for _, li := range infos {
		c := at[li.CustomerID]
		if c == nil {
			continue
		}
		switch li.Kind {
		case domain.LogoFull:
			c.FullLogo = &li
		case domain.LogoMark:
			c.Logomark = &li
		}
	}
	return nil
}

func notFoundLogo() error {
	return domain.Errorf(domain.ENotFound, "Logo not found.")
}
