package graph

import (
	"context"
	"fmt"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// Kinds of the access objects behind global ids.
const (
	kindAccount  = "Account"
	kindTeam     = "Team"
	kindAPIToken = "ApiToken"
	kindAudit    = "AuditEntry"
)

// HTTPSession is the request's session cookie: the server provides it so
// that login and logout can set and clear the cookie.
type HTTPSession interface {
	// Secret is the session cookie's value in this request, if any.
	Secret() string
	// Start sets the cookie to a new session's secret.
	Start(secret string)
	// End clears the cookie.
	End()
}

type httpSessionKey struct{}

// WithHTTPSession attaches the request's session cookie handle.
func WithHTTPSession(ctx context.Context, s HTTPSession) context.Context {
	return context.WithValue(ctx, httpSessionKey{}, s)
}

func httpSession(ctx context.Context) HTTPSession {
	s, _ := ctx.Value(httpSessionKey{}).(HTTPSession)
	return s
}

// policyDirective is the one gate every Query and Mutation field passes:
// the caller's class, before the domain checks the object. Refused
// mutations are written to the audit trail.
func policyDirective(svc *access.Service) func(ctx context.Context, obj any, next graphql.Resolver, rule model.Rule) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver, rule model.Rule) (any, error) {
		id := access.IdentityFrom(ctx)
		var err error
		signedIn := id.Kind != access.Anonymous
		switch rule {
		case model.RulePublic:
		case model.RuleSignedIn:
			if !signedIn {
				err = fault.Unauthenticated
			}
		case model.RuleAdmin:
			err = roleIn(id, access.RoleAdmin)
		case model.RuleStaff:
			err = roleIn(id, access.RoleAdmin, access.RoleLinkWorker)
		case model.RuleEditor:
			err = roleIn(id, access.RoleAdmin, access.RolePartner)
		default:
			err = fmt.Errorf("unknown rule %q", rule)
		}
		if err == nil {
			return next(ctx)
		}
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == "mutation" && svc != nil {
			field := graphql.GetFieldContext(ctx).Field.Name
			if rerr := svc.Record(ctx, access.Action("graphql."+field), "graphql", false, err.Error()); rerr != nil {
				return nil, rerr
			}
		}
		return nil, err
	}
}

func roleIn(id *access.Identity, roles ...access.Role) error {
	if id.Kind == access.Anonymous {
		return fmt.Errorf("sign in to do this: %w", fault.Unauthenticated)
	}
	for _, r := range roles {
		if id.Role == r {
			return nil
		}
	}
	return fmt.Errorf("your role may not do this: %w", fault.Forbidden)
}

func toAccountInput(in model.AccountInput) (access.AccountInput, error) {
	out := access.AccountInput{Email: in.Email, Name: deref(in.Name), Role: access.Role(in.Role), Password: deref(in.Password)}
	if in.OrganisationID != nil {
		id, err := idOf("input.organisationId", kindOrganisation, *in.OrganisationID)
		if err != nil {
			return out, err
		}
		out.OrganisationID = &id
	}
	return out, nil
}

func auditConnection(rows []store.AuditEntry, after *string, limit int) *model.AuditEntryConnection {
	more := len(rows) == limit
	if more {
		rows = rows[:limit-1]
	}
	c := &model.AuditEntryConnection{Edges: make([]model.AuditEntryEdge, len(rows))}
	var first, last string
	for i := range rows {
		cur := strconv.FormatInt(rows[i].ID, 10)
		if i == 0 {
			first = cur
		}
		last = cur
		c.Edges[i] = model.AuditEntryEdge{Cursor: cur, Node: &rows[i]}
	}
	c.PageInfo = pageInfo(after, first, last, more)
	return c
}

// auditQuery decodes auditLog's arguments: the filter, the id to list
// before (the audit trail is ordered by id, newest first, and its cursors
// are ids) and how many rows to fetch (store.Page.Limit).
func auditQuery(filter *model.AuditFilter, first *int, after *string) (store.AuditFilter, int64, int, error) {
	f, err := auditFilter(filter)
	if err != nil {
		return f, 0, 0, err
	}
	before, err := auditCursor(after)
	if err != nil {
		return f, 0, 0, err
	}
	limit, err := store.Page{First: first}.Limit()
	return f, before, limit, err
}

func auditCursor(after *string) (int64, error) {
	if after == nil || *after == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(*after, 10, 64)
	if err != nil || n <= 0 {
		return 0, fault.InvalidField("after", "is not a cursor from this list")
	}
	return n, nil
}

func auditFilter(f *model.AuditFilter) (store.AuditFilter, error) {
	if f == nil {
		return store.AuditFilter{}, nil
	}
	out := store.AuditFilter{ObjectType: deref(f.ObjectType), ObjectID: deref(f.ObjectID), Outcome: deref(f.Outcome), Action: deref(f.Action)}
	if f.ActorID != nil {
		kind, id, ok := parseGlobalID(*f.ActorID)
		if !ok || (kind != kindAccount && kind != kindAPIToken) {
			return out, fault.InvalidField("filter.actorId", "is not an account or token id")
		}
		out.ActorID = &id
	}
	return out, nil
}
