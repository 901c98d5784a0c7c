package domain

import "time"

// Entity types (SPEC §2).
const (
	EntityBranch       = "branch"
	EntityDepartment   = "department"
	EntityRegion       = "region"
	EntityBusinessUnit = "business_unit"
	EntityOther        = "other"
)

// EntityTypes lists the entity types in the order the UI offers them.
var EntityTypes = []string{EntityBranch, EntityDepartment, EntityRegion, EntityBusinessUnit, EntityOther}

// Limits of an entity's fields, in Unicode characters.
const (
	MaxEntityName = 100
	MinEntityCode = 2
	MaxEntityCode = 32
)

// Entity is a subdivision of one customer: a branch, department, region or
// business unit with its own contact and location.
type Entity struct {
	ID            string     `json:"id"`
	CustomerID    string     `json:"customer_id"`
	Name          string     `json:"name"`
	Code          string     `json:"code,omitempty"`
	Type          string     `json:"type"`
	BusinessEmail string     `json:"business_email,omitempty"`
	Phone         string     `json:"phone,omitempty"`
	IsActive      bool       `json:"is_active"`
	Location      Location   `json:"location"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	DeletedAt     *time.Time `json:"deleted_at,omitempty" wire:"-"`
	Version       int64      `json:"version"`
}

// NameKey is the folded name that uniqueness within the customer uses.
func (e Entity) NameKey() string { return Fold(e.Name) }

// CodeKey is the folded code; "" when the entity has no code.
func (e Entity) CodeKey() string { return Fold(e.Code) }

// EntityInput is the writable part of an entity.
type EntityInput struct {
	Name          string   `json:"name"`
	Code          string   `json:"code"`
	Type          string   `json:"type"`
	BusinessEmail string   `json:"business_email"`
	Phone         string   `json:"phone"`
	IsActive      *bool    `json:"is_active"`
	Location      Location `json:"location"`
}

// Input returns the writable part of e.
func (e Entity) Input() EntityInput {
	active := e.IsActive
	return EntityInput{Name: e.Name, Code: e.Code, Type: e.Type, BusinessEmail: e.BusinessEmail,
		Phone: e.Phone, IsActive: &active, Location: e.Location}
}

// Normalize checks in with the same rules, and the same code, as a
// customer's contact and location fields; prefix is the JSON path of the
// entity in its request ("" or "entities[1].").
func (in EntityInput) Normalize(prefix string) (Entity, FieldErrors) {
	var fe FieldErrors
	e := Entity{
		Name:          cleanName(&fe, prefix+"name", in.Name),
		Code:          cleanLine(&fe, prefix+"code", in.Code),
		Type:          cleanLine(&fe, prefix+"type", in.Type),
		BusinessEmail: cleanLine(&fe, prefix+"business_email", in.BusinessEmail),
		Phone:         cleanLine(&fe, prefix+"phone", in.Phone),
		IsActive:      in.IsActive == nil || *in.IsActive,
	}
	switch n := Len(e.Name); {
	case fe.Has(prefix + "name"):
	case n == 0:
		fe.Add(prefix+"name", FieldRequired, "Entity name is required.")
	case n > MaxEntityName:
		fe.Add(prefix+"name", FieldTooLong, "Must be at most "+itoa(MaxEntityName)+" characters.")
	}
	if e.Code != "" && !fe.Has(prefix+"code") {
		checkCode(&fe, prefix+"code", e.Code, MinEntityCode, MaxEntityCode)
	}
	switch {
	case fe.Has(prefix + "type"):
	case e.Type == "":
		e.Type = EntityBranch
	case !validEntityType(e.Type):
		fe.Add(prefix+"type", FieldUnknown, "Must be one of branch, department, region, business_unit, other.")
	}
	loc, lfe := in.Location.Normalize()
	e.Location = loc
	fe = append(fe, lfe.Prefixed(prefix+"location.")...)
	normalizeContact(&fe, prefix, &e.BusinessEmail, &e.Phone, e.Location.Country)
	return e, fe
}

func validEntityType(t string) bool {
	for _, v := range EntityTypes {
		if v == t {
			return true
		}
	}
	return false
}

// EntityFilter selects a page of a customer's entities, sorted by name.
type EntityFilter struct {
	Limit  int
	Cursor *Cursor
}

// EntityPage is one page of a customer's entities.
type EntityPage struct {
	Items []Entity
	Next  *Cursor
	Total int64
}

// MaxEntitiesPerRequest bounds the entities created together with their
// customer in one request.
const MaxEntitiesPerRequest = 200
