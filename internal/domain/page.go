package domain

// Cursor is the keyset position after which the next page of a list
// starts — customers, entities, users or assets alike: the sort key of the
// last item and its id as a tie-breaker.
type Cursor struct {
	Key string `json:"k"`
	ID  string `json:"i"`
}

// Page is one page of a list of records of type T, in the list's order.
type Page[T any] struct {
	Items []T
	Next  *Cursor // nil on the last page
	// Total counts every record the list selects. It is exact when
	// TotalExact is set; otherwise the list holds more than
	// TotalCountLimit records and Total is that lower bound.
	Total      int64
	TotalExact bool
}
