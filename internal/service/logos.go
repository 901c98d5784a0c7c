package service

import (
	"context"
	"time"

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
func customerLogo(ctx context.Context, tx store.LogoTx, p domain.Principal, customerID, kind string) (*domain.LogoInfo, error) {
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
func attachLogos(ctx context.Context, tx store.LogoTx, p domain.Principal, cs []domain.Customer) error {
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

// Logo drafts: a logo chosen in the Add Customer wizard before its customer
// exists is checked and rendered at once (StageLogo), kept for the person
// who chose it, and moved into the customer by RegisterCustomer's own
// transaction.
const (
	// draftLife is how long a draft is kept.
	draftLife = 24 * time.Hour
	// draftsKept is how many drafts one person holds at most: a wizard
	// holds two, a second tab two more.
	draftsKept = 4
)

// LogoDraft is a staged logo: its id, what was uploaded, and the warning
// an upload gets.
type LogoDraft struct {
	ID string
	LogoUpload
}

// StageLogo checks and renders an image as a logo of kind, as
// SetCustomerLogo does, and keeps it as a draft of the caller's for a new
// customer. A refused file is a 422 on "file" (413 beyond the size bound)
// and stages nothing.
func (s *Service) StageLogo(ctx context.Context, kind string, data []byte, declared string) (LogoDraft, error) {
	ctx, p, err := begin(ctx, "StageLogo")
	if err != nil {
		return LogoDraft{}, err
	}
	if _, _, ok := domain.LogoBox(kind); !ok {
		return LogoDraft{}, notFoundLogo()
	}
	l, warning, err := logo.Prepare(ctx, kind, data, declared)
	if err != nil {
		return LogoDraft{}, err
	}
	now := s.clock()
	l.UploadedAt = now
	d := LogoDraft{ID: newID(), LogoUpload: LogoUpload{LogoInfo: l.LogoInfo, Warning: warning}}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		return tx.PutLogoDraft(ctx, p.UserID, d.ID, l, now.Add(-draftLife), draftsKept)
	})
	if err != nil {
		return LogoDraft{}, err
	}
	return d, nil
}

// LogoDraftImage returns the display rendition of a draft the caller
// staged, for the wizard's preview; ENotFound for anyone else's.
func (s *Service) LogoDraftImage(ctx context.Context, id string) (domain.LogoImage, error) {
	ctx, p, err := begin(ctx, "LogoDraft")
	if err != nil {
		return domain.LogoImage{}, err
	}
	var img domain.LogoImage
	err = s.store.Read(ctx, func(tx store.Tx) error {
		l, err := tx.LogoDraft(ctx, p.UserID, id, false)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && l.UploadedAt.Before(s.clock().Add(-draftLife))) {
			return notFoundLogo()
		}
		img = domain.LogoImage{Format: l.Format, SHA256: l.DisplaySHA, Data: l.Display}
		return err
	})
	return img, err
}

// LogoFile is a logo sent with a new customer: the image's bytes (with
// the media type the sender declared, "" for none), or the id of a draft
// the caller staged.
type LogoFile struct {
	Kind     string
	Data     []byte
	Declared string
	DraftID  string
}

// prepareLogos checks the logos of a new customer before its transaction:
// each refused file is a field error on its kind ("full_logo"), reported
// with the customer's other field errors. A file beyond the size bound is
// returned as the error itself (413).
func prepareLogos(ctx context.Context, files []LogoFile) (map[string]domain.Logo, domain.FieldErrors, error) {
	out := map[string]domain.Logo{}
	var fe domain.FieldErrors
	for _, f := range files {
		if _, _, ok := domain.LogoBox(f.Kind); !ok {
			return nil, nil, domain.Errorf(domain.EBadRequest, "No logo %q: a customer has a full_logo and a logomark.", f.Kind)
		}
		if _, dup := out[f.Kind]; dup || fe.Has(f.Kind) {
			return nil, nil, domain.Errorf(domain.EBadRequest, "More than one %s was sent; send one.", f.Kind)
		}
		if f.DraftID != "" {
			out[f.Kind] = domain.Logo{LogoInfo: domain.LogoInfo{Kind: f.Kind}} // read in the transaction
			continue
		}
		l, _, err := logo.Prepare(ctx, f.Kind, f.Data, f.Declared)
		if de, ok := err.(*domain.Error); ok && de.Code == domain.EInvalid {
			for _, e := range de.Fields {
				fe.Add(f.Kind, e.Code, e.Message)
			}
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		out[f.Kind] = l
	}
	return out, fe, nil
}

// putNewLogos stores a new customer's logos inside its create's
// transaction, taking drafts out of the caller's drafts. A draft that is
// gone is a field error on its kind.
func (s *Service) putNewLogos(ctx context.Context, tx store.Tx, p domain.Principal, c *domain.Customer, files []LogoFile, prepared map[string]domain.Logo) error {
	var fe domain.FieldErrors
	var ready []domain.Logo
	for _, f := range files {
		l := prepared[f.Kind]
		if f.DraftID != "" {
			d, err := tx.LogoDraft(ctx, p.UserID, f.DraftID, true)
			if domain.ErrorCode(err) == domain.ENotFound || (err == nil && (d.Kind != f.Kind || d.UploadedAt.Before(s.clock().Add(-draftLife)))) {
				fe.Add(f.Kind, domain.FieldRequired, "The image chosen is no longer kept (a chosen logo is kept for a day); choose it again.")
				continue
			}
			if err != nil {
				return err
			}
			if err := tx.DeleteLogoDraft(ctx, p.UserID, f.DraftID); err != nil {
				return err
			}
			l = d
		}
		ready = append(ready, l)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	for _, l := range ready {
		l.CustomerID, l.UploadedAt = c.ID, s.clock()
		if err := tx.PutLogo(ctx, p.Scope(), l); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, p, "customer.logo.upload", "customer", c.ID, c.ID, nil, l.LogoInfo); err != nil {
			return err
		}
		info := l.LogoInfo
		switch l.Kind {
		case domain.LogoFull:
			c.FullLogo = &info
		case domain.LogoMark:
			c.Logomark = &info
		}
	}
	return nil
}
