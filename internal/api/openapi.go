package api

import (
	_ "embed"
	"net/http"
)

// OpenAPIDocument is the OpenAPI 3.1 description of the API. It is written
// by hand and tested against the route table and the real responses
// (openapi_test.go), so it cannot drift from the code.
//
//go:embed openapi.json
var OpenAPIDocument []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(OpenAPIDocument)
	return nil
}
