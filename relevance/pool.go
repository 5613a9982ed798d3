package relevance

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ProfilesPerBatch is about how many profiles one judging batch holds.
const ProfilesPerBatch = 6

// Candidates returns, for each profile, the union of every system's top
// TopK minus what is already judged, in an order that depends only on
// (profile, key): the judge cannot tell which system found what or how
// high it ranked it.
func Candidates(ctx context.Context, systems []System, entries []Entry, j Judgements) (map[string][]string, error) {
	out := map[string][]string{}
	for _, e := range entries {
		seen := map[string]bool{}
		var keys []string
		for _, s := range systems {
			ranked, err := s.Rank(ctx, e.Profile)
			if err != nil {
				return nil, fmt.Errorf("%s on %s: %w", s.Name(), e.ID, err)
			}
			for _, k := range head(ranked, TopK) {
				if _, judged := j.Grade(e.ID, k); !judged && !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		sort.Slice(keys, func(a, b int) bool { return shuffleKey(e.ID, keys[a]) < shuffleKey(e.ID, keys[b]) })
		out[e.ID] = keys
	}
	return out, nil
}

func shuffleKey(profile, key string) uint64 {
	h := sha256.Sum256([]byte(profile + "\x00" + key))
	return binary.BigEndian.Uint64(h[:8])
}

// WritePool writes the candidates of one corpus for blind judging into dir
// (created; it must not hold batches already, so a judge's work is never
// overwritten): batch-NN.md to read and batch-NN.todo.jsonl of the pairs
// to grade, about ProfilesPerBatch profiles each. It returns how many
// pairs there are to judge.
func WritePool(ctx context.Context, c *Corpus, entries []Entry, cands map[string][]string, dir string) (int, error) {
	if old, _ := filepath.Glob(filepath.Join(dir, "batch-*")); len(old) > 0 {
		return 0, fmt.Errorf("%s already holds batches (%s): judge or move them first", dir, filepath.Base(old[0]))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var batch []Entry
	n, pairs := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n++
		err := writeBatch(ctx, c, batch, cands, filepath.Join(dir, fmt.Sprintf("batch-%02d", n)))
		batch = nil
		return err
	}
	for _, e := range entries {
		if len(cands[e.ID]) == 0 {
			continue
		}
		pairs += len(cands[e.ID])
		if batch = append(batch, e); len(batch) == ProfilesPerBatch {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	return pairs, flush()
}

func writeBatch(ctx context.Context, c *Corpus, batch []Entry, cands map[string][]string, base string) error {
	var md, todo strings.Builder
	fmt.Fprintf(&md, "# %s: %s\n\nGrade every service below for its profile, 0 to 3, following relevance/guide.md. "+
		"Write one line per service to %s.jsonl: {\"profile\": \"…\", \"service\": \"<key>\", \"grade\": 0-3}.\n",
		c.Name, filepath.Base(base), filepath.Base(base))
	enc := json.NewEncoder(&todo)
	for _, e := range batch {
		place, err := c.Place(ctx, e.Profile)
		if err != nil {
			return fmt.Errorf("%s: %w", e.ID, err)
		}
		md.WriteString(describeProfile(e))
		for i, k := range cands[e.ID] {
			d, ok := c.Doc(k)
			if !ok {
				return fmt.Errorf("%s: unknown service key %q", e.ID, k)
			}
			fmt.Fprintf(&md, "\n### %s.%d  key: `%s`\n\n%s", e.ID, i+1, k, describeService(d, place, c.Extra[k]))
			if err := enc.Encode(map[string]string{"profile": e.ID, "service": k}); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(base+".md", []byte(md.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".todo.jsonl", []byte(todo.String()), 0o644)
}
