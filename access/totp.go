package access

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238) as authenticator apps implement it: HMAC-SHA-1, six
// digits, 30-second steps. A code of the step before or after the current
// one is accepted too (clocks drift, people type slowly), but never a code
// of a step at or before the last one accepted, so a code cannot be used
// twice.
const (
	TOTPPeriod  = 30 * time.Second
	TOTPDigits  = 6
	totpSkew    = 1  // steps either side of now
	totpKeySize = 20 // bytes: SHA-1's block-sized recommendation in RFC 4226
	totpIssuer  = "Signpost"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TOTPStep is the RFC 6238 time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// hotp is RFC 4226's HOTP value of a counter, as a zero-padded decimal.
func hotp(key []byte, counter int64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode is the code an authenticator shows at t for a base32 secret
// (for tests and tools; the server checks codes with verifyTOTP).
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", fmt.Errorf("decoding the TOTP secret: %w", err)
	}
	return hotp(key, TOTPStep(t), TOTPDigits), nil
}

// verifyTOTP returns the step a code belongs to, if it is the code of a
// step within the skew of now and after lastStep.
func verifyTOTP(key []byte, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	found, ok := int64(0), false
	// Every candidate is computed and compared in constant time, so the
	// time taken says nothing about which one matched.
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if hmac.Equal([]byte(hotp(key, step, TOTPDigits)), []byte(code)) && step > lastStep {
			found, ok = step, true
		}
	}
	return found, ok
}

// newTOTPKey returns a fresh random secret.
func newTOTPKey() ([]byte, error) {
	key := make([]byte, totpKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, nil
}

// totpURI is the otpauth:// URI authenticator apps read from a QR code.
func totpURI(key []byte, account string) string {
	q := url.Values{}
	q.Set("secret", b32.EncodeToString(key))
	q.Set("issuer", totpIssuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + url.PathEscape(totpIssuer+":"+account) + "?" + q.Encode()
}
