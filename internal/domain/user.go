package domain

// UserInput is a user as an administrator creates or changes it.
type UserInput struct {
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Role       string   `json:"role"`
	CustomerID string   `json:"customer_id"`
	EntityIDs  []string `json:"entity_ids"`
	IsActive   *bool    `json:"is_active"`
	// Password is required when creating; on change, empty keeps it.
	Password string `json:"password"`
}

// Normalize checks a user's own fields. Whether the role fits the user's
// scope and the caller's rights, and whether the customer and entities exist
// and belong together, is checked in the write transaction.
func (in UserInput) Normalize(creating bool) (User, error) {
	var fe FieldErrors
	u := User{Name: cleanName(&fe, "name", in.Name), Kind: cleanLine(&fe, "kind", in.Kind), Role: cleanLine(&fe, "role", in.Role),
		CustomerID: cleanLine(&fe, "customer_id", in.CustomerID), IsActive: in.IsActive == nil || *in.IsActive}
	switch e := cleanLine(&fe, "email", in.Email); {
	case fe.Has("email"):
	case e == "":
		fe.Add("email", FieldRequired, "Email is required.")
	case Len(e) > MaxEmail:
		fe.Add("email", FieldTooLong, "Must be at most "+itoa(MaxEmail)+" characters.")
	default:
		if n, ok := NormalizeUserEmail(e); ok {
			u.Email = n
		} else {
			fe.Add("email", FieldFormat, "Not a valid email address.")
		}
	}
	switch n := Len(u.Name); {
	case fe.Has("name"):
	case n == 0:
		fe.Add("name", FieldRequired, "Name is required.")
	case n > MaxUserName:
		fe.Add("name", FieldTooLong, "Must be at most "+itoa(MaxUserName)+" characters.")
	}
	switch {
	case fe.Has("kind"):
	case u.Kind == "":
		u.Kind = KindUser
	case u.Kind == KindUser, u.Kind == KindTechnician:
	default:
		fe.Add("kind", FieldUnknown, "Must be user or technician.")
	}
	if u.Role == "" && !fe.Has("role") {
		fe.Add("role", FieldRequired, "Role is required.")
	}
	seen := map[string]bool{}
	for i, e := range in.EntityIDs {
		if e = cleanLine(&fe, "entity_ids["+itoa(i)+"]", e); e != "" && !seen[e] {
			seen[e] = true
			u.EntityIDs = append(u.EntityIDs, e)
		}
	}
	if creating || in.Password != "" {
		if msg := passwordProblem(in.Password); msg != "" {
			fe.Add("password", FieldFormat, msg)
		} else if n := Len(in.Password); n < MinPassword {
			fe.Add("password", FieldTooShort, "Must be at least "+itoa(MinPassword)+" characters.")
		} else if n > MaxPassword {
			fe.Add("password", FieldTooLong, "Must be at most "+itoa(MaxPassword)+" characters.")
		}
	}
	if err := fe.Err(); err != nil {
		return User{}, err
	}
	return u, nil
}
