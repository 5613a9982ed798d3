package graph

// gqlgen reads graph/schema/*.graphql; the contract at the repository's root
// is then rejoined from the same files (see package schema).
//go:generate go tool gqlgen generate
//go:generate go run ./schema/contract -o ../schema.graphql
