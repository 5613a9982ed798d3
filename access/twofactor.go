package access

import (
	"context"
	"fmt"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// TOTPEnrolment is a new, not yet confirmed, TOTP secret.
type TOTPEnrolment struct {
	// Secret is the key in base32, for typing into an authenticator app.
	Secret string
	// URI is the otpauth:// URI, for a QR code.
	URI string
}

var (
	errTOTPOn      = fmt.Errorf("two-factor sign-in is already on; turn it off first to enrol again: %w", fault.Conflict)
	errTOTPOff     = fmt.Errorf("two-factor sign-in is not on: %w", fault.Conflict)
	errNoEnrolment = fmt.Errorf("no two-factor enrolment is waiting to be confirmed; enrol first: %w", fault.Conflict)
)

// me returns the signed-in person's account after checking they may
// manage their own two-factor sign-in.
func (s *Service) me(ctx context.Context) (*store.Account, error) {
	id := IdentityFrom(ctx)
	if err := s.policy.Authorize(ctx, ManageTwoFactor, Resource{Kind: "account", ID: id.AccountID}); err != nil {
		return nil, err
	}
	a, err := s.st.AccountByID(ctx, id.AccountID)
	return a, store.Fault(err, "account", id.AccountID)
}

// EnrolTOTP starts two-factor sign-in for the signed-in administrator,
// given their password (so that a borrowed session cannot put its own
// authenticator on the account): it stores a new secret, which takes
// effect only once ConfirmTOTP is given a code from it. Enrolling again
// before confirming replaces the secret. The password check is throttled
// like a sign-in.
func (s *Service) EnrolTOTP(ctx context.Context, password string) (*TOTPEnrolment, error) {
	a, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	if a.TOTPEnabledAt != nil {
		return nil, errTOTPOn
	}
	if _, err := s.checkCredentials(ctx, ManageTwoFactor, a.Email, password, ""); err != nil {
		return nil, err
	}
	key, err := newTOTPKey()
	if err != nil {
		return nil, err
	}
	ok, err := s.st.SetTOTPSecret(ctx, a.ID, key)
	if err != nil {
		return nil, fmt.Errorf("storing the TOTP secret: %w", err)
	}
	if !ok {
		return nil, errTOTPOn
	}
	return &TOTPEnrolment{Secret: b32.EncodeToString(key), URI: totpURI(key, a.Email)}, nil
}

// ConfirmTOTP puts the pending secret in force when code is its current
// code; from then on signing in needs a code.
func (s *Service) ConfirmTOTP(ctx context.Context, code string) (*store.Account, error) {
	a, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	if a.TOTPEnabledAt != nil || a.TOTPSecret == nil {
		return nil, errNoEnrolment
	}
	step, ok := verifyTOTP(a.TOTPSecret, code, s.now(), a.TOTPLastStep)
	if !ok {
		return nil, fault.InvalidField("code", "is not the code your authenticator app shows now")
	}
	now := s.now()
	if ok, err = s.st.EnableTOTP(ctx, a.ID, a.TOTPSecret, step, now); err != nil {
		return nil, fmt.Errorf("enabling TOTP: %w", err)
	}
	if !ok {
		return nil, errNoEnrolment // enrolled again meanwhile
	}
	if err := s.policy.Record(ctx, ManageTwoFactor, "account", a.ID.String(), true, "two-factor sign-in on"); err != nil {
		return nil, err
	}
	a.TOTPEnabledAt, a.TOTPLastStep = &now, step
	return a, nil
}

// DisableTOTP turns two-factor sign-in off, given the password and a
// current code: a borrowed session alone cannot. The check is throttled
// like a sign-in, and a wrong password or code is ErrBadCredentials.
func (s *Service) DisableTOTP(ctx context.Context, password, code string) (*store.Account, error) {
	a, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	if a.TOTPEnabledAt == nil {
		return nil, errTOTPOff
	}
	if _, err := s.checkCredentials(ctx, ManageTwoFactor, a.Email, password, code); err != nil {
		return nil, err
	}
	if err := s.st.DisableTOTP(ctx, a.ID); err != nil {
		return nil, fmt.Errorf("disabling TOTP: %w", err)
	}
	if err := s.policy.Record(ctx, ManageTwoFactor, "account", a.ID.String(), true, "two-factor sign-in off"); err != nil {
		return nil, err
	}
	a.TOTPSecret, a.TOTPEnabledAt, a.TOTPLastStep = nil, nil, 0
	return a, nil
}
