package service_test

import (
	"encoding/json"
	"strings"

	"github.com/custreg/custreg/internal/store"
)

type storeTx = store.Tx

// contains reports whether the JSON document b, re-encoded compactly,
// contains s.
func contains(b []byte, s string) bool {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	c, _ := json.Marshal(v)
	return strings.Contains(string(c), s)
}
