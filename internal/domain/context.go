package domain

import "context"

// What a call knows of who asks and in answer to what travels in its
// context, set at the edge (the HTTP middleware, the CLI) and read through
// this file by every layer: the principal a use case acts for and the
// request it serves.

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal ctx carries, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Request is what custreg knows of the request a call serves: its id (the
// X-Request-Id echoed to the client and written in the logs) and the
// address it came from. Both go into every audit entry the call writes.
// A call without one (the CLI, a background job) has the zero Request.
type Request struct {
	ID         string
	ClientAddr string
}

type requestKey struct{}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request ctx serves, the zero Request if none.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
