package fault_test

import (
	"errors"
	"testing"

	"github.com/signpost/signpost/fault"
)

func failWith(err error) (out error) {
	defer fault.Wrap(&out, "store.ServiceByID(%s)", "0191")
	return err
}

func TestWrapKeepsKinds(t *testing.T) {
	if err := failWith(nil); err != nil {
		t.Fatalf("a nil error became %v", err)
	}
	err := failWith(fault.NotFound)
	if !errors.Is(err, fault.NotFound) {
		t.Errorf("errors.Is lost the sentinel: %v", err)
	}
	if got, want := err.Error(), "store.ServiceByID(0191): not found"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	var invalid *fault.Invalid
	if !errors.As(failWith(fault.InvalidField("input.name", "required")), &invalid) || invalid.Problems[0].Field != "input.name" {
		t.Errorf("errors.As lost the *Invalid")
	}
}
