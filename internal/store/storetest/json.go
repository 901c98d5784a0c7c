package storetest

import (
	"encoding/json"
	"reflect"
)

// jsonEqual compares JSON by value: PostgreSQL's jsonb does not keep spacing.
func jsonEqual(got []byte, want string) bool {
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}
