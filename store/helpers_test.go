package store_test

import "github.com/google/uuid"

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
