package access

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

// Sign-in throttling. Every attempt is counted as a failure before the
// password is checked (and released when it succeeds), under three keys,
// in PostgreSQL so that every replica sees the same counts:
//
//   - the e-mail address and network address together: the strictest, as
//     it is what one guesser from one place uses up;
//   - the e-mail address alone, looser, against guessing from many places;
//     a person's own correct password after the delay still works, so a
//     guesser elsewhere can slow but not lock them out;
//   - the network address alone, loosest, as many people may share one
//     (an office behind NAT), against trying many accounts from one place.
//
// The first Free failures under a key are free; then each attempt must
// wait a delay that doubles with every further failure, up to Cap.
var (
	throttlePair    = throttleRule{kind: "pair", free: 3, base: time.Second, cap: 15 * time.Minute}
	throttleEmail   = throttleRule{kind: "email", free: 10, base: time.Second, cap: 5 * time.Minute}
	throttleAddress = throttleRule{kind: "address", free: 20, base: time.Second, cap: 15 * time.Minute}
)

// ForgetFailuresAfter is how long a key's failures are remembered after
// its last attempt; older rows are pruned.
const ForgetFailuresAfter = 24 * time.Hour

// pruneEvery is how often one process deletes forgotten rows.
const pruneEvery = 10 * time.Minute

type throttleRule struct {
	kind      string
	free      int
	base, cap time.Duration
}

// key names the rule's row for a value. Values are hashed so that the
// table holds no e-mail or network addresses.
func (r throttleRule) key(value string) store.ThrottleKey {
	h := sha256.Sum256([]byte(r.kind + "\x00" + value))
	return store.ThrottleKey{Kind: r.kind, Key: hex.EncodeToString(h[:]), Free: r.free, Base: r.base, Cap: r.cap}
}

// attemptKeys are the rows one attempt is counted under, always in this
// order (the store locks them in order).
func attemptKeys(email, address string) []store.ThrottleKey {
	email = strings.ToLower(strings.TrimSpace(email))
	address = networkOf(address)
	return []store.ThrottleKey{throttleEmail.key(email), throttleAddress.key(address), throttlePair.key(email + "\x00" + address)}
}

// networkOf is the network an address is throttled as: an IPv4 address
// itself, an IPv6 address's /64, which one subscriber commonly holds
// whole (so rotating through it does not escape the per-address count).
// Anything that is not an IP address is used as it is.
func networkOf(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return address
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return address
	}
	return p.String()
}

// ErrThrottled is wrapped, with fault.Unauthenticated, by the refusal of a
// sign-in that must wait after failed ones, or that finds too many being
// checked at once.
var ErrThrottled = errors.New("too many sign-in attempts")

// reserveAttempt counts an attempt for an e-mail address from the
// request's address, or says how long to wait.
func (s *Service) reserveAttempt(ctx context.Context, email string) ([]store.ThrottleKey, error) {
	now := s.now()
	s.pruneAttempts(ctx, now)
	keys := attemptKeys(email, RequestFrom(ctx).Address)
	retry, ok, err := s.st.ReserveAttempt(ctx, keys, now, ForgetFailuresAfter)
	if err != nil {
		return nil, err
	}
	if !ok {
		wait := max(time.Duration(math.Ceil(retry.Sub(now).Seconds()))*time.Second, time.Second)
		return nil, fmt.Errorf("%w: try again in %s: %w", ErrThrottled, wait, fault.Unauthenticated)
	}
	return keys, nil
}

// releaseAttempt takes back an attempt that was not checked.
func (s *Service) releaseAttempt(ctx context.Context, keys []store.ThrottleKey) error {
	for _, k := range keys {
		if err := s.st.ReleaseAttempt(ctx, k.Kind, k.Key); err != nil {
			return err
		}
	}
	return nil
}

// succeeded forgets the failures of the e-mail address, alone and from
// this address; the network address's count only loses this attempt, so
// that signing in to one account does not clear guesses at others.
func (s *Service) succeeded(ctx context.Context, keys []store.ThrottleKey) error {
	for _, k := range keys {
		var err error
		if k.Kind == throttleAddress.kind {
			err = s.st.ReleaseAttempt(ctx, k.Kind, k.Key)
		} else {
			err = s.st.ResetAttempts(ctx, k.Kind, k.Key)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// pruneAttempts deletes forgotten rows, at most every pruneEvery per
// process (the timestamp only spares work; the rows are shared).
func (s *Service) pruneAttempts(ctx context.Context, now time.Time) {
	last := s.lastPrune.Load()
	if now.UnixNano()-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := s.st.PruneAttempts(ctx, now.Add(-ForgetFailuresAfter)); err != nil {
		s.policy.log.WarnContext(ctx, "pruning sign-in attempts", "err", err)
	}
}

// hashGate bounds how many password hashes run at once in this process:
// each argon2id check takes 64 MiB and all its lanes' cores, so running
// more than the cores allow only adds memory. Callers beyond the slots
// wait, up to a bounded queue; past that they are refused at once.
type hashGate struct {
	slots     chan struct{}
	queued    atomic.Int64
	maxQueued int64
}

func newHashGate(slots, maxQueued int) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(slots, 1)), maxQueued: int64(maxQueued)}
}

// passwordChecks is the process-wide gate: one slot per DefaultPasswordParams().Threads
// cores, and a queue of eight waiting checks per slot.
var passwordChecks = func() *hashGate {
	slots := max(runtime.GOMAXPROCS(0)/int(max(DefaultPasswordParams().Threads, 1)), 1)
	return newHashGate(slots, 8*slots)
}()

var errBusy = fmt.Errorf("%w: the server is checking many at once; try again in a moment: %w", ErrThrottled, fault.Unauthenticated)

// enter takes a slot, waiting while the queue has room and ctx lasts.
func (g *hashGate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}
	if g.queued.Add(1) > g.maxQueued {
		g.queued.Add(-1)
		return errBusy
	}
	defer g.queued.Add(-1)
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w (%w)", errBusy, ctx.Err())
	}
}

func (g *hashGate) leave() { <-g.slots }
