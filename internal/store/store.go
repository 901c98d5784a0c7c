// Package store declares the storage interface that the service layer uses
// and that internal/store/sqlite and internal/store/postgres implement.
// Business rules do not live here: a Store keeps records, enforces the
// database constraints that back the rules (uniqueness of live names and
// codes), and applies the Scope it is given in SQL.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// Store opens transactions. One use case of the service layer is one
// transaction.
type Store interface {
	// Write runs fn in a read-write transaction and commits it if fn returns
	// nil. On SQLite the transaction is begun IMMEDIATE, so writers are
	// serialized; on PostgreSQL it runs at READ COMMITTED and rows that guard
	// invariants are locked explicitly.
	Write(ctx context.Context, fn func(Tx) error) error
	// Read runs fn in a read-only transaction. On SQLite (WAL) the whole
	// transaction reads one snapshot of the database; on PostgreSQL each
	// statement reads its own (READ COMMITTED) unless ctx asks for one
	// snapshot (WithSnapshot).
	Read(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Tx is one transaction: the per-aggregate interfaces below, embedded in
// one, so that a helper takes the narrow one it needs. Methods return *domain.Error values with ENotFound
// for missing rows (never nil, nil), EInvalid with code "taken" for a unique
// violation of a live name or code, and other errors unchanged.
//
// In a write transaction every read of one record by id (Customer, Entity,
// Asset, User, ScopedUser) holds that row until the transaction ends
// (PostgreSQL: FOR UPDATE), so a write is computed from the row it
// replaces and a concurrent writer of the same row waits for it. Every
// Update and Trash guards itself as well: its WHERE names the row, its
// liveness, the scope and the version it replaces, and a statement that
// changes nothing is ENotFound or EPrecondition, never a silent success.
//
// Locks are taken in one order by every use case: customers' rows (in id
// order, LockCustomers), then records (in id order), then entities, then
// customers' license rows, then the organization's license rows (in
// domain.LicenseTypes order). Taking them in one order is what keeps two
// writers from waiting on each other.
type Tx interface {
	LockTx
	OrgTx
	CustomerTx
	EntityTx
	UserTx
	CredentialTx
	AssetTx
	RoleTx
	LicenseTx
	LogoTx
	DashboardTx
	ReportTx
	IdempotencyTx
	AuditTx
	TrashTx
}

// LockTx takes the locks that order concurrent writers.
type LockTx interface {
	// LockCustomers holds the rows of the given live customers, taken in
	// id order, until the transaction ends. Unknown ids are ignored.
	LockCustomers(ctx context.Context, ids []string) error
	// AssetCustomers returns the distinct customers ("" for the
	// organization) that the given live assets are mapped to now, without
	// locking: a use case reads them to know which customers to lock.
	AssetCustomers(ctx context.Context, ids []string) ([]string, error)
	// UserCustomers is AssetCustomers for users.
	UserCustomers(ctx context.Context, ids []string) ([]string, error)
}

// OrgTx reads and writes the organization row.
type OrgTx interface {
	// LockOrg locks the organization row until the transaction ends
	// (PostgreSQL; SQLite's one writer serializes anyway): the one-time
	// setup takes it so that two setups cannot both see no users, and a pool
	// change given the pool its form showed (SetOrgPoolSeen) so that its
	// check and its change are one step. Taken before any other lock.
	LockOrg(ctx context.Context) error
	// Org returns the organization row. It exists from the first migration.
	Org(ctx context.Context) (domain.Org, error)
	// OrgInitialized reports whether first-start settings were applied.
	OrgInitialized(ctx context.Context) (bool, error)
	// UpdateOrg writes the organization row, marks it initialized and bumps
	// its version.
	UpdateOrg(ctx context.Context, o domain.Org) error
}

// UserTx keeps users.
type UserTx interface {
	// CountUsers counts all users, live or not.
	CountUsers(ctx context.Context) (int64, error)
	// CreateUser inserts u with the entities it is narrowed to and counts it
	// on its customer. A taken email is EInvalid "taken" on "email".
	CreateUser(ctx context.Context, u domain.User) error
	// UserByEmail finds a live user by its stored (normalized) email, with
	// the entities it is narrowed to.
	UserByEmail(ctx context.Context, email string) (domain.User, error)
	// User finds a live user by id, unscoped: for authentication only.
	User(ctx context.Context, id string) (domain.User, error)
	// EndCustomerSessions deletes every session and API token of the
	// customer's users and advances their credentials epochs, so that no
	// sign-in racing the change leaves a session behind.
	EndCustomerSessions(ctx context.Context, customerID string) error
	// ScopedUser finds a live user (of a live customer, if any) in scope.
	ScopedUser(ctx context.Context, scope domain.Scope, id string) (domain.User, error)
	// UpdateUser writes u over the live user in scope whose version is
	// u.Version-1 (EPrecondition otherwise), with its entities, moving its
	// count when its customer changes.
	UpdateUser(ctx context.Context, scope domain.Scope, u domain.User) error
	// TrashUser marks the live user in scope at version deleted at t and
	// ends its sessions (EPrecondition if its version differs).
	TrashUser(ctx context.Context, scope domain.Scope, id string, version int64, t time.Time) error
	// Users lists live users in scope by email.
	Users(ctx context.Context, scope domain.Scope, f domain.UserFilter) (domain.UserPage, error)
}

// CredentialTx keeps what signs people in: sessions, API tokens, the one-time
// setup token and the sign-in counters.
type CredentialTx interface {
	// SigninCredentials returns the password hash and credentials epoch of
	// the live user with the stored (normalized) email, read together.
	SigninCredentials(ctx context.Context, email string) (domain.Credentials, error)
	// EndUserCredentials advances the user's credentials epoch and deletes
	// its sessions and API tokens, all but the session keepSession (the
	// hash of its id; "" for none), which is moved to the new epoch.
	EndUserCredentials(ctx context.Context, userID, keepSession string) error

	// CreateSession stores a session for its user only if that user is
	// live, active and still at s.CredentialsEpoch; ENotFound otherwise.
	CreateSession(ctx context.Context, s domain.Session) error
	// Session finds a live (unexpired at now) session by the hash of its
	// id, only while its epoch is still its user's.
	Session(ctx context.Context, idHash string, now time.Time) (domain.Session, error)
	// DeleteSession removes a session; removing a missing one is not an error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	// CreateToken stores an API token only if its user is live, active and
	// still at t.CredentialsEpoch; ENotFound otherwise.
	CreateToken(ctx context.Context, t domain.Token) error
	// Tokens lists a user's tokens, newest first.
	Tokens(ctx context.Context, userID string) ([]domain.Token, error)
	// TokenByHash finds a token by the hash of its secret, only while its
	// epoch is still its user's.
	TokenByHash(ctx context.Context, hash string) (domain.Token, error)
	// TouchToken records that a token was used at t.
	TouchToken(ctx context.Context, id string, t time.Time) error
	// DeleteToken removes one of userID's tokens; ENotFound if it has none
	// with that id.
	DeleteToken(ctx context.Context, userID, id string) error

	// CreateSetupToken replaces the one-time setup token.
	CreateSetupToken(ctx context.Context, t domain.SetupToken) error
	// SetupTokenExists reports whether hash is the current setup token and
	// was created after createdAfter.
	SetupTokenExists(ctx context.Context, hash string, createdAfter time.Time) (bool, error)
	// ConsumeSetupToken deletes the setup token hash if it was created
	// after createdAfter; ENotFound if there was none to delete. On
	// PostgreSQL the DELETE's row lock lets one of concurrent consumers
	// through; the others find nothing.
	ConsumeSetupToken(ctx context.Context, hash string, createdAfter time.Time) error
	// DeleteSetupTokens removes every setup token.
	DeleteSetupTokens(ctx context.Context) error

	// SigninCounter returns the sign-in counter of key, created empty if
	// missing, and locks it until the transaction ends (PostgreSQL). Lock
	// an account's key before an address's, so that two sign-ins never
	// wait on each other in a cycle.
	SigninCounter(ctx context.Context, key string) (domain.SigninCounter, error)
	// PutSigninCounter writes a counter read by SigninCounter.
	PutSigninCounter(ctx context.Context, c domain.SigninCounter) error
	// DeleteSigninCounter removes a counter; a missing one is not an error.
	DeleteSigninCounter(ctx context.Context, key string) error
	// DeleteStaleSigninCounters removes counters whose window began before
	// before and that block nothing after it.
	DeleteStaleSigninCounters(ctx context.Context, before time.Time) (int64, error)
}

// CustomerTx keeps customers.
type CustomerTx interface {
	// CreateCustomer inserts a customer with its first entities and its
	// license rows (IDs, times and Version 1 set by the caller), and takes
	// its allocation from the organization's pool last, refusing (license
	// excess) one beyond the pool. Call it after the write's other
	// statements: the organization's rows it takes are held to the commit.
	CreateCustomer(ctx context.Context, nc NewCustomer) error
	// Customer finds a live customer in scope.
	Customer(ctx context.Context, scope domain.Scope, id string) (domain.Customer, error)
	// CustomerTaken reports which of name and code (compared folded) are
	// held by a live customer other than exceptID.
	CustomerTaken(ctx context.Context, nameKey, codeKey, exceptID string) (nameTaken, codeTaken bool, err error)
	// UpdateCustomer writes c over the live customer with c.ID whose version
	// is c.Version-1. EPrecondition if the stored version differs, ENotFound
	// if there is no such live customer in scope.
	UpdateCustomer(ctx context.Context, scope domain.Scope, c domain.Customer) error
	// TrashCustomer marks the live customer id as deleted at t.
	TrashCustomer(ctx context.Context, scope domain.Scope, id string, t time.Time) error
	// Customers lists live customers in scope.
	Customers(ctx context.Context, scope domain.Scope, f domain.CustomerFilter) (domain.CustomerPage, error)
	// CountCustomers counts customers, in trash or not.
	CountCustomers(ctx context.Context) (int64, error)
}

// EntityTx keeps entities.
type EntityTx interface {
	// CreateEntities inserts entities of one live customer and adds their
	// number to the customer's entities count.
	CreateEntities(ctx context.Context, customerID string, es []domain.Entity) error
	// Entity finds a live entity of a live customer in scope.
	Entity(ctx context.Context, scope domain.Scope, customerID, id string) (domain.Entity, error)
	// EntityTaken reports which of name and code (folded; code may be "")
	// are held by a live entity of customerID other than exceptID.
	EntityTaken(ctx context.Context, customerID, nameKey, codeKey, exceptID string) (nameTaken, codeTaken bool, err error)
	// UpdateEntity writes e over the live entity whose version is
	// e.Version-1: EPrecondition if it differs, ENotFound if out of scope.
	UpdateEntity(ctx context.Context, scope domain.Scope, e domain.Entity) error
	// TrashEntity marks a live entity deleted at t and subtracts one from
	// its customer's entities count.
	TrashEntity(ctx context.Context, scope domain.Scope, customerID, id string, t time.Time) error
	// NarrowedCounts counts, exactly, the live entities, assets and users
	// of a scope narrowed to some entities of one customer: what the
	// customer's kept counts are for a caller who sees all of it.
	NarrowedCounts(ctx context.Context, scope domain.Scope) (entities, assets, users int64, err error)
	// EntityHolders counts the live assets mapped to an entity and the live
	// users narrowed to it.
	EntityHolders(ctx context.Context, entityID string) (assets, users int64, err error)
	// Entities lists the live entities of a customer in scope, by name.
	Entities(ctx context.Context, scope domain.Scope, customerID string, f domain.EntityFilter) (domain.EntityPage, error)
}

// AssetTx keeps assets.
type AssetTx interface {
	// CreateAsset inserts a (ID, times, Version 1 set by the caller) and
	// counts it on its customer. The caller has checked that the customer
	// and entity are live, in scope and belong together.
	CreateAsset(ctx context.Context, a domain.Asset) error
	// Asset finds a live asset in scope (whose customer, if any, is live).
	Asset(ctx context.Context, scope domain.Scope, id string) (domain.Asset, error)
	// UpdateAsset writes a over the live asset in scope whose version is
	// a.Version-1 (EPrecondition otherwise), moving its count when its
	// customer changes.
	UpdateAsset(ctx context.Context, scope domain.Scope, a domain.Asset) error
	// TrashAsset marks the live asset in scope at version deleted at t
	// (EPrecondition if its version differs).
	TrashAsset(ctx context.Context, scope domain.Scope, id string, version int64, t time.Time) error
	// Assets lists live assets in scope by name.
	Assets(ctx context.Context, scope domain.Scope, f domain.AssetFilter) (domain.AssetPage, error)
}

// RoleTx keeps the custom roles.
type RoleTx interface {
	// CustomRoles lists the organization's custom roles by name; the
	// built-in catalog lives in code (domain.BuiltinRoles).
	CustomRoles(ctx context.Context) ([]domain.Role, error)
	// CustomRole finds a custom role by key.
	CustomRole(ctx context.Context, key string) (domain.Role, error)
	// CreateRole inserts a custom role created at now.
	CreateRole(ctx context.Context, r domain.Role, now time.Time) error
	// DeleteRole removes a custom role; ENotFound if there is none.
	DeleteRole(ctx context.Context, key string) error
	// RoleHolders counts the live users holding role key and the live
	// customers whose admin role it is.
	RoleHolders(ctx context.Context, key string) (users, customers int64, err error)
	// CustomerUserRoles lists the distinct roles the live users of a
	// customer hold.
	CustomerUserRoles(ctx context.Context, customerID string) ([]string, error)
}

// LicenseTx keeps the organization's pool and the customers' allocations and use.
type LicenseTx interface {
	// OrgLicenses returns the organization's license types in display
	// order: pool, allocated, used by everyone and by records of no customer.
	OrgLicenses(ctx context.Context) ([]domain.OrgLicense, error)
	// SetPool sets a type's pool (nil: unlimited), refusing (license
	// excess) one below what customers are allocated plus what the
	// organization's own records use.
	SetPool(ctx context.Context, typ string, pool *int64) error
	// CustomerLicenses returns a live customer's allocation and use per
	// type, in display order.
	CustomerLicenses(ctx context.Context, scope domain.Scope, customerID string) ([]domain.CustomerLicense, error)
	// SetAllocation sets a live customer's allocation of the given types,
	// refusing (license excess) one below its use or beyond the pool.
	SetAllocation(ctx context.Context, customerID string, alloc map[string]int64) error
	// AddUsage adds delta to what customerID ("" for the organization's own
	// records) uses, refusing (license excess) use beyond its allocation or,
	// for the organization, beyond the unallocated pool. Decreases always
	// succeed. Creating a customer gives it zero of every type; trashing it
	// returns its allocation and takes its use out of the totals.
	AddUsage(ctx context.Context, customerID string, delta domain.Licenses) error
}

// LogoTx keeps logos and logo drafts.
type LogoTx interface {
	// CustomerLogos returns what is stored of the logos of the given live
	// customers in scope (no image bytes), by customer and kind.
	CustomerLogos(ctx context.Context, scope domain.Scope, customerIDs []string) ([]domain.LogoInfo, error)
	// LogoImage returns one image of a live customer's logo in scope: the
	// display rendition, or the upload when original is set. Data is nil
	// when the image's hash is one of skip (the caller holds it already).
	// ENotFound when the customer or the logo is not there.
	LogoImage(ctx context.Context, scope domain.Scope, customerID, kind string, original bool, skip []string) (domain.LogoImage, error)
	// PutLogo stores l as its customer's logo of its kind, replacing any
	// before it, only while the customer is live and in scope (ENotFound
	// otherwise: the statement's own WHERE decides).
	PutLogo(ctx context.Context, scope domain.Scope, l domain.Logo) error
	// DeleteLogo removes a live customer's logo in scope; ENotFound if it
	// has none of that kind.
	DeleteLogo(ctx context.Context, scope domain.Scope, customerID, kind string) error
	// OrgLogos returns what is stored of the organization's logos.
	OrgLogos(ctx context.Context) ([]domain.LogoInfo, error)
	// OrgLogoImage returns one image of the organization's logo of kind,
	// as LogoImage does a customer's.
	OrgLogoImage(ctx context.Context, kind string, original bool, skip []string) (domain.LogoImage, error)
	// PutOrgLogo stores l as the organization's logo of its kind.
	PutOrgLogo(ctx context.Context, l domain.Logo) error
	// DeleteOrgLogo removes the organization's logo of kind; ENotFound if
	// there is none.
	DeleteOrgLogo(ctx context.Context, kind string) error
	// PutLogoDraft stages a logo for userID (a logo chosen before its
	// customer exists) under id, and deletes that person's drafts older
	// than before and all but their newest keep.
	PutLogoDraft(ctx context.Context, userID, id string, l domain.Logo, before time.Time, keep int) error
	// LogoDraft returns a draft staged by userID: the display rendition's
	// bytes in Display, and Original only when withOriginal is set.
	// ENotFound for another person's draft or one that is gone.
	LogoDraft(ctx context.Context, userID, id string, withOriginal bool) (domain.Logo, error)
	// DeleteLogoDraft removes a draft staged by userID; ENotFound if none.
	DeleteLogoDraft(ctx context.Context, userID, id string) error
}

// DashboardTx reads what dashboards show and keeps the usage history.
type DashboardTx interface {
	// SnapshotUsage writes day's row of the license-usage history for
	// every live customer and license type — its allocation and use now,
	// taken at takenAt — except the rows the day already has (another
	// run's, on any node: one set-based INSERT with ON CONFLICT DO
	// NOTHING), and deletes the days before keepFrom. Days are UTC
	// "YYYY-MM-DD".
	SnapshotUsage(ctx context.Context, day string, takenAt time.Time, keepFrom string) (written, pruned int64, err error)
	// DashboardOverview counts, in scope, the live entities, assets (by
	// class) and users (by kind and state) of the live customer
	// customerID, or of every live customer when it is "" (records of no
	// customer are not counted), and lists the top entities by assets.
	DashboardOverview(ctx context.Context, scope domain.Scope, customerID string, top int) (domain.Overview, error)
	// LicenseUse returns, per license type in display order, the
	// allocation and use of the live customer customerID in scope, or
	// their sum over every live customer when it is "".
	LicenseUse(ctx context.Context, scope domain.Scope, customerID string) ([]domain.LicenseUse, error)
	// UsageHistory returns the history's points from day from to day to,
	// of customerID or summed over every customer when it is "" (those
	// since trashed included: they counted then), by day and type.
	UsageHistory(ctx context.Context, scope domain.Scope, customerID, from, to string) ([]domain.UsagePoint, error)
	// NearLimit returns the live customers whose use is closest to their
	// allocation — by the highest used/allocated of their types — at most
	// limit of them, closest first. Organization-wide: for organization
	// callers only.
	NearLimit(ctx context.Context, limit int) ([]domain.NearLimit, error)
}

// ReportTx streams the rows of reports.
type ReportTx interface {
	// Reports (API.md "Reports") read live records of live customers in
	// scope, of customerID only when it is not "", and hand them to fn one
	// at a time as the cursor yields them, in the report's order; an error
	// from fn stops the read and is returned.
	//
	// ReportLicenses yields every license type of every customer, by
	// customer name and type display order.
	ReportLicenses(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.LicenseLine) error) error
	// ReportAssets yields assets (the organization's own first when
	// customerID is ""), by customer name, entity name (none first),
	// class and name.
	ReportAssets(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.AssetLine) error) error
	// ReportAssetTally yields the count of assets per customer, entity
	// and class, in ReportAssets order.
	ReportAssetTally(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.AssetTally) error) error
	// ReportUsers yields users (the organization's own first when
	// customerID is ""), by customer name, the names of their entities
	// (whole customer first), kind, role and email.
	ReportUsers(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.UserLine) error) error
	// ReportEntities yields entities by customer name and entity name.
	ReportEntities(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.EntityLine) error) error
}

// IdempotencyTx keeps the answers of requests sent with an Idempotency-Key.
type IdempotencyTx interface {
	// IdempotencyKey returns what is kept of userID's key (locked for the
	// transaction's writes); ENotFound if none.
	IdempotencyKey(ctx context.Context, userID, keyHash string) (domain.IdempotentRecord, error)
	// ReserveIdempotencyKey keeps r as a request being run; false if the
	// key is kept already (by a request that committed first).
	ReserveIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) (bool, error)
	// RenewIdempotencyKey makes a kept key r's again, as a request being
	// run (it expired, or its first request died).
	RenewIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) error
	// CompleteIdempotencyKey keeps r's answer for its key, if the key is
	// still r's request.
	CompleteIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) error
	// DeleteIdempotencyKey forgets a key whose request is still running
	// (it failed: a retry should run again).
	DeleteIdempotencyKey(ctx context.Context, userID, keyHash string) error
	// DeleteExpiredIdempotencyKeys forgets the keys kept since before.
	DeleteExpiredIdempotencyKeys(ctx context.Context, before time.Time) (int64, error)
}

// AuditTx keeps the audit log.
type AuditTx interface {
	// AppendAudit records changes.
	AppendAudit(ctx context.Context, es ...domain.AuditEntry) error
	// ListAudit lists the entries f selects within scope, newest first.
	ListAudit(ctx context.Context, scope domain.Scope, f domain.AuditFilter) ([]domain.AuditEntry, error)
	// Audit lists entries newest first, optionally of one customer.
	Audit(ctx context.Context, customerID string, limit int) ([]domain.AuditEntry, error)
}

// TrashTx lists, restores and purges what is in trash.
type TrashTx interface {
	// TrashedCustomers lists customers in trash, the latest deleted first,
	// after the customer before ("" for the first page).
	TrashedCustomers(ctx context.Context, limit int, before string) ([]domain.Customer, error)
	// TrashedCustomer returns a customer in trash, locked; ENotFound if it
	// is not in trash.
	TrashedCustomer(ctx context.Context, id string) (domain.Customer, error)
	// RestoreCustomer brings c (in trash) back live under c's name and
	// code: its allocation is taken from the pool again (license excess,
	// naming every type, when the pool lacks room) and its use counted.
	RestoreCustomer(ctx context.Context, c domain.Customer, at time.Time) error
	// PurgeCustomer erases a customer in trash and everything of it: its
	// entities, users (with their sessions, tokens and drafts), assets,
	// license rows, logos, usage history, idempotency keys, and every audit
	// entry of it or its people. ENotFound if it is not in trash.
	PurgeCustomer(ctx context.Context, id string) error
	// TrashedUsers lists the users in scope deleted on their own (their
	// customer, if any, live), the latest deleted first, after the user
	// before ("" for the first page).
	TrashedUsers(ctx context.Context, scope domain.Scope, limit int, before string) ([]domain.User, error)
	// TrashedUser returns such a user, locked; ENotFound if there is none.
	TrashedUser(ctx context.Context, scope domain.Scope, id string) (domain.User, error)
	// RestoreUser brings a user in trash back live, counted again; its
	// licenses are the caller's to take (AddUsage).
	RestoreUser(ctx context.Context, scope domain.Scope, id string, at time.Time) error
	// PurgeUser erases a user in trash: its row, entities, drafts and
	// keys, and the audit entries about it; entries it wrote keep its id
	// but lose its email. ENotFound if it is not in trash.
	PurgeUser(ctx context.Context, scope domain.Scope, id string) error
	// TrashedAssets, TrashedAsset, RestoreAsset and PurgeAsset are the
	// same for assets deleted on their own.
	TrashedAssets(ctx context.Context, scope domain.Scope, limit int, before string) ([]domain.Asset, error)
	TrashedAsset(ctx context.Context, scope domain.Scope, id string) (domain.Asset, error)
	RestoreAsset(ctx context.Context, scope domain.Scope, id string, at time.Time) error
	PurgeAsset(ctx context.Context, scope domain.Scope, id string) error
	// ExpiredTrash returns up to limit records of kind ("customer", "user"
	// or "asset") that have been in trash since before, oldest first.
	ExpiredTrash(ctx context.Context, kind string, before time.Time, limit int) ([]string, error)
}

// ErrRetry is returned by a use case that found, once it held its locks,
// that a row it had read to decide which locks to take changed under it (a
// record moved to another customer meanwhile). Write runs the transaction
// again from the start, a bounded number of times.
var ErrRetry = errors.New("store: a record changed while its locks were taken; run the transaction again")

type snapshotKey struct{}

// WithSnapshot returns ctx asking Read for one snapshot of the database for
// the whole transaction, so that a use case that reads the same rows
// twice, or many pages of them, sees them as of one moment even while
// writers commit (PostgreSQL: REPEATABLE READ, read only; SQLite's read
// transactions are one snapshot anyway). Hold one only as long as needed:
// an open snapshot keeps PostgreSQL's vacuum and SQLite's checkpoints from
// reclaiming what writers replaced meanwhile.
func WithSnapshot(ctx context.Context) context.Context {
	return context.WithValue(ctx, snapshotKey{}, true)
}

// Snapshot reports whether ctx asks Read for one snapshot.
func Snapshot(ctx context.Context) bool {
	v, _ := ctx.Value(snapshotKey{}).(bool)
	return v
}

type tenantKey struct{}

// WithTenant returns ctx confining the store's transactions to one customer
// (customerID "" confines nothing). On PostgreSQL every transaction then
// runs under row-level security for that customer, a second wall behind
// the scope of each query. Authentication sets it for customer-scoped
// callers.
func WithTenant(ctx context.Context, customerID string) context.Context {
	return context.WithValue(ctx, tenantKey{}, customerID)
}

// Tenant returns the customer ctx confines transactions to, or "".
func Tenant(ctx context.Context) string {
	id, _ := ctx.Value(tenantKey{}).(string)
	return id
}

// NewCustomer is a customer as it is registered: its first entities and
// its allocation per license type (types not given are 0) go in with it.
type NewCustomer struct {
	Customer domain.Customer
	Entities []domain.Entity
	Licenses map[string]int64
	// Audit are the registration's audit entries, written with it (in one
	// statement where the database allows).
	Audit []domain.AuditEntry
}
