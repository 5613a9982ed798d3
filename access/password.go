package access

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	_ "embed" // the breached-password list

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
// later applies to new passwords and old ones still verify. A Service
// hashes with these unless given others (WithPasswordParams).
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 64 * 1024, Time: 3, Threads: 2}
}

const saltLen, keyLen = 16, 32

// Hash returns an encoded argon2id hash of password made with p.
func (p PasswordParams) Hash(password string) (string, error) {
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

// dummyHash returns a hash made with p to check against when no account
// matches, so that a wrong e-mail takes as long as a wrong password. It is
// made on first use: a service that signs nobody in never pays for it.
func (p PasswordParams) dummyHash() func() string {
	return sync.OnceValue(func() string {
		h, err := p.Hash("no account has this password")
		if err != nil {
			panic(fmt.Sprintf("hashing the dummy password: %v", err))
		}
		return h
	})
}

// contextWords are passwords an attacker tries first on this service
// (NIST SP 800-63B asks for the service's own name among them).
var contextWords = map[string]bool{"signpost": true, "signpostsignpost": true, "socialprescribing": true,
	"linkworker": true}

//go:embed breached/top-100000.txt.gz
var breachedGzip []byte

// breachedPasswords is the embedded list (see breached/README.md),
// lower-cased, sorted and without duplicates, read on first use.
var breachedPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(breachedGzip))
	if err != nil {
		panic(fmt.Sprintf("the embedded breached-password list is unreadable: %v", err))
	}
	var list []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := strings.ToLower(strings.TrimSpace(sc.Text())); w != "" {
			list = append(list, w)
		}
	}
	if err := sc.Err(); err != nil {
		panic(fmt.Sprintf("the embedded breached-password list is unreadable: %v", err))
	}
	slices.Sort(list)
	return slices.Compact(list)
})

// listed reports whether a lower-cased password is a breached or
// context-specific one.
func listed(p string) bool {
	if contextWords[p] {
		return true
	}
	_, found := slices.BinarySearch(breachedPasswords(), p)
	return found
}

// leet undoes the commonest letter-for-symbol swaps (p@ssw0rd).
var leet = strings.NewReplacer("@", "a", "4", "a", "3", "e", "1", "i", "!", "i", "0", "o", "$", "s", "5", "s", "7", "t")

// notLetter is what people add before or after a word: digits, symbols, spaces.
func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// breachedVariant reports whether a lower-cased password is listed, or is a
// listed one with digits, symbols or a year added before or after it
// ("summer2024!!", "password12345678"), or with letters swapped for
// look-alike symbols.
func breachedVariant(p string) bool {
	core := strings.TrimFunc(p, notLetter)
	for _, c := range []string{p, core, leet.Replace(p), leet.Replace(core)} {
		if c != "" && listed(c) {
			return true
		}
	}
	return false
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
	case listed(p):
		return fmt.Errorf("%w: it is on a list of passwords known from data breaches", ErrWeakPassword)
	case breachedVariant(p):
		return fmt.Errorf("%w: it is a password known from data breaches with a little changed or added", ErrWeakPassword)
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
