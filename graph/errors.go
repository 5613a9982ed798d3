package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/signpost/signpost/fault"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes in extensions.code.
const (
	codeUnauthenticated = "UNAUTHENTICATED"
	codeForbidden       = "FORBIDDEN"
	codeNotFound        = "NOT_FOUND"
	codeBadUserInput    = "BAD_USER_INPUT"
	codeConflict        = "CONFLICT"
	codeInternal        = "INTERNAL"
)

// errorPresenter is the one place that turns errors into GraphQL errors
// with a code. Internal errors are logged in full and shown as a generic
// message.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		var invalid *fault.Invalid
		switch {
		case errors.As(err, &invalid):
			path := argumentPath(gqlErr.Path)
			problems := make([]map[string]any, len(invalid.Problems))
			for i, p := range invalid.Problems {
				field := p.Field
				if field == "" {
					field = path // a scalar that failed to parse: its path names it
				}
				problems[i] = map[string]any{"field": field, "message": p.Message}
			}
			first := problems[0]
			gqlErr.Message = fmt.Sprintf("%s: %s", first["field"], first["message"])
			if len(problems) > 1 {
				gqlErr.Message += fmt.Sprintf(" (and %d more problems)", len(problems)-1)
			}
			gqlErr.Extensions["code"] = codeBadUserInput
			gqlErr.Extensions["field"] = first["field"]
			gqlErr.Extensions["problems"] = problems
		case errors.Is(err, fault.NotFound):
			gqlErr.Extensions["code"] = codeNotFound
		case errors.Is(err, fault.Conflict):
			gqlErr.Extensions["code"] = codeConflict
		case errors.Is(err, fault.Unauthenticated):
			if errors.Is(gqlErr.Unwrap(), fault.Unauthenticated) && gqlErr.Message == fault.Unauthenticated.Error() {
				gqlErr.Message = "sign in to do this"
			}
			gqlErr.Extensions["code"] = codeUnauthenticated
		case errors.Is(err, fault.Forbidden):
			gqlErr.Extensions["code"] = codeForbidden
		case isOwnGraphQLError(err):
			// Parsing, validation and input coercion errors made by gqlgen
			// describe the request, not the server.
			if _, ok := gqlErr.Extensions["code"]; !ok {
				gqlErr.Extensions["code"] = codeBadUserInput
			}
		default:
			log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
			gqlErr.Message = "internal error"
			gqlErr.Extensions = map[string]any{"code": codeInternal}
		}
		return gqlErr
	}
}

// isOwnGraphQLError reports whether err was made by gqlgen itself rather
// than returned by a resolver.
func isOwnGraphQLError(err error) bool {
	var gqlErr *gqlerror.Error
	return errors.As(err, &gqlErr) && gqlErr.Unwrap() == nil
}

// recoverFunc turns a panic in a resolver into an internal error.
func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p)
		return fmt.Errorf("panic: %v", p)
	}
}

// argumentPath names an argument that failed to parse the way domain
// validation names fields: relative to the operation's field, e.g.
// "input.schedules[0].validFrom" rather than "createService.input…".
func argumentPath(p ast.Path) string {
	if len(p) > 1 {
		if _, isName := p[0].(ast.PathName); isName {
			p = p[1:]
		}
	}
	s := p.String()
	return strings.TrimPrefix(s, ".")
}
