package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's costs.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams follow RFC 9106's second recommended option
// (64 MiB, 3 passes), with 2 lanes for a 2-core server: about a tenth of a
// second per login here, enough to make guessing offline expensive while
// keeping sign-in quick. Hashes record their parameters, so raising them
// later applies to new passwords and old ones still verify.
var DefaultPasswordParams = PasswordParams{Memory: 64 * 1024, Time: 3, Threads: 2}

const saltLen, keyLen = 16, 32

// HashPassword returns an encoded argon2id hash.
func HashPassword(password string) (string, error) {
	p := DefaultPasswordParams
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches an encoded hash.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account matches, so that a wrong
// e-mail takes as long as a wrong password.
var dummyHash, _ = HashPassword("no account has this password")

var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password password1 password12 password123 passw0rd 123456789012 1234567890ab
		qwertyuiop qwertyuiop12 letmein12345 iloveyou1234 welcome12345 changeme1234 adminadmin12 abcdefghijkl
		football1234 monkey123456 dragon123456 sunshine1234 princess1234 trustno11234 signpost1234 signpostsignpost`) {
		commonPasswords[p] = true
	}
}

// ErrWeakPassword wraps the reason a password is refused.
var ErrWeakPassword = errors.New("password too weak")

// CheckStrength refuses passwords that are short, common or built from
// the e-mail address. Length matters most: 12 characters at least.
func CheckStrength(password, email string) error {
	p := strings.ToLower(password)
	local := strings.ToLower(email)
	if i := strings.Index(local, "@"); i > 0 {
		local = local[:i]
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	switch {
	case len([]rune(password)) < 12:
		return fmt.Errorf("%w: use at least 12 characters (a few unrelated words work well)", ErrWeakPassword)
	case len([]rune(password)) > 256:
		return fmt.Errorf("%w: use at most 256 characters", ErrWeakPassword)
	case commonPasswords[p]:
		return fmt.Errorf("%w: it is one of the most common passwords", ErrWeakPassword)
	case builtOnCommon(p):
		return fmt.Errorf("%w: it is a common password with a little added", ErrWeakPassword)
	case len(local) >= 3 && strings.Contains(p, local):
		return fmt.Errorf("%w: it contains the e-mail address", ErrWeakPassword)
	case len(distinct) < 5:
		return fmt.Errorf("%w: it repeats too few different characters", ErrWeakPassword)
	}
	return nil
}

// builtOnCommon reports a password that is a common one plus fewer than
// eight other characters ("password1234"); a long passphrase that happens
// to contain a common word is fine.
func builtOnCommon(p string) bool {
	for _, w := range []string{"password", "passw0rd", "qwerty", "letmein", "123456", "abcdef", "iloveyou", "welcome"} {
		if strings.Contains(p, w) && len([]rune(p))-len(w) < 8 {
			return true
		}
	}
	return false
}
