package api

import (
	"context"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

// Every record the API keeps (customer, entity, user, asset) is answered
// the same way, defined here once: GET sends it with its version as the
// ETag; POST creates it (201 with Location and ETag); PATCH applies an RFC
// 7396 merge patch to its writable fields under If-Match, inside the
// service's transaction, validated as a whole like a create; DELETE moves
// it to trash under If-Match (204). A record's handlers give these its
// service calls and how it is sent.

// kind is how one kind of record is sent.
type kind[R, In any] struct {
	url     func(R) string // where it lives, for Location
	version func(R) int64
	send    func(R) any
}

var (
	customerKind = kind[domain.Customer, domain.CustomerInput]{
		url:     func(c domain.Customer) string { return BasePath + "/customers/" + c.ID },
		version: func(c domain.Customer) int64 { return c.Version },
		send:    func(c domain.Customer) any { return customerOut(c) },
	}
	entityKind = kind[domain.Entity, domain.EntityInput]{
		url:     func(e domain.Entity) string { return BasePath + "/customers/" + e.CustomerID + "/entities/" + e.ID },
		version: func(e domain.Entity) int64 { return e.Version },
		send:    func(e domain.Entity) any { return wire.Of(e) },
	}
	userKind = kind[domain.User, domain.UserInput]{
		url:     func(u domain.User) string { return BasePath + "/users/" + u.ID },
		version: func(u domain.User) int64 { return u.Version },
		send:    func(u domain.User) any { return wire.Of(u) },
	}
	assetKind = kind[domain.Asset, domain.AssetInput]{
		url:     func(a domain.Asset) string { return BasePath + "/assets/" + a.ID },
		version: func(a domain.Asset) int64 { return a.Version },
		send:    func(a domain.Asset) any { return wire.Of(a) },
	}
)

// write sends x with status and its ETag.
func (k kind[R, In]) write(w http.ResponseWriter, status int, x R) error {
	w.Header().Set("ETag", etag(k.version(x)))
	return writeJSON(w, status, k.send(x))
}

// created answers a create: 201, where it lives, and the record.
func (k kind[R, In]) created(w http.ResponseWriter, x R, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Location", k.url(x))
	return k.write(w, http.StatusCreated, x)
}

// create decodes the body as In and creates the record from it.
func (k kind[R, In]) create(w http.ResponseWriter, r *http.Request, create func(context.Context, In) (R, error)) error {
	var in In
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := create(r.Context(), in)
	return k.created(w, x, err)
}

// get sends the record read.
func (k kind[R, In]) get(w http.ResponseWriter, r *http.Request, read func(context.Context) (R, error)) error {
	x, err := read(r.Context())
	if err != nil {
		return err
	}
	return k.write(w, http.StatusOK, x)
}

// patch applies the body, a merge patch of In, to the record at the
// version If-Match names.
func (k kind[R, In]) patch(w http.ResponseWriter, r *http.Request,
	update func(ctx context.Context, version int64, apply func(In) (In, error)) (R, error)) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	var probe In
	patch, _, err := readMergePatch(w, r, &probe)
	if err != nil {
		return err
	}
	x, err := update(r.Context(), version, func(cur In) (In, error) {
		var next In
		return next, applyMergePatch(cur, patch, &next)
	})
	if err != nil {
		return err
	}
	return k.write(w, http.StatusOK, x)
}

// remove deletes the record at the version If-Match names.
func remove(w http.ResponseWriter, r *http.Request, del func(ctx context.Context, version int64) error) error {
	version, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	if err := del(r.Context(), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// list is a page of records as the API sends it.
type list[J any] struct {
	Items      []J     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int64   `json:"total"`
	TotalExact bool    `json:"total_exact"`
}

// listOf is the page items (of a list in order) sent as out makes them.
func listOf[R, J any](items []R, out func(R) J, order string, next *domain.Cursor, total int64, exact bool) list[J] {
	l := list[J]{Items: make([]J, len(items)), NextCursor: listquery.EncodeCursor(order, next), Total: total, TotalExact: exact}
	for i, x := range items {
		l.Items[i] = out(x)
	}
	return l
}

// placed is a kind of record that lives at /<plural>/{id} and is placed on
// a customer and, optionally, its entities (users, assets): its list, by
// customer_id and entity_id, and its one-record routes, each from one
// service call.
type placed[R, In, F, J any] struct {
	kind[R, In]
	order  string // the list's order, which its cursors are bound to
	out    func(R) J
	filter func(customerID, entityID string, limit int, cursor *domain.Cursor) F
	svc    func(*API) placedService[R, In, F]
}

// placedService is what the routes of a placed kind ask of the service.
type placedService[R, In, F any] struct {
	list   func(context.Context, F) (domain.Page[R], error)
	create func(context.Context, In) (R, error)
	read   func(ctx context.Context, id string) (R, error)
	update func(ctx context.Context, id string, version int64, apply func(In) (In, error)) (R, error)
	remove func(ctx context.Context, id string, version int64) error
}

var (
	users = placed[domain.User, domain.UserInput, domain.UserFilter, any]{
		kind: userKind, order: listquery.UsersByEmail, out: wire.Of[domain.User],
		filter: func(customerID, entityID string, limit int, cursor *domain.Cursor) domain.UserFilter {
			return domain.UserFilter{CustomerID: customerID, EntityID: entityID, Limit: limit, Cursor: cursor}
		},
		svc: func(a *API) placedService[domain.User, domain.UserInput, domain.UserFilter] {
			s := a.svc.users
			return placedService[domain.User, domain.UserInput, domain.UserFilter]{s.ListUsers, s.CreateUser, s.User, s.UpdateUser, s.DeleteUser}
		},
	}
	assets = placed[domain.Asset, domain.AssetInput, domain.AssetFilter, any]{
		kind: assetKind, order: listquery.AssetsByName, out: wire.Of[domain.Asset],
		filter: func(customerID, entityID string, limit int, cursor *domain.Cursor) domain.AssetFilter {
			return domain.AssetFilter{CustomerID: customerID, EntityID: entityID, Limit: limit, Cursor: cursor}
		},
		svc: func(a *API) placedService[domain.Asset, domain.AssetInput, domain.AssetFilter] {
			s := a.svc.assets
			return placedService[domain.Asset, domain.AssetInput, domain.AssetFilter]{s.ListAssets, s.CreateAsset, s.Asset, s.UpdateAsset, s.DeleteAsset}
		},
	}
)

func (p placed[R, In, F, J]) listRoute(a *API, w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r, p.order)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := p.svc(a).list(r.Context(), p.filter(q.Get("customer_id"), q.Get("entity_id"), limit, cursor))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(page.Items, p.out, p.order, page.Next, page.Total, page.TotalExact))
}

func (p placed[R, In, F, J]) createRoute(a *API, w http.ResponseWriter, r *http.Request) error {
	return p.create(w, r, p.svc(a).create)
}

func (p placed[R, In, F, J]) getRoute(a *API, w http.ResponseWriter, r *http.Request) error {
	return p.get(w, r, func(ctx context.Context) (R, error) { return p.svc(a).read(ctx, r.PathValue("id")) })
}

func (p placed[R, In, F, J]) patchRoute(a *API, w http.ResponseWriter, r *http.Request) error {
	return p.patch(w, r, func(ctx context.Context, version int64, apply func(In) (In, error)) (R, error) {
		return p.svc(a).update(ctx, r.PathValue("id"), version, apply)
	})
}

func (p placed[R, In, F, J]) deleteRoute(a *API, w http.ResponseWriter, r *http.Request) error {
	return remove(w, r, func(ctx context.Context, version int64) error {
		return p.svc(a).remove(ctx, r.PathValue("id"), version)
	})
}
