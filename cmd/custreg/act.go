package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// actor is what a command that reads the store directly, as one of its
// users (service.Act), takes to do so: the store and the user. That user's
// role and scope decide, as over HTTP.
type actor struct {
	cmd    string // the command's name, for its errors
	db, as *string
}

// actorFlags declares the flags --db and --as on fs; done says what the
// command does as the user ("the archive is made", "the report runs").
func actorFlags(fs *flag.FlagSet, getenv func(string) string, done string) actor {
	def := getenv("CUSTREG_DB")
	if def == "" {
		def = "custreg.db"
	}
	return actor{
		cmd: fs.Name(),
		db:  fs.String("db", def, "`DSN` of the store: postgres:// URL or SQLite file path (env CUSTREG_DB)"),
		as: fs.String("as", getenv("CUSTREG_ADMIN_EMAIL"),
			"the `email` of the active user "+done+" as: its role and scope apply (env CUSTREG_ADMIN_EMAIL)"),
	}
}

// check refuses a command that names no user.
func (a actor) check() error {
	if *a.as == "" {
		return fmt.Errorf("%s: say whom it acts as: --as EMAIL (or CUSTREG_ADMIN_EMAIL)", a.cmd)
	}
	return nil
}

// act opens the store and returns the service and a context acting as the
// user; closeStore releases the store.
func (a actor) act(ctx context.Context) (svc *service.Service, actx context.Context, closeStore func() error, err error) {
	st, err := openStore(ctx, *a.db, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	svc = service.New(st, service.Options{})
	if actx, err = svc.Act(ctx, *a.as); err != nil {
		return nil, nil, nil, errors.Join(err, st.Close())
	}
	return svc, actx, st.Close, nil
}

// customerByCode finds the id of the customer with code ref, or with id
// ref, that the user acting in ctx sees.
func (a actor) customerByCode(ctx context.Context, svc *service.Service, ref string) (string, error) {
	page, err := svc.ListCustomers(ctx, domain.CustomerFilter{Limit: 2, Where: &domain.Filter{Field: domain.FieldCode, Op: domain.OpEq, Value: ref}})
	if err != nil {
		return "", err
	}
	if len(page.Items) == 1 {
		return page.Items[0].ID, nil
	}
	c, err := svc.Customer(ctx, ref)
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", fmt.Errorf("%s: no customer with code or id %q for %s", a.cmd, ref, *a.as)
	}
	if err != nil {
		return "", err
	}
	return c.ID, nil
}
