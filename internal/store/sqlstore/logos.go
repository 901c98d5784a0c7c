package sqlstore

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// liveCustomerScoped restricts a query on customer_logos (aliased l) to
// logos of live customers in scope.
func liveCustomerScoped(scope domain.Scope) (string, []any) {
	sc, args := scopeClause(scope)
	return ` AND EXISTS (SELECT 1 FROM customers c WHERE c.id = l.customer_id AND c.deleted_at IS NULL` + sc + `)`, args
}

func (t *tx) CustomerLogos(ctx context.Context, scope domain.Scope, customerIDs []string) ([]domain.LogoInfo, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(customerIDs)+1)
	for _, id := range customerIDs {
		args = append(args, id)
	}
	sc, sargs := liveCustomerScoped(scope)
	rows, err := t.query(ctx, `SELECT l.customer_id, l.kind, l.format, l.width, l.height, l.bytes FROM customer_logos l
WHERE l.customer_id IN (`+placeholders(len(customerIDs))+`)`+sc+` ORDER BY l.customer_id, l.kind`, append(args, sargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.LogoInfo
	for rows.Next() {
		var li domain.LogoInfo
		if err := rows.Scan(&li.CustomerID, &li.Kind, &li.Format, &li.Width, &li.Height, &li.Bytes); err != nil {
			return nil, err
		}
		out = append(out, li)
	}
	return out, rows.Err()
}

func (t *tx) LogoImage(ctx context.Context, scope domain.Scope, customerID, kind string, original bool, skip []string) (domain.LogoImage, error) {
	data, sha := "l.display", "l.display_sha"
	if original {
		data, sha = "l.original", "l.original_sha"
	}
	var args []any
	sel := data
	if len(skip) > 0 {
		// One statement reads the hash and the bytes together, leaving the
		// bytes out when the caller holds them: no second read can see
		// another upload's.
		sel = `CASE WHEN ` + sha + ` IN (` + placeholders(len(skip)) + `) THEN NULL ELSE ` + data + ` END`
		for _, s := range skip {
			args = append(args, s)
		}
	}
	sc, sargs := liveCustomerScoped(scope)
	args = append(append(args, customerID, kind), sargs...)
	var img domain.LogoImage
	err := t.queryRow(ctx, `SELECT l.format, `+sha+`, `+sel+` FROM customer_logos l WHERE l.customer_id = ? AND l.kind = ?`+sc, args...).
		Scan(&img.Format, &img.SHA256, &img.Data)
	return img, rowErr(err, "Logo")
}

func (t *tx) PutLogo(ctx context.Context, scope domain.Scope, l domain.Logo) error {
	sc, sargs := scopeClause(scope)
	args := []any{l.Kind, l.Format, l.Width, l.Height, l.Bytes, l.Original, l.OriginalSHA, l.Display, l.DisplayWidth, l.DisplayHeight,
		l.DisplaySHA, t.time(l.UploadedAt), l.CustomerID}
	// The customer's liveness and scope are in the statement itself: an
	// upload racing the customer's trash, or aimed outside the scope,
	// inserts nothing.
	res, err := t.exec(ctx, `INSERT INTO customer_logos (customer_id, kind, format, width, height, bytes, original, original_sha,
display, display_width, display_height, display_sha, uploaded_at)
SELECT c.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM customers c WHERE c.id = ? AND c.deleted_at IS NULL`+sc+`
ON CONFLICT (customer_id, kind) DO UPDATE SET format = excluded.format, width = excluded.width, height = excluded.height,
bytes = excluded.bytes, original = excluded.original, original_sha = excluded.original_sha, display = excluded.display,
display_width = excluded.display_width, display_height = excluded.display_height, display_sha = excluded.display_sha,
uploaded_at = excluded.uploaded_at`, append(args, sargs...)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Customer")
	}
	return nil
}

func (t *tx) DeleteLogo(ctx context.Context, scope domain.Scope, customerID, kind string) error {
	sc, sargs := liveCustomerScoped(scope)
	res, err := t.exec(ctx, `DELETE FROM customer_logos AS l WHERE l.customer_id = ? AND l.kind = ?`+sc, append([]any{customerID, kind}, sargs...)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Logo")
	}
	return nil
}

const logoDraftColumns = `kind, format, width, height, bytes, original_sha, display, display_width, display_height, display_sha, created_at`

func (t *tx) PutLogoDraft(ctx context.Context, userID, id string, l domain.Logo, before time.Time, keep int) error {
	// Old and surplus drafts go first, so a person holds at most keep
	// drafts however often they stage one.
	if _, err := t.exec(ctx, `DELETE FROM logo_drafts WHERE user_id = ? AND (created_at < ? OR id NOT IN (
  SELECT id FROM logo_drafts WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?))`,
		userID, t.time(before), userID, max(keep-1, 0)); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO logo_drafts (id, user_id, original, `+logoDraftColumns+`)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, l.Original, l.Kind, l.Format, l.Width, l.Height, l.Bytes, l.OriginalSHA, l.Display, l.DisplayWidth,
		l.DisplayHeight, l.DisplaySHA, t.time(l.UploadedAt))
	return err
}

func (t *tx) LogoDraft(ctx context.Context, userID, id string, withOriginal bool) (domain.Logo, error) {
	original := "NULL"
	if withOriginal {
		original = "original"
	}
	var l domain.Logo
	var created dbTime
	var orig []byte
	err := t.queryRow(ctx, `SELECT `+original+`, `+logoDraftColumns+` FROM logo_drafts WHERE id = ? AND user_id = ?`, id, userID).
		Scan(&orig, &l.Kind, &l.Format, &l.Width, &l.Height, &l.Bytes, &l.OriginalSHA, &l.Display, &l.DisplayWidth,
			&l.DisplayHeight, &l.DisplaySHA, &created)
	l.Original, l.UploadedAt = orig, created.T
	return l, rowErr(err, "Logo")
}

func (t *tx) DeleteLogoDraft(ctx context.Context, userID, id string) error {
	res, err := t.exec(ctx, `DELETE FROM logo_drafts WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Logo")
	}
	return nil
}

func (t *tx) OrgLogos(ctx context.Context) ([]domain.LogoInfo, error) {
	rows, err := t.query(ctx, `SELECT kind, format, width, height, bytes FROM org_logos ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.LogoInfo
	for rows.Next() {
		var li domain.LogoInfo
		if err := rows.Scan(&li.Kind, &li.Format, &li.Width, &li.Height, &li.Bytes); err != nil {
			return nil, err
		}
		out = append(out, li)
	}
	return out, rows.Err()
}

func (t *tx) OrgLogoImage(ctx context.Context, kind string, original bool, skip []string) (domain.LogoImage, error) {
	data, sha := "display", "display_sha"
	if original {
		data, sha = "original", "original_sha"
	}
	var args []any
	sel := data
	if len(skip) > 0 {
		sel = `CASE WHEN ` + sha + ` IN (` + placeholders(len(skip)) + `) THEN NULL ELSE ` + data + ` END`
		for _, s := range skip {
			args = append(args, s)
		}
	}
	var img domain.LogoImage
	err := t.queryRow(ctx, `SELECT format, `+sha+`, `+sel+` FROM org_logos WHERE kind = ?`, append(args, kind)...).
		Scan(&img.Format, &img.SHA256, &img.Data)
	return img, rowErr(err, "Logo")
}

func (t *tx) PutOrgLogo(ctx context.Context, l domain.Logo) error {
	_, err := t.exec(ctx, `INSERT INTO org_logos (kind, format, width, height, bytes, original, original_sha,
display, display_width, display_height, display_sha, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (kind) DO UPDATE SET format = excluded.format, width = excluded.width, height = excluded.height,
bytes = excluded.bytes, original = excluded.original, original_sha = excluded.original_sha, display = excluded.display,
display_width = excluded.display_width, display_height = excluded.display_height, display_sha = excluded.display_sha,
uploaded_at = excluded.uploaded_at`, l.Kind, l.Format, l.Width, l.Height, l.Bytes, l.Original, l.OriginalSHA, l.Display,
		l.DisplayWidth, l.DisplayHeight, l.DisplaySHA, t.time(l.UploadedAt))
	return err
}

func (t *tx) DeleteOrgLogo(ctx context.Context, kind string) error {
	res, err := t.exec(ctx, `DELETE FROM org_logos WHERE kind = ?`, kind)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Logo")
	}
	return nil
}
