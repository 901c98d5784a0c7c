package domain

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RoleOrgAdmin is the key of the organization admin, the role that
// bootstraps a deployment; the rest of the catalog is in role.go.
const (
	RoleOrgAdmin = "org_admin"
)

// User kinds (SPEC §2).
const (
	KindUser       = "user"
	KindTechnician = "technician"
)

// Limits of a user's fields.
const (
	MaxUserName     = 100
	MinPassword     = 12
	MaxPassword     = 256
	MaxTokenName    = 100
	MaxOrgName      = 100
	SessionLifetime = 12 * time.Hour
)

// User is a person who signs in. CustomerID empty means an organization
// user. The json tags are the members the API and the archive send
// (internal/wire); the audit snapshot is the service's userSnapshot. The
// password hash is never sent.
type User struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Kind         string     `json:"kind"`
	Role         string     `json:"role"`
	CustomerID   string     `json:"customer_id,omitempty"`
	EntityIDs    []string   `json:"entity_ids"`
	IsActive     bool       `json:"is_active"`
	PasswordHash string     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty" wire:"-"` // set while the user is in trash
	Version      int64      `json:"version"`
}

// Scope is the part of the organization a principal may see: the whole
// organization (CustomerID empty) or one customer, optionally narrowed to
// some of its entities. Every store query on tenant data takes one.
type Scope struct {
	CustomerID string
	EntityIDs  []string
}

// OrgScope is the scope of organization users: everything.
var OrgScope = Scope{}

// IsOrg reports whether the scope is the whole organization.
func (s Scope) IsOrg() bool { return s.CustomerID == "" }

// Principal is the authenticated caller of a service call.
type Principal struct {
	UserID     string
	Email      string
	Name       string
	Kind       string
	Role       string
	CustomerID string
	EntityIDs  []string
	// Permissions and RoleScope are those of Role, resolved from the role
	// catalog when the principal authenticates, so that a custom role's
	// change applies from the next request.
	Permissions []string
	RoleScope   string
	// SessionID or TokenID says how the principal authenticated.
	SessionID string
	TokenID   string
	// CredentialsEpoch is the user's credentials epoch that the session or
	// token was issued under (see Session).
	CredentialsEpoch int64
}

// Scope returns the principal's scope.
func (p Principal) Scope() Scope {
	return Scope{CustomerID: p.CustomerID, EntityIDs: p.EntityIDs}
}

// Can reports whether the principal's role grants action on resource. A
// role whose scope does not match the principal's (a customer role held by
// an organization user, or the reverse) grants nothing.
func (p Principal) Can(resource, action string) bool {
	if p.IsOrgAdmin() {
		return true
	}
	if (p.RoleScope == ScopeCustomer) == (p.CustomerID == "") {
		return false
	}
	return slices.Contains(p.Permissions, Permission(resource, action))
}

// IsOrgAdmin reports whether the principal is an organization admin.
func (p Principal) IsOrgAdmin() bool { return p.CustomerID == "" && p.Role == RoleOrgAdmin }

// Session is a signed-in browser. Only the hash of its secret id is stored.
//
// Every user has a credentials epoch, a counter that changing its password,
// deactivating it or deactivating its customer advances. A session or token
// carries the epoch it was issued under and works only while that is still
// the user's: nothing issued before such a change works after it, even one
// issued by a sign-in that raced the change, and reactivating does not
// bring anything back.
type Session struct {
	IDHash           string
	UserID           string
	CreatedAt        time.Time
	ExpiresAt        time.Time
	CredentialsEpoch int64
}

// Credentials are what a sign-in checks: a live user's password hash and
// its credentials epoch, read together.
type Credentials struct {
	UserID       string
	CustomerID   string // the user's customer, "" for the organization's
	PasswordHash string
	Epoch        int64
}

// SigninCounter counts the sign-in attempts of one key (an account or a
// client address) in a window; while BlockedUntil is after now, further
// attempts are refused.
type SigninCounter struct {
	Key          string
	WindowStart  time.Time
	Failures     int
	BlockedUntil time.Time // zero: not blocked
}

// Token is an API token. Only the hash of its secret is stored; the secret is
// shown once, when the token is created.
type Token struct {
	ID         string
	UserID     string
	Name       string
	Hash       string
	Prefix     string // the first characters of the secret, to recognise it in lists
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// CredentialsEpoch is the user's epoch the token was issued under
	// (see Session).
	CredentialsEpoch int64
}

// Org is the organization's settings row.
type Org struct {
	Name       string
	MSPEnabled bool
	UpdatedAt  time.Time
	Version    int64
}

// SetupToken is the one-time token that creates the first admin in the
// browser when no admin was configured by environment.
type SetupToken struct {
	Hash      string
	CreatedAt time.Time
}

// NormalizeUserEmail checks a user's sign-in email and returns its stored
// form: entirely lower case, so that sign-in and uniqueness ignore case
// (mail systems treat local parts case-insensitively in practice, and two
// accounts differing only in case would be a trap).
func NormalizeUserEmail(email string) (string, bool) {
	e, ok := NormalizeEmail(CleanText(email))
	return strings.ToLower(e), ok
}

// NormalizeLogin cleans an email given at sign-in so it matches the stored
// form.
// Text that is not a valid address (NUL, invalid UTF-8, anything else) comes
// back cleaned by CleanText, which no stored address equals and which is
// safe to look up in either database: such a sign-in fails as any wrong
// email does.
func NormalizeLogin(email string) string {
	if e, ok := NormalizeUserEmail(email); ok {
		return e
	}
	return strings.ToLower(CleanText(email))
}

// passwordProblem says why a new password is refused, or "": it must be
// valid UTF-8 without control characters, so that it can be typed in any
// client and means the same bytes from a form as from JSON (whose decoder
// turns invalid UTF-8 into U+FFFD). Passwords are otherwise taken as given:
// not trimmed, not normalized, any character allowed.
func passwordProblem(p string) string {
	if !utf8.ValidString(p) {
		return "Must be valid UTF-8 text."
	}
	if strings.ContainsFunc(p, unicode.IsControl) {
		return "Must not contain control characters such as NUL, tabs or line breaks."
	}
	return ""
}

// AdminInput is the first organization admin, from env or the setup page.
type AdminInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// Validate checks the admin's fields and returns the cleaned email and name.
func (in AdminInput) Validate() (email, name string, err error) {
	var fe FieldErrors
	email = cleanLine(&fe, "email", in.Email)
	name = cleanName(&fe, "name", in.Name)
	switch {
	case fe.Has("email"):
	case email == "":
		fe.Add("email", FieldRequired, "Email is required.")
	default:
		if e, ok := NormalizeUserEmail(email); ok {
			email = e
		} else {
			fe.Add("email", FieldFormat, "Not a valid email address.")
		}
	}
	switch {
	case fe.Has("name"):
	case name == "":
		fe.Add("name", FieldRequired, "Name is required.")
	default:
		checkLen(&fe, "name", name, MaxUserName)
	}
	if msg := passwordProblem(in.Password); msg != "" {
		fe.Add("password", FieldFormat, msg)
	} else if n := Len(in.Password); n < MinPassword {
		fe.Add("password", FieldTooShort, "Must be at least "+itoa(MinPassword)+" characters.")
	} else if n > MaxPassword {
		fe.Add("password", FieldTooLong, "Must be at most "+itoa(MaxPassword)+" characters.")
	}
	return email, name, fe.Err()
}

// AuditEntry records one change: who, when, what, before and after.
type AuditEntry struct {
	ID         string
	At         time.Time
	ActorID    string
	ActorEmail string
	Action     string // e.g. "customer.create"
	TargetType string // e.g. "customer"
	TargetID   string
	CustomerID string // the tenant the change belongs to, if any
	Before     []byte // JSON, nil when created
	After      []byte // JSON, nil when deleted
	RequestID  string // the request that wrote it; "" from the CLI or a job
	ClientAddr string // the address that request came from
}

// UserFilter selects a page of users, sorted by email.
type UserFilter struct {
	CustomerID string
	EntityID   string
	Limit      int
	Cursor     *Cursor
}

// UserPage is one page of users.
type UserPage = Page[User]

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	CustomerID, ActorID, TargetType, Action string
	// From and To bound the entries' times (From included, To excluded);
	// zero for no bound.
	From, To time.Time
	Limit    int
	// Before is the id after which, going back in time, the page starts
	// ("" for the newest).
	Before string
}

// AuditPage is one page of audit entries; Next is the cursor of the next
// page, "" after the last.
type AuditPage struct {
	Items []AuditEntry
	Next  string
}
