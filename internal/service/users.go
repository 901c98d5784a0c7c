package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// placeUser checks, inside the write transaction, that the caller may give
// u its customer, entities and role: an organization user holds an
// organization role and no entities; a customer user holds a customer role
// its customer's admin role covers, belongs to a live customer in the
// caller's scope, and is narrowed only to that customer's entities (and the
// caller's, when the caller is narrowed); and nobody but an organization
// admin grants a role wider than their own.
func placeUser(ctx context.Context, tx store.Tx, p domain.Principal, u *domain.User) error {
	scope := p.Scope()
	if !scope.IsOrg() && u.CustomerID == "" {
		u.CustomerID = scope.CustomerID
	}
	if u.CustomerID == "" {
		fe, err := grantable(ctx, tx, p, u.Role, "")
		if err != nil {
			return err
		}
		if len(u.EntityIDs) > 0 {
			fe.Add("entity_ids", domain.FieldUnknown, "An organization user covers the whole organization.")
		}
		return fe.Err()
	}
	if err := requireMSP(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.Customer(ctx, scope, u.CustomerID); err != nil {
		if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		var fe domain.FieldErrors
		fe.Add("customer_id", domain.FieldUnknown, "No such customer.")
		return fe.Err()
	}
	fe, err := grantable(ctx, tx, p, u.Role, u.CustomerID)
	if err != nil {
		return err
	}
	if len(scope.EntityIDs) > 0 && len(u.EntityIDs) == 0 {
		fe.Add("entity_ids", domain.FieldRequired, "Choose from your entities.")
	}
	for i, e := range u.EntityIDs {
		_, err := tx.Entity(ctx, scope, u.CustomerID, e)
		if domain.ErrorCode(err) == domain.ENotFound || (len(scope.EntityIDs) > 0 && !slices.Contains(scope.EntityIDs, e)) {
			fe.Add("entity_ids["+strconv.Itoa(i)+"]", domain.FieldUnknown, "No such entity of this customer.")
		} else if err != nil {
			return err
		}
	}
	return fe.Err()
}

// CreateUser creates a user within the caller's scope and rights.
func (s *Service) CreateUser(ctx context.Context, in domain.UserInput) (domain.User, error) {
	ctx, p, err := begin(ctx, "CreateUser")
	if err != nil {
		return domain.User{}, err
	}
	u, err := in.Normalize(true)
	if err != nil {
		return domain.User{}, err
	}
	if u.PasswordHash, err = auth.HashPassword(ctx, in.Password); err != nil {
		return domain.User{}, err
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := placeUser(ctx, tx, p, &u); err != nil {
			return err
		}
		now := s.clock()
		u.ID, u.CreatedAt, u.UpdatedAt, u.Version = newID(), now, now, 1
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, "", nil, u.CustomerID, u.Usage()); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.create", "user", u.ID, u.CustomerID, nil, userSnapshot(u))
	})
	return u, err
}

// User returns a live user in the caller's scope.
func (s *Service) User(ctx context.Context, id string) (domain.User, error) {
	return readAs(s, ctx, "User", func(ctx context.Context, tx store.Tx, p domain.Principal) (domain.User, error) {
		return tx.ScopedUser(ctx, p.Scope(), id)
	})
}

// ListUsers returns a page of live users in the caller's scope.
func (s *Service) ListUsers(ctx context.Context, f domain.UserFilter) (domain.UserPage, error) {
	return readAs(s, ctx, "ListUsers", func(ctx context.Context, tx store.Tx, p domain.Principal) (domain.UserPage, error) {
		return tx.Users(ctx, p.Scope(), f)
	})
}

// DeleteUser moves a live user in scope to trash and ends its sessions.
// Nobody deletes themselves: an organization could lock itself out.
func (s *Service) DeleteUser(ctx context.Context, id string, version int64) error {
	ctx, p, err := begin(ctx, "DeleteUser")
	if err != nil {
		return err
	}
	if id == p.UserID {
		return domain.Errorf(domain.EConflict, "You cannot delete yourself; another administrator can.")
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		held, err := holdUsers(ctx, tx, p.Scope(), []string{id})
		if err != nil {
			return err
		}
		before := held[0]
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The user was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		if err := tx.TrashUser(ctx, p.Scope(), id, before.Version, s.clock()); err != nil {
			return err
		}
		if err := tx.EndUserCredentials(ctx, id, ""); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), before.CustomerID, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.delete", "user", id, before.CustomerID, userSnapshot(before), nil)
	})
}

// UpdateUser changes a live user in scope: name, kind, role, customer,
// entities, activity and, when given, password. The email is the sign-in
// name and does not change. A new password or a deactivation ends the
// user's credentials (see endCredentials). apply must set the password
// independently of the record it is given: it is first applied to an empty
// input, so that the password is hashed before the transaction begins.
func (s *Service) UpdateUser(ctx context.Context, id string, version int64, apply func(domain.UserInput) (domain.UserInput, error)) (domain.User, error) {
	ctx, p, err := begin(ctx, "UpdateUser")
	if err != nil {
		return domain.User{}, err
	}
	newPassword, err := s.hashNewPassword(ctx, apply)
	if err != nil {
		return domain.User{}, err
	}
	var out domain.User
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, in, err := usersPlaced.change(ctx, s, tx, p, id, version, apply)
		if err != nil {
			return err
		}
		u, err := in.Normalize(false)
		if err != nil {
			return err
		}
		if u.Email != before.Email {
			var fe domain.FieldErrors
			fe.Add("email", domain.FieldUnknown, "The email is the sign-in name and cannot change; create a new user instead.")
			return fe.Err()
		}
		if id == p.UserID && (u.Role != before.Role || !u.IsActive || u.CustomerID != before.CustomerID) {
			return domain.Errorf(domain.EConflict, "You cannot change your own role, customer or activity; another administrator can.")
		}
		if err := placeUser(ctx, tx, p, &u); err != nil {
			return err
		}
		if u.PasswordHash, err = newPassword.hashFor(in.Password, before.PasswordHash); err != nil {
			return err
		}
		u.ID, u.CreatedAt, u.UpdatedAt, u.Version = before.ID, before.CreatedAt, s.clock(), before.Version+1
		if err := tx.UpdateUser(ctx, p.Scope(), u); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), u.CustomerID, u.Usage()); err != nil {
			return err
		}
		if err := endCredentials(ctx, tx, p, before, u, in.Password != ""); err != nil {
			return err
		}
		out = u
		return s.audit(ctx, tx, p, "user.update", "user", u.ID, u.CustomerID, userSnapshot(before), userSnapshot(u))
	})
	return out, err
}

// MoveUsers maps several users to one customer (and, optionally, some of
// its entities) in one transaction: every user is placed by the same rules
// as a single update, and all move or none does. Nobody moves themselves.
func (s *Service) MoveUsers(ctx context.Context, ids []string, customerID string, entityIDs []string) error {
	ctx, p, err := begin(ctx, "MoveUsers")
	if err != nil {
		return err
	}
	if len(ids) == 0 || len(ids) > domain.MaxPageSize {
		var fe domain.FieldErrors
		fe.Add("ids", domain.FieldRequired, "Give from 1 to 200 user ids.")
		return fe.Err()
	}
	if slices.Contains(ids, p.UserID) {
		return domain.Errorf(domain.EConflict, "You cannot move yourself; another administrator can.")
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		held, err := holdUsers(ctx, tx, p.Scope(), ids, customerID, p.CustomerID)
		if err != nil {
			return err
		}
		for _, before := range held {
			u := before
			u.CustomerID, u.EntityIDs = customerID, slices.Clone(entityIDs)
			if err := placeUser(ctx, tx, p, &u); err != nil {
				return err
			}
			u.UpdatedAt, u.Version = s.clock(), before.Version+1
			if err := tx.UpdateUser(ctx, p.Scope(), u); err != nil {
				return err
			}
			if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), u.CustomerID, u.Usage()); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, p, "user.move", "user", u.ID, u.CustomerID, userSnapshot(before), userSnapshot(u)); err != nil {
				return err
			}
		}
		return nil
	})
}

// userInput is the input that would recreate u as it is (the password
// aside).
func userInput(u domain.User) domain.UserInput {
	active := u.IsActive
	return domain.UserInput{Email: u.Email, Name: u.Name, Kind: u.Kind, Role: u.Role,
		CustomerID: u.CustomerID, EntityIDs: slices.Clone(u.EntityIDs), IsActive: &active}
}
