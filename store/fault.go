package store

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
)

// Fault turns the store's ErrNotFound and ErrVersionMismatch into the
// kinds callers act on (fault.NotFound, fault.Conflict), naming the
// object; other errors pass through. Every domain service maps through it.
func Fault(err error, what string, id uuid.UUID) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%s %s: %w", what, id, fault.NotFound)
	case errors.Is(err, ErrVersionMismatch):
		return fmt.Errorf("%s %s was changed by someone else; reload it and apply your edit again: %w", what, id, fault.Conflict)
	}
	return err
}
