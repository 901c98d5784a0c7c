package sqlstore

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
)

func (t *tx) Org(ctx context.Context) (domain.Org, error) {
	var o domain.Org
	var updated dbTime
	err := t.queryRow(ctx, `SELECT name, msp_enabled, updated_at, version FROM org WHERE id = 1`).
		Scan(&o.Name, &o.MSPEnabled, &updated, &o.Version)
	if err != nil {
		return o, rowErr(err, "Organization")
	}
	o.UpdatedAt = updated.T
	return o, nil
}

func (t *tx) UpdateOrg(ctx context.Context, o domain.Org) error {
	_, err := t.exec(ctx, `UPDATE org SET name = ?, msp_enabled = ?, initialized = ?, updated_at = ?, version = version + 1 WHERE id = 1`,
		o.Name, o.MSPEnabled, true, t.time(o.UpdatedAt))
	return err
}

func (t *tx) OrgInitialized(ctx context.Context) (bool, error) {
	var b bool
	err := t.queryRow(ctx, `SELECT initialized FROM org WHERE id = 1`).Scan(&b)
	return b, err
}

func (t *tx) LockOrg(ctx context.Context) error {
	var one int
	return t.queryRow(ctx, `SELECT 1 FROM org WHERE id = 1`+t.db.d.ForUpdate).Scan(&one)
}
