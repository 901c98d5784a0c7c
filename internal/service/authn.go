package service

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// FirstStart is what the operator configured for the first start of an empty
// store.
type FirstStart struct {
	// OrgName names the organization; kept as is when empty.
	OrgName string
	// MSPDisabled starts the deployment single-tenant. It is only read at
	// the first start; later the setting is changed through the API.
	MSPDisabled bool
	// Admin, when its email is set, is created as the first organization
	// admin if the store has no users.
	Admin domain.AdminInput
}

// Bootstrap prepares the store at process start. On the first start it
// applies the configured organization settings. If the store has no users it
// creates the configured admin, or, with none configured, a one-time setup
// token that it returns so the caller can print the setup URL. It returns ""
// when no setup is pending.
func (s *Service) Bootstrap(ctx context.Context, fs FirstStart) (setupToken string, err error) {
	system := domain.Principal{Email: "system"}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		initialized, err := tx.OrgInitialized(ctx)
		if err != nil {
			return err
		}
		if !initialized {
			before, err := tx.Org(ctx)
			if err != nil {
				return err
			}
			after := before
			after.MSPEnabled = !fs.MSPDisabled
			if n := domain.CleanText(fs.OrgName); n != "" {
				after.Name = n
			}
			after.UpdatedAt = s.clock()
			if err := tx.UpdateOrg(ctx, after); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, system, "org.initialize", "org", "", "", before, after); err != nil {
				return err
			}
		}
		n, err := tx.CountUsers(ctx)
		if err != nil || n > 0 {
			return err
		}
		if fs.Admin.Email != "" {
			_, err := s.createAdmin(ctx, tx, system, fs.Admin)
			return err
		}
		setupToken = auth.NewSecret()
		return tx.CreateSetupToken(ctx, domain.SetupToken{Hash: auth.HashSecret(setupToken), CreatedAt: s.clock()})
	})
	return setupToken, err
}

func (s *Service) createAdmin(ctx context.Context, tx store.Tx, actor domain.Principal, in domain.AdminInput) (domain.User, error) {
	email, name, err := in.Validate()
	if err != nil {
		return domain.User{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return domain.User{}, err
	}
	now := s.clock()
	u := domain.User{
		ID: newID(), Email: email, Name: name, Kind: domain.KindUser, Role: domain.RoleOrgAdmin,
		IsActive: true, PasswordHash: hash, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if err := tx.CreateUser(ctx, u); err != nil {
		return domain.User{}, err
	}
	if err := moveUsage(ctx, tx, "", nil, "", u.Usage()); err != nil {
		return domain.User{}, err
	}
	return u, s.audit(ctx, tx, actor, "user.create", "user", u.ID, "", nil, userSnapshot(u))
}

// userSnapshot is the audit form of a user: never the password hash.
func userSnapshot(u domain.User) map[string]any {
	return map[string]any{"id": u.ID, "email": u.Email, "name": u.Name, "kind": u.Kind, "role": u.Role,
		"customer_id": u.CustomerID, "is_active": u.IsActive}
}

// SetupPending reports whether the one-time setup of the first admin is
// still open.
func (s *Service) SetupPending(ctx context.Context) (bool, error) {
	var n int64
	err := s.store.Read(ctx, func(tx store.Tx) (err error) {
		n, err = tx.CountUsers(ctx)
		return err
	})
	return n == 0, err
}

// CompleteSetup creates the first organization admin with the one-time setup
// token and signs them in. It fails with ENotFound for a wrong or used token.
func (s *Service) CompleteSetup(ctx context.Context, token string, in domain.AdminInput) (sessionSecret string, p domain.Principal, err error) {
	err = s.store.Write(ctx, func(tx store.Tx) error {
		ok, err := tx.SetupTokenExists(ctx, auth.HashSecret(token))
		if err != nil {
			return err
		}
		n, err := tx.CountUsers(ctx)
		if err != nil {
			return err
		}
		if !ok || n > 0 {
			return domain.Errorf(domain.ENotFound, "This setup link is not valid or was already used.")
		}
		u, err := s.createAdmin(ctx, tx, domain.Principal{Email: "setup"}, in)
		if err != nil {
			return err
		}
		if err := tx.DeleteSetupTokens(ctx); err != nil {
			return err
		}
		if sessionSecret, err = s.newSession(ctx, tx, u); err != nil {
			return err
		}
		p, err = principalOf(ctx, tx, u)
		return err
	})
	return sessionSecret, p, err
}

// errBadLogin is the one answer to every failed sign-in, so that it does not
// tell which part was wrong or whether the account exists.
var errBadLogin = domain.Errorf(domain.EUnauthorized, "The email or password is not correct, or the account is not active.")

// Login checks an email and password and opens a session. It returns the
// session secret for the cookie; only its hash is stored.
func (s *Service) Login(ctx context.Context, email, password string) (sessionSecret string, p domain.Principal, err error) {
	email = domain.NormalizeLogin(email)
	var u domain.User
	err = s.store.Read(ctx, func(tx store.Tx) error {
		var err error
		u, err = tx.UserByEmail(ctx, email)
		if domain.ErrorCode(err) == domain.ENotFound {
			u = domain.User{}
			return nil
		}
		return err
	})
	if err != nil {
		return "", p, err
	}
	// Always hash, so that a missing account takes as long as a wrong password.
	if !auth.CheckPassword(password, u.PasswordHash) || u.ID == "" {
		return "", p, errBadLogin
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := s.checkActive(ctx, tx, u); err != nil {
			return errBadLogin
		}
		var err error
		if sessionSecret, err = s.newSession(ctx, tx, u); err != nil {
			return err
		}
		p, err = principalOf(ctx, tx, u)
		return err
	})
	return sessionSecret, p, err
}

func (s *Service) newSession(ctx context.Context, tx store.Tx, u domain.User) (string, error) {
	secret := auth.NewSecret()
	now := s.clock()
	err := tx.CreateSession(ctx, domain.Session{IDHash: auth.HashSecret(secret), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(domain.SessionLifetime)})
	return secret, err
}

// checkActive fails if the user, or the customer it belongs to, is inactive
// or gone. It runs on every authenticated request, so deactivating either
// stops sessions and tokens at once.
func (s *Service) checkActive(ctx context.Context, tx store.Tx, u domain.User) error {
	if !u.IsActive {
		return errBadLogin
	}
	if u.CustomerID != "" {
		c, err := tx.Customer(ctx, domain.OrgScope, u.CustomerID)
		if err != nil || !c.IsActive {
			return errBadLogin
		}
	}
	return nil
}

// principalOf returns the principal of u with its role's permissions; a
// role missing from the catalog grants nothing.
func principalOf(ctx context.Context, tx store.Tx, u domain.User) (domain.Principal, error) {
	p := domain.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Kind: u.Kind, Role: u.Role,
		CustomerID: u.CustomerID, EntityIDs: u.EntityIDs}
	r, err := catalogRole(ctx, tx, u.Role)
	switch {
	case err == nil:
		p.Permissions, p.RoleScope = r.Permissions, r.Scope
	case domain.ErrorCode(err) != domain.ENotFound:
		return p, err
	}
	return p, nil
}

// errSignedOut is returned for missing, expired or revoked credentials.
var errSignedOut = domain.Errorf(domain.EUnauthorized, "Your session has ended; sign in again.")

// AuthenticateSession returns the principal of a session secret.
func (s *Service) AuthenticateSession(ctx context.Context, secret string) (domain.Principal, error) {
	var p domain.Principal
	err := s.store.Read(ctx, func(tx store.Tx) error {
		sess, err := tx.Session(ctx, auth.HashSecret(secret), s.clock())
		if err != nil {
			return errSignedOut
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return errSignedOut
		}
		if err := s.checkActive(ctx, tx, u); err != nil {
			return errSignedOut
		}
		if p, err = principalOf(ctx, tx, u); err != nil {
			return err
		}
		p.SessionID = sess.IDHash
		return nil
	})
	return p, err
}

// tokenTouchInterval limits how often a token's last use is written, so
// that busy API clients do not turn every read into a write.
const tokenTouchInterval = time.Minute

// AuthenticateToken returns the principal of an API token secret.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (domain.Principal, error) {
	var p domain.Principal
	var touch string
	err := s.store.Read(ctx, func(tx store.Tx) error {
		if !auth.LooksLikeToken(secret) {
			return errSignedOut
		}
		k, err := tx.TokenByHash(ctx, auth.HashSecret(secret))
		if err != nil {
			return errSignedOut
		}
		u, err := tx.User(ctx, k.UserID)
		if err != nil {
			return errSignedOut
		}
		if err := s.checkActive(ctx, tx, u); err != nil {
			return errSignedOut
		}
		if p, err = principalOf(ctx, tx, u); err != nil {
			return err
		}
		p.TokenID = k.ID
		if k.LastUsedAt == nil || s.clock().Sub(*k.LastUsedAt) > tokenTouchInterval {
			touch = k.ID
		}
		return nil
	})
	if err == nil && touch != "" {
		if terr := s.store.Write(ctx, func(tx store.Tx) error { return tx.TouchToken(ctx, touch, s.clock()) }); terr != nil {
			s.log.WarnContext(ctx, "recording token use", "err", terr)
		}
	}
	return p, err
}

// Logout ends the caller's session. It is a no-op for token callers.
func (s *Service) Logout(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil || p.SessionID == "" {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, p.SessionID) })
}

// Me returns the caller.
func (s *Service) Me(ctx context.Context) (domain.Principal, error) { return principal(ctx) }

// CreateToken creates an API token for the caller and returns it with its
// secret, which is never shown again.
func (s *Service) CreateToken(ctx context.Context, name string) (domain.Token, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return domain.Token{}, "", err
	}
	name = domain.CleanText(name)
	var fe domain.FieldErrors
	if name == "" {
		fe.Add("name", domain.FieldRequired, "Give the token a name that says where it is used.")
	} else if domain.Len(name) > domain.MaxTokenName {
		fe.Add("name", domain.FieldTooLong, "Must be at most 100 characters.")
	}
	if err := fe.Err(); err != nil {
		return domain.Token{}, "", err
	}
	secret := auth.NewToken()
	k := domain.Token{ID: newID(), UserID: p.UserID, Name: name, Hash: auth.HashSecret(secret),
		Prefix: secret[:len(auth.TokenPrefix)+6], CreatedAt: s.clock()}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.CreateToken(ctx, k); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "token.create", "token", k.ID, p.CustomerID, nil, map[string]any{"id": k.ID, "name": k.Name, "prefix": k.Prefix})
	})
	return k, secret, err
}

// Tokens lists the caller's API tokens (never their secrets).
func (s *Service) Tokens(ctx context.Context) ([]domain.Token, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.Token
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = tx.Tokens(ctx, p.UserID)
		return err
	})
	return out, err
}

// RevokeToken deletes one of the caller's API tokens; it stops working at
// once.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.DeleteToken(ctx, p.UserID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "token.revoke", "token", id, p.CustomerID, map[string]any{"id": id}, nil)
	})
}

// DeleteExpiredSessions removes sessions past their expiry. The server runs
// it periodically; expired sessions are refused either way, this only keeps
// the table small.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.store.Write(ctx, func(tx store.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(ctx, s.clock())
		return err
	})
	return n, err
}

// SetupTokenValid reports whether token is the current one-time setup token
// and setup is still pending, without using it.
func (s *Service) SetupTokenValid(ctx context.Context, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	var ok bool
	err := s.store.Read(ctx, func(tx store.Tx) error {
		n, err := tx.CountUsers(ctx)
		if err != nil || n > 0 {
			return err
		}
		ok, err = tx.SetupTokenExists(ctx, auth.HashSecret(token))
		return err
	})
	return ok, err
}
