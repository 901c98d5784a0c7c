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
	u := User{Name: CleanText(in.Name), Kind: CleanText(in.Kind), Role: CleanText(in.Role),
		CustomerID: CleanText(in.CustomerID), IsActive: in.IsActive == nil || *in.IsActive}
	if e := CleanText(in.Email); e == "" {
		fe.Add("email", FieldRequired, "Email is required.")
	} else if Len(e) > MaxEmail {
		fe.Add("email", FieldTooLong, "Must be at most "+itoa(MaxEmail)+" characters.")
	} else if n, ok := NormalizeUserEmail(e); ok {
		u.Email = n
	} else {
		fe.Add("email", FieldFormat, "Not a valid email address.")
	}
	switch n := Len(u.Name); {
	case n == 0:
		fe.Add("name", FieldRequired, "Name is required.")
	case n > MaxUserName:
		fe.Add("name", FieldTooLong, "Must be at most "+itoa(MaxUserName)+" characters.")
	}
	switch u.Kind {
	case "":
		u.Kind = KindUser
	case KindUser, KindTechnician:
	default:
		fe.Add("kind", FieldUnknown, "Must be user or technician.")
	}
	if u.Role == "" {
		fe.Add("role", FieldRequired, "Role is required.")
	}
	seen := map[string]bool{}
	for _, e := range in.EntityIDs {
		if e = CleanText(e); e != "" && !seen[e] {
			seen[e] = true
			u.EntityIDs = append(u.EntityIDs, e)
		}
	}
	if creating || in.Password != "" {
		if n := Len(in.Password); n < MinPassword {
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
