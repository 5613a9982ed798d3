package matching_test

import "github.com/uptrace/bun"

func bunList(v any) any { return bun.List(v) }
