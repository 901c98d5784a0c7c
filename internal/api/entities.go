package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/wire"
)

// entityList is a page of a customer's entities.
type entityList struct {
	Items      []any   `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int64   `json:"total"`
}

func (a *API) listEntities(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r, listquery.EntitiesByName)
	if err != nil {
		return err
	}
	page, err := a.svc.entities.ListEntities(r.Context(), r.PathValue("id"), domain.EntityFilter{Limit: limit, Cursor: cursor})
	if err != nil {
		return err
	}
	items := make([]any, len(page.Items))
	for i, e := range page.Items {
		items[i] = wire.Of(e)
	}
	return writeJSON(w, http.StatusOK, entityList{Items: items, NextCursor: listquery.EncodeCursor(listquery.EntitiesByName, page.Next), Total: page.Total})
}

func (a *API) createEntity(w http.ResponseWriter, r *http.Request) error {
	return entityKind.create(w, r, func(ctx context.Context, in domain.EntityInput) (domain.Entity, error) {
		return a.svc.entities.CreateEntity(ctx, r.PathValue("id"), in)
	})
}

func (a *API) getEntity(w http.ResponseWriter, r *http.Request) error {
	return entityKind.get(w, r, func(ctx context.Context) (domain.Entity, error) {
		return a.svc.entities.Entity(ctx, r.PathValue("id"), r.PathValue("entity_id"))
	})
}

func (a *API) patchEntity(w http.ResponseWriter, r *http.Request) error {
	return entityKind.patch(w, r, func(ctx context.Context, version int64, apply func(domain.EntityInput) (domain.EntityInput, error)) (domain.Entity, error) {
		return a.svc.entities.UpdateEntity(ctx, r.PathValue("id"), r.PathValue("entity_id"), version, apply)
	})
}

func (a *API) deleteEntity(w http.ResponseWriter, r *http.Request) error {
	return remove(w, r, func(ctx context.Context, version int64) error {
		return a.svc.entities.DeleteEntity(ctx, r.PathValue("id"), r.PathValue("entity_id"), version)
	})
}

// readMergePatch reads a merge-patch body and checks it against the shape of
// probe (unknown fields, wrong types) before anything is read from the store.
func readMergePatch(w http.ResponseWriter, r *http.Request, probe any) (any, []byte, error) {
	body, err := readJSONBody(w, r, true)
	if err != nil {
		return nil, nil, err
	}
	var patch any
	if err := json.Unmarshal(body, &patch); err != nil {
		return nil, nil, domain.Errorf(domain.EBadRequest, "The request body is not well-formed JSON.")
	}
	if err := unmarshalStrict(body, probe); err != nil {
		return nil, nil, err
	}
	return patch, body, nil
}

// applyMergePatch applies an RFC 7396 patch to cur's JSON form and decodes
// the result into next with the strict rules.
func applyMergePatch(cur, patch, next any) error {
	base, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	var target any
	if err := json.Unmarshal(base, &target); err != nil {
		return err
	}
	merged, err := json.Marshal(mergePatch(target, patch))
	if err != nil {
		return err
	}
	return unmarshalStrict(merged, next)
}
