package service_test

import (
	"context"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func TestUsersScopeAndRoles(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		ctx := context.Background()
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		a, _ := createCustomerWith(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"},
			[]domain.EntityInput{{Name: "North"}, {Name: "South"}})
		b, _ := createCustomer(svc, org, domain.CustomerInput{Name: "Beta", Code: "B1"})
		ents, _ := svc.ListEntities(org, a.ID, domain.EntityFilter{})
		north := ents.Items[0].ID
		const pw = "a-long-enough-password"

		// The organization creates a customer admin for A; it signs in with
		// A's scope.
		ca, err := svc.CreateUser(org, domain.UserInput{Email: "Boss@Alpha.example", Name: "Boss", Role: domain.RoleCustomerAdmin,
			CustomerID: a.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		_, cap, err := svc.Login(ctx, "boss@alpha.example", pw)
		if err != nil || cap.CustomerID != a.ID || cap.Role != domain.RoleCustomerAdmin {
			t.Fatalf("customer admin sign-in = %+v, %v", cap, err)
		}
		cadmin := domain.WithPrincipal(ctx, cap)

		// Bad placements, each named by its field.
		for _, tc := range []struct {
			caller context.Context
			in     domain.UserInput
			field  string
		}{
			{org, domain.UserInput{Email: "x1@example.com", Name: "X", Role: domain.RoleCustomerUser, Password: pw}, "role"},
			{org, domain.UserInput{Email: "x2@example.com", Name: "X", Role: domain.RoleTechnician, CustomerID: a.ID, Password: pw}, "role"},
			{org, domain.UserInput{Email: "x3@example.com", Name: "X", Role: "root", Password: pw}, "role"},
			{org, domain.UserInput{Email: "x4@example.com", Name: "X", Role: domain.RoleCustomerUser, CustomerID: b.ID,
				EntityIDs: []string{north}, Password: pw}, "entity_ids[0]"},
			{org, domain.UserInput{Email: "x5@example.com", Name: "X", Role: domain.RoleTechnician, EntityIDs: []string{north}, Password: pw}, "entity_ids"},
			{cadmin, domain.UserInput{Email: "x6@example.com", Name: "X", Role: domain.RoleOrgAdmin, Password: pw}, "role"},
			{cadmin, domain.UserInput{Email: "x7@example.com", Name: "X", Role: domain.RoleCustomerUser, CustomerID: b.ID, Password: pw}, "customer_id"},
			{org, domain.UserInput{Email: "boss@ALPHA.example", Name: "X", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: pw}, "email"},
			{org, domain.UserInput{Email: "x8@example.com", Name: "X", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: "short"}, "password"},
		} {
			_, err := svc.CreateUser(tc.caller, tc.in)
			if err == nil {
				t.Errorf("%s: created", tc.in.Email)
				continue
			}
			fieldCode(t, err, tc.field)
		}

		// The customer admin creates within A (without naming it), narrowed
		// to North.
		nu, err := svc.CreateUser(cadmin, domain.UserInput{Email: "north@alpha.example", Name: "N", Role: domain.RoleCustomerTechnician,
			EntityIDs: []string{north}, Password: pw})
		if err != nil || nu.CustomerID != a.ID {
			t.Fatalf("customer admin create = %+v, %v", nu, err)
		}
		if _, err := svc.CreateUser(org, domain.UserInput{Email: "b@beta.example", Name: "B", Role: domain.RoleCustomerUser, CustomerID: b.ID, Password: pw}); err != nil {
			t.Fatal(err)
		}
		if page, err := svc.ListUsers(cadmin, domain.UserFilter{}); err != nil || page.Total != 2 {
			t.Errorf("customer admin sees %d users (%v), want its 2", page.Total, err)
		}
		_, tp, _ := svc.Login(ctx, "north@alpha.example", pw)
		tech := domain.WithPrincipal(ctx, tp)
		if len(tp.EntityIDs) != 1 || tp.EntityIDs[0] != north {
			t.Errorf("narrowed principal entities = %v", tp.EntityIDs)
		}
		_, err = svc.CreateUser(tech, domain.UserInput{Email: "y@alpha.example", Name: "Y", Role: domain.RoleCustomerUser, Password: pw})
		wantCode(t, err, domain.EForbidden)
		if c, _ := svc.Customer(org, a.ID); c.UsersCount != 2 {
			t.Errorf("users_count(a) = %d, want 2", c.UsersCount)
		}

		// Deleting ends the user's sessions; nobody deletes themselves.
		wantCode(t, svc.DeleteUser(cadmin, ca.ID, 0), domain.EConflict)
		secret, _, _ := svc.Login(ctx, "north@alpha.example", pw)
		if err := svc.DeleteUser(cadmin, nu.ID, 0); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, secret)
		wantCode(t, err, domain.EUnauthorized)
		_, _, err = svc.Login(ctx, "north@alpha.example", pw)
		wantCode(t, err, domain.EUnauthorized)
		if c, _ := svc.Customer(org, a.ID); c.UsersCount != 1 {
			t.Errorf("users_count(a) after delete = %d, want 1", c.UsersCount)
		}
	})
}

func TestUpdateUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		ctx := context.Background()
		org, p := orgAdmin(t, svc, service.FirstStart{})
		a, _ := createCustomer(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"})
		b, _ := createCustomer(svc, org, domain.CustomerInput{Name: "Beta", Code: "B1"})
		const pw = "a-long-enough-password"
		u, err := svc.CreateUser(org, domain.UserInput{Email: "ann@example.com", Name: "Ann", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		// Move Ann to Beta as a technician with a new password.
		moved, err := svc.UpdateUser(org, u.ID, 1, func(in domain.UserInput) (domain.UserInput, error) {
			in.CustomerID, in.Role, in.Password = b.ID, domain.RoleCustomerTechnician, "another-long-password"
			return in, nil
		})
		if err != nil || moved.CustomerID != b.ID || moved.Version != 2 {
			t.Fatalf("move = %+v, %v", moved, err)
		}
		ca, _ := svc.Customer(org, a.ID)
		cb, _ := svc.Customer(org, b.ID)
		if ca.UsersCount != 0 || cb.UsersCount != 1 {
			t.Errorf("counts after move: a %d, b %d", ca.UsersCount, cb.UsersCount)
		}
		if _, _, err := svc.Login(ctx, "ann@example.com", "another-long-password"); err != nil {
			t.Errorf("sign-in with the new password: %v", err)
		}
		_, err = svc.UpdateUser(org, u.ID, 1, func(in domain.UserInput) (domain.UserInput, error) { return in, nil })
		wantCode(t, err, domain.EPrecondition)
		_, err = svc.UpdateUser(org, u.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.Email = "other@example.com"
			return in, nil
		})
		if fieldCode(t, err, "email") != domain.FieldUnknown {
			t.Errorf("email change: %v", err)
		}
		// Deactivation stops the user's sessions at once.
		secret, _, _ := svc.Login(ctx, "ann@example.com", "another-long-password")
		inactive := false
		if _, err := svc.UpdateUser(org, u.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.IsActive = &inactive
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, secret)
		wantCode(t, err, domain.EUnauthorized)
		// An inactive user is still one of the customer's users: the count
		// is of live users, active or not.
		if cb, _ := svc.Customer(org, b.ID); cb.UsersCount != 1 {
			t.Errorf("users_count(b) after deactivation = %d, want 1", cb.UsersCount)
		}
		// Nobody demotes or deactivates themselves.
		_, err = svc.UpdateUser(org, p.UserID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.Role = domain.RoleTechnician
			return in, nil
		})
		wantCode(t, err, domain.EConflict)
	})
}

func TestMoveUsers(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, p := orgAdmin(t, svc, service.FirstStart{})
		a, _ := createCustomer(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"})
		b, _ := createCustomerWith(svc, org, domain.CustomerInput{Name: "Beta", Code: "B1"}, []domain.EntityInput{{Name: "East"}})
		east, _ := svc.ListEntities(org, b.ID, domain.EntityFilter{})
		const pw = "a-long-enough-password"
		var ids []string
		for _, e := range []string{"u1@example.com", "u2@example.com", "u3@example.com"} {
			u, err := svc.CreateUser(org, domain.UserInput{Email: e, Name: "U", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
		counts := func() (int64, int64) {
			ca, _ := svc.Customer(org, a.ID)
			cb, _ := svc.Customer(org, b.ID)
			return ca.UsersCount, cb.UsersCount
		}

		// One bad member refuses the whole move: nothing changes.
		err := svc.MoveUsers(org, append(ids[:2:2], "01900000-0000-7000-8000-000000000000"), b.ID, nil)
		wantCode(t, err, domain.ENotFound)
		if ca, cb := counts(); ca != 3 || cb != 0 {
			t.Fatalf("after a refused move: a %d, b %d", ca, cb)
		}
		err = svc.MoveUsers(org, ids, b.ID, []string{"01900000-0000-7000-8000-000000000000"})
		fieldCode(t, err, "entity_ids[0]")
		wantCode(t, svc.MoveUsers(org, []string{p.UserID}, b.ID, nil), domain.EConflict)
		fieldCode(t, svc.MoveUsers(org, nil, b.ID, nil), "ids")

		if err := svc.MoveUsers(org, ids[:2], b.ID, []string{east.Items[0].ID}); err != nil {
			t.Fatal(err)
		}
		if ca, cb := counts(); ca != 1 || cb != 2 {
			t.Errorf("after the move: a %d, b %d, want 1 and 2", ca, cb)
		}
		u, err := svc.User(org, ids[0])
		if err != nil || u.CustomerID != b.ID || len(u.EntityIDs) != 1 || u.EntityIDs[0] != east.Items[0].ID || u.Version != 2 {
			t.Errorf("moved user = %+v, %v", u, err)
		}
	})
}
