package service

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Dashboard sizes.
const (
	// dashboardTopEntities is how many entities the Customer Overview
	// lists and charts by name; the rest are one "Other" bar.
	dashboardTopEntities = 10
	// dashboardNearLimit is how many customers the organization's License
	// Utilization lists as closest to their allocation.
	dashboardNearLimit = 10
)

// Dashboard runs the dashboard key over the customer customerID, or over
// every customer when an organization user names none. Scope rules are
// catalogTarget's: a customer-scoped caller gets its own customer's, and
// another customer's id, a dashboard its customer does not support or an
// unknown key are the same 404.
func (s *Service) Dashboard(ctx context.Context, key, customerID string) (domain.Dashboard, error) {
	ctx, p, err := begin(ctx, "Dashboard")
	if err != nil {
		return domain.Dashboard{}, err
	}
	now := s.clock()
	var d domain.Dashboard
	err = s.store.Read(ctx, func(tx store.Tx) error {
		entry, c, err := catalogTarget(ctx, tx, p, domain.Dashboards, func(c domain.Customer) []string { return c.Dashboards }, "dashboard", key, customerID)
		if err != nil {
			return err
		}
		d = domain.Dashboard{Entry: entry, Customer: c, At: now}
		cid := ""
		if c != nil {
			cid = c.ID
		}
		switch entry.Key {
		case domain.DashboardCustomerOverview:
			o, err := tx.DashboardOverview(ctx, p.Scope(), cid, dashboardTopEntities)
			if err != nil {
				return err
			}
			d.Overview = &o
		case domain.DashboardLicenseUtilization:
			u := domain.Utilization{To: domain.Day(now), From: domain.Day(now.AddDate(0, 0, -(domain.UsageHistoryDays - 1)))}
			if u.Licenses, err = tx.LicenseUse(ctx, p.Scope(), cid); err != nil {
				return err
			}
			if u.History, err = tx.UsageHistory(ctx, p.Scope(), cid, u.From, u.To); err != nil {
				return err
			}
			if c == nil {
				if u.NearLimit, err = tx.NearLimit(ctx, dashboardNearLimit); err != nil {
					return err
				}
			}
			d.Utilization = &u
		}
		return nil
	})
	return d, err
}

// SnapshotUsage is a system entry point, not a use case: no user route
// reaches it, and it acts for no caller (it ignores any principal in ctx
// and runs unconfined). The usage-snapshot job (RunUsageSnapshots) calls
// it. It takes today's (UTC, by the service's clock) row of the
// license-usage history for every live customer and license type, once:
// a second call the same day — on this node or another sharing the
// database — writes nothing. It also deletes the days older than
// domain.UsageRetentionDays.
func (s *Service) SnapshotUsage(ctx context.Context) (domain.UsageSnapshot, error) {
	now := s.clock()
	snap := domain.UsageSnapshot{Day: domain.Day(now)}
	keepFrom := domain.Day(now.AddDate(0, 0, -(domain.UsageRetentionDays - 1)))
	err := s.store.Write(store.WithTenant(ctx, ""), func(tx store.Tx) (err error) {
		snap.Written, snap.Pruned, err = tx.SnapshotUsage(ctx, snap.Day, now, keepFrom)
		return err
	})
	return snap, err
}

// RunUsageSnapshots is the usage-snapshot job: it calls SnapshotUsage at
// once and then every interval (an hour in custreg serve, so that a node
// up across midnight takes the new day within the hour) until ctx is
// done. Every node runs it; the store writes each day's rows once. A
// failed run is logged and retried at the next tick. ran, if not nil, is
// called after every run (tests watch it).
func (s *Service) RunUsageSnapshots(ctx context.Context, interval time.Duration, ran func(domain.UsageSnapshot, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		snap, err := s.SnapshotUsage(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("taking the daily license-usage snapshot", "err", err)
		case err == nil && (snap.Written > 0 || snap.Pruned > 0):
			s.log.Info("took the daily license-usage snapshot", "day", snap.Day, "rows", snap.Written, "pruned", snap.Pruned)
		}
		if ran != nil {
			ran(snap, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
