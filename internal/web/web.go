// Package web serves custreg's HTML user interface.
package web

import (
	"log/slog"
	"net/http"

	"github.com/custreg/custreg/internal/service"
)

// Options configure the UI.
type Options struct {
	Logger *slog.Logger
	// TrustProxy honours X-Forwarded-Proto when deciding whether cookies are
	// Secure.
	TrustProxy bool
}

// Handler serves the UI pages and their static assets.
type Handler struct {
	svc  *service.Service
	opts Options
}

// New returns the UI handler.
func New(svc *service.Service, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Handler{svc: svc, opts: opts}
}

// Register adds the UI's routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {}
