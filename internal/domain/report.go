package domain

// Lines of the reports (API.md "Reports"), as the store reads them one at
// a time from its cursor. CustomerName is "" for records of no customer
// (the organization's own); EntityName "" for no entity.

// LicenseLine is one license type of one customer: its allocation and use,
// the figures GET /customers/{id}/licenses answers.
type LicenseLine struct {
	CustomerID, CustomerName, CustomerCode string
	CustomerLicense
}

// AssetLine is one live asset with the names of its customer and entity.
type AssetLine struct {
	Asset
	CustomerName, EntityName string
}

// AssetTally counts the live assets of one customer, entity and class.
type AssetTally struct {
	CustomerID, CustomerName, EntityID, EntityName, Class string
	Assets                                                int64
}

// UserLine is one live user (never its password hash) with the names of
// its customer and of the live entities it is narrowed to, by name; none
// means the whole customer.
type UserLine struct {
	ID, Email, Name, Kind, Role, CustomerID string
	IsActive                                bool
	CustomerName                            string
	EntityNames                             []string
}

// EntityLine is one live entity with its customer's name.
type EntityLine struct {
	Entity
	CustomerName string
}
