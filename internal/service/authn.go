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
	var admin preparedAdmin
	if fs.Admin.Email != "" {
		// The configured admin matters only while there are no users; its
		// password is hashed now, before the transaction, only then.
		pending, err := s.SetupPending(ctx)
		if err != nil {
			return "", err
		}
		if pending {
			if admin, err = s.prepareAdmin(ctx, fs.Admin); err != nil {
				return "", err
			}
		}
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.LockOrg(ctx); err != nil {
			return err
		}
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
			if admin.hash == "" {
				// The users that existed a moment ago were all removed
				// since: nothing sensible to do but report it.
				return domain.Errorf(domain.EConflict, "The store's users changed during start; start again.")
			}
			_, err := s.createAdmin(ctx, tx, system, admin)
			return err
		}
		setupToken = auth.NewSecret()
		return tx.CreateSetupToken(ctx, domain.SetupToken{Hash: auth.HashSecret(setupToken), CreatedAt: s.clock()})
	})
	return setupToken, err
}

// preparedAdmin is a first admin checked and with its password hashed,
// ready to be created inside a transaction.
type preparedAdmin struct {
	email, name, hash string
}

// prepareAdmin validates in and hashes its password, before any
// transaction begins.
func (s *Service) prepareAdmin(ctx context.Context, in domain.AdminInput) (preparedAdmin, error) {
	email, name, err := in.Validate()
	if err != nil {
		return preparedAdmin{}, err
	}
	hash, err := auth.HashPassword(ctx, in.Password)
	if err != nil {
		return preparedAdmin{}, err
	}
	return preparedAdmin{email: email, name: name, hash: hash}, nil
}

func (s *Service) createAdmin(ctx context.Context, tx store.Tx, actor domain.Principal, in preparedAdmin) (domain.User, error) {
	now := s.clock()
	u := domain.User{
		ID: newID(), Email: in.email, Name: in.name, Kind: domain.KindUser, Role: domain.RoleOrgAdmin,
		IsActive: true, PasswordHash: in.hash, CreatedAt: now, UpdatedAt: now, Version: 1,
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

// SetupLinkLifetime is how long the one-time setup link printed at start
// stays valid. Every start of a store without users prints a new link (and
// the old one stops working), so an expired link is renewed by restarting.
const SetupLinkLifetime = 24 * time.Hour

// errSetupLink is the answer to a setup link that is wrong, used or expired.
var errSetupLink = domain.Errorf(domain.ENotFound, "This setup link was used or has expired. Restart custreg to print a new one if no admin exists yet.")

// CompleteSetup creates the first organization admin with the one-time setup
// token and signs them in. It fails with ENotFound for a wrong, used or
// expired token, and once any user exists. Of concurrent uses of one link
// exactly one succeeds: the token is consumed by a guarded DELETE whose row
// count decides, under the organization row's lock.
func (s *Service) CompleteSetup(ctx context.Context, token string, in domain.AdminInput) (sessionSecret string, p domain.Principal, err error) {
	if token == "" {
		return "", p, errSetupLink
	}
	admin, err := s.prepareAdmin(ctx, in)
	if err != nil {
		return "", p, err
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.LockOrg(ctx); err != nil {
			return err
		}
		if err := tx.ConsumeSetupToken(ctx, auth.HashSecret(token), s.clock().Add(-SetupLinkLifetime)); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return errSetupLink
			}
			return err
		}
		n, err := tx.CountUsers(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return errSetupLink
		}
		u, err := s.createAdmin(ctx, tx, domain.Principal{Email: "setup"}, admin)
		if err != nil {
			return err
		}
		if err := tx.DeleteSetupTokens(ctx); err != nil {
			return err
		}
		if sessionSecret, err = s.newSession(ctx, tx, u, 0); err != nil {
			return err
		}
		p, err = newPrincipal(ctx, tx, u)
		return err
	})
	return sessionSecret, p, err
}

// errBadLogin is the one answer to every failed sign-in, so that it does not
// tell which part was wrong or whether the account exists.
var errBadLogin = domain.Errorf(domain.EUnauthorized, "The email or password is not correct, or the account is not active.")

// Login checks an email and password and opens a session. It returns the
// session secret for the cookie; only its hash is stored.
//
// Sign-in is throttled per account and per client address (the address
// of ctx's domain.Request; none for a call without one): see
// admitSignin. The attempt is counted before the password is checked, so
// that concurrent guessers on any number of nodes get no more checks than
// the limit; a success gives the count back. The password is checked
// outside any transaction, and the session is issued under the
// credentials epoch read with the hash that was checked, so a password
// change or deactivation racing the sign-in leaves no working session.
func (s *Service) Login(ctx context.Context, email, password string) (sessionSecret string, p domain.Principal, err error) {
	email = domain.NormalizeLogin(email)
	at := signinAttempt{email: email, addr: domain.RequestFrom(ctx).ClientAddr}
	if err := s.admitSignin(ctx, at); err != nil {
		return "", p, err
	}
	var cred domain.Credentials
	err = s.store.Read(ctx, func(tx store.Tx) error {
		var err error
		cred, err = tx.SigninCredentials(ctx, email)
		if domain.ErrorCode(err) == domain.ENotFound {
			cred = domain.Credentials{}
			return nil
		}
		return err
	})
	if err != nil {
		return "", p, err
	}
	// Always hash, so that a missing account takes as long as a wrong password.
	ok, err := auth.CheckPassword(ctx, password, cred.PasswordHash)
	if err != nil {
		return "", p, err
	}
	if !ok || cred.UserID == "" {
		reason := "password"
		if cred.UserID == "" {
			reason = "unknown_account"
		}
		return "", p, s.signinFailed(ctx, at, cred, reason)
	}
	var u domain.User
	err = s.store.Write(ctx, func(tx store.Tx) error {
		var err error
		if u, err = tx.User(ctx, cred.UserID); err != nil {
			return err
		}
		if err := s.checkActive(ctx, tx, u); err != nil {
			return err
		}
		if sessionSecret, err = s.newSession(ctx, tx, u, cred.Epoch); err != nil {
			return err
		}
		if err := s.signinSucceeded(ctx, tx, at); err != nil {
			return err
		}
		p, err = newPrincipal(ctx, tx, u)
		if err != nil {
			return err
		}
		p.CredentialsEpoch = cred.Epoch
		// Every sign-in is in the history, in the sign-in's transaction:
		// who, from where (the entry's client address; never the secret).
		return s.audit(ctx, tx, p, "auth.signin", "user", u.ID, u.CustomerID, nil, map[string]any{"email": u.Email})
	})
	switch domain.ErrorCode(err) {
	case domain.ENotFound, domain.EUnauthorized:
		// Gone, inactive, or its credentials changed since they were read.
		return "", domain.Principal{}, s.signinFailed(ctx, at, cred, "inactive_or_changed")
	}
	return sessionSecret, p, err
}

// newSession issues a session of u under its credentials epoch epoch; the
// store refuses it (ENotFound) if u is no longer at that epoch.
func (s *Service) newSession(ctx context.Context, tx store.CredentialTx, u domain.User, epoch int64) (string, error) {
	secret := auth.NewSecret()
	now := s.clock()
	err := tx.CreateSession(ctx, domain.Session{IDHash: auth.HashSecret(secret), UserID: u.ID, CreatedAt: now,
		ExpiresAt: now.Add(domain.SessionLifetime), CredentialsEpoch: epoch})
	return secret, err
}

// checkActive fails if the user, or the customer it belongs to, is inactive
// or gone. It runs on every authenticated request, so deactivating either
// stops sessions and tokens at once.
func (s *Service) checkActive(ctx context.Context, tx store.CustomerTx, u domain.User) error {
	if !u.IsActive {
		return errBadLogin
	}
	if u.CustomerID != "" {
		c, err := tx.Customer(ctx, domain.OrgScope, u.CustomerID)
		if err != nil && domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		if err != nil || !c.IsActive {
			return errBadLogin
		}
	}
	return nil
}

// notFoundIfUnauthorized turns checkActive's refusal into ENotFound, for
// signedOut, and leaves store errors as they are.
func notFoundIfUnauthorized(err error) error {
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return domain.Errorf(domain.ENotFound, "No active user.")
	}
	return err
}

// newPrincipal builds the principal of u with its role's permissions; a
// role missing from the catalog grants nothing.
func newPrincipal(ctx context.Context, tx store.Tx, u domain.User) (domain.Principal, error) {
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

// signedOut maps a failed look-up of credentials: a missing row means the
// caller is signed out; any other error is the store's, returned as it is
// so that it is logged and answered 5xx, not mistaken for a sign-out.
func signedOut(err error) error {
	if domain.ErrorCode(err) == domain.ENotFound {
		return errSignedOut
	}
	return err
}

// AuthenticateSession returns the principal of a session secret.
func (s *Service) AuthenticateSession(ctx context.Context, secret string) (domain.Principal, error) {
	hash := auth.HashSecret(secret)
	if p, ok := s.creds.get(hash, s.clock()); ok {
		return p, nil
	}
	gen := s.creds.generation()
	var p domain.Principal
	var expires time.Time
	err := s.store.Read(ctx, func(tx store.Tx) error {
		sess, err := tx.Session(ctx, hash, s.clock())
		if err != nil {
			return signedOut(err)
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return signedOut(err)
		}
		if err := s.checkActive(ctx, tx, u); err != nil {
			return signedOut(notFoundIfUnauthorized(err))
		}
		if p, err = newPrincipal(ctx, tx, u); err != nil {
			return err
		}
		p.SessionID, p.CredentialsEpoch = sess.IDHash, sess.CredentialsEpoch
		expires = sess.ExpiresAt
		return nil
	})
	if err == nil {
		s.creds.put(hash, p, expires, gen)
	}
	return p, err
}

// tokenTouchInterval limits how often a token's last use is written, so
// that busy API clients do not turn every read into a write.
const tokenTouchInterval = time.Minute

// AuthenticateToken returns the principal of an API token secret.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (domain.Principal, error) {
	if !auth.LooksLikeToken(secret) {
		return domain.Principal{}, errSignedOut
	}
	hash := auth.HashSecret(secret)
	if p, ok := s.creds.get(hash, s.clock()); ok {
		return p, nil
	}
	gen := s.creds.generation()
	var p domain.Principal
	var touch string
	err := s.store.Read(ctx, func(tx store.Tx) error {
		k, err := tx.TokenByHash(ctx, hash)
		if err != nil {
			return signedOut(err)
		}
		u, err := tx.User(ctx, k.UserID)
		if err != nil {
			return signedOut(err)
		}
		if err := s.checkActive(ctx, tx, u); err != nil {
			return signedOut(notFoundIfUnauthorized(err))
		}
		if p, err = newPrincipal(ctx, tx, u); err != nil {
			return err
		}
		p.TokenID, p.CredentialsEpoch = k.ID, k.CredentialsEpoch
		if k.LastUsedAt == nil || s.clock().Sub(*k.LastUsedAt) > tokenTouchInterval {
			touch = k.ID
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	if touch != "" {
		// The token's last use changes no principal.
		tctx := context.WithValue(ctx, useCaseKey{}, "TouchToken")
		if terr := s.store.Write(tctx, func(tx store.Tx) error { return tx.TouchToken(tctx, touch, s.clock()) }); terr != nil {
			s.log.WarnContext(ctx, "recording token use", "err", terr)
		}
	}
	s.creds.put(hash, p, time.Time{}, gen)
	return p, nil
}

// Logout ends the caller's session. It is a no-op for token callers.
func (s *Service) Logout(ctx context.Context) error {
	ctx, p, err := begin(ctx, "Logout")
	if err != nil || p.SessionID == "" {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, p.SessionID) })
}

// Me returns the caller.
func (s *Service) Me(ctx context.Context) (domain.Principal, error) {
	_, p, err := begin(ctx, "Me")
	return p, err
}

// CreateToken creates an API token for the caller and returns it with its
// secret, which is never shown again.
func (s *Service) CreateToken(ctx context.Context, name string) (domain.Token, string, error) {
	ctx, p, err := begin(ctx, "CreateToken")
	if err != nil {
		return domain.Token{}, "", err
	}
	name, problem := domain.CheckName(name)
	var fe domain.FieldErrors
	if name == "" && problem == "" {
		fe.Add("name", domain.FieldRequired, "Give the token a name that says where it is used.")
	} else if problem != "" {
		fe.Add("name", domain.FieldFormat, problem)
	} else if domain.Len(name) > domain.MaxTokenName {
		fe.Add("name", domain.FieldTooLong, "Must be at most 100 characters.")
	}
	if err := fe.Err(); err != nil {
		return domain.Token{}, "", err
	}
	secret := auth.NewToken()
	k := domain.Token{ID: newID(), UserID: p.UserID, Name: name, Hash: auth.HashSecret(secret),
		Prefix: secret[:len(auth.TokenPrefix)+6], CreatedAt: s.clock(), CredentialsEpoch: p.CredentialsEpoch}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		// Issued under the caller's own epoch: a session that a password
		// change ended cannot mint a token that outlives it.
		if err := tx.CreateToken(ctx, k); err != nil {
			return signedOut(err)
		}
		return s.audit(ctx, tx, p, "token.create", "token", k.ID, p.CustomerID, nil, map[string]any{"id": k.ID, "name": k.Name, "prefix": k.Prefix})
	})
	return k, secret, err
}

// Tokens lists the caller's API tokens (never their secrets).
func (s *Service) Tokens(ctx context.Context) ([]domain.Token, error) {
	return readAs(s, ctx, "Tokens", func(ctx context.Context, tx store.Tx, p domain.Principal) ([]domain.Token, error) {
		return tx.Tokens(ctx, p.UserID)
	})
}

// RevokeToken deletes one of the caller's API tokens; it stops working at
// once.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	ctx, p, err := begin(ctx, "RevokeToken")
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

// DeleteExpiredSessions removes sessions past their expiry, and sign-in
// counters whose window ended and that block nothing. The server runs it
// periodically; expired sessions are refused either way, this only keeps
// the tables small.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.store.Write(ctx, func(tx store.Tx) (err error) {
		if n, err = tx.DeleteExpiredSessions(ctx, s.clock()); err != nil {
			return err
		}
		_, err = tx.DeleteStaleSigninCounters(ctx, s.clock().Add(-signinWindow))
		return err
	})
	return n, err
}

// SetupTokenValid reports whether token is the current, unexpired one-time
// setup token and setup is still pending, without using it.
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
		ok, err = tx.SetupTokenExists(ctx, auth.HashSecret(token), s.clock().Add(-SetupLinkLifetime))
		return err
	})
	return ok, err
}

// newPassword is a password an update sets, hashed before the update's
// transaction began; the zero value sets none.
type newPassword struct{ password, hash string }

// hashNewPassword applies apply to an empty input to learn the password it
// sets, and hashes it outside any transaction.
func (s *Service) hashNewPassword(ctx context.Context, apply func(domain.UserInput) (domain.UserInput, error)) (newPassword, error) {
	probe, err := apply(domain.UserInput{})
	if err != nil || probe.Password == "" {
		// An input apply refuses is refused again, with the record,
		// inside the transaction.
		return newPassword{}, nil
	}
	if n := domain.Len(probe.Password); n < domain.MinPassword || n > domain.MaxPassword {
		return newPassword{}, nil // refused by validation inside the transaction
	}
	hash, err := auth.HashPassword(ctx, probe.Password)
	return newPassword{password: probe.Password, hash: hash}, err
}

// hashFor returns the hash to store for an update that sets password ("":
// keep current).
func (n newPassword) hashFor(password, current string) (string, error) {
	switch password {
	case "":
		return current, nil
	case n.password:
		return n.hash, nil
	}
	return "", domain.Errorf(domain.EConflict, "The new password depended on the user's current record, which changed; try again.")
}

// endCredentials ends what a user update takes away, in the update's
// transaction. Deactivation ends every session and API token of the user
// for good (reactivating brings none back). A new password ends every API
// token and every session but the caller's own, when the caller changed
// its own password from that session: it stays signed in, moved to the new
// epoch. Either way the user's credentials epoch advances, so a sign-in
// that checked the old password, racing the change, is refused too.
func endCredentials(ctx context.Context, tx store.CredentialTx, p domain.Principal, before, after domain.User, passwordChanged bool) error {
	switch {
	case before.IsActive && !after.IsActive:
		return tx.EndUserCredentials(ctx, after.ID, "")
	case passwordChanged:
		keep := ""
		if after.ID == p.UserID {
			keep = p.SessionID
		}
		return tx.EndUserCredentials(ctx, after.ID, keep)
	}
	return nil
}

// Act returns a context that acts as the active user with email: for the
// command line, which holds the store itself and so is trusted as much as
// the database is (custreg report). It is no use case: no request reaches
// it. ENotFound for an email that names no active user.
func (s *Service) Act(ctx context.Context, email string) (context.Context, error) {
	e, ok := domain.NormalizeEmail(email)
	if !ok {
		return ctx, domain.Errorf(domain.EInvalid, "%q is not an email address.", email)
	}
	var p domain.Principal
	err := s.store.Read(ctx, func(tx store.Tx) error {
		u, err := tx.UserByEmail(ctx, e)
		if err == nil {
			err = s.checkActive(ctx, tx, u)
		}
		if code := domain.ErrorCode(err); code == domain.ENotFound || code == domain.EUnauthorized {
			return domain.Errorf(domain.ENotFound, "No active user %s.", e)
		}
		if err != nil {
			return err
		}
		p, err = newPrincipal(ctx, tx, u)
		return err
	})
	if err != nil {
		return ctx, err
	}
	return domain.WithPrincipal(ctx, p), nil
}
