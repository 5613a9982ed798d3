package relevance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Merge validates the graded batches in dir (batch-NN.jsonl next to its
// batch-NN.todo.jsonl) against the corpus and the profiles, and appends
// them to the judgements file. Every pair of a todo must be graded exactly
// once, with a grade from 0 to 3, and nothing else; any error refuses the
// lot, naming the file and line, with nothing written. Merged batches are
// renamed batch-NN.merged.jsonl. It returns the number of judgements added
// and the batches still waiting for grades.
func Merge(dir string, c *Corpus, entries []Entry, judgementsPath string) (int, []string, error) {
	names, err := os.ReadDir(dir)
	if err != nil {
		return 0, nil, err
	}
	have, err := ReadJudgements(judgementsPath)
	if err != nil {
		return 0, nil, err
	}
	profiles := map[string]bool{}
	for _, e := range entries {
		profiles[e.ID] = true
	}
	var add []Judgement
	var merged, pending []string
	for _, n := range names {
		base, ok := strings.CutSuffix(n.Name(), ".todo.jsonl")
		if !ok {
			continue
		}
		graded := filepath.Join(dir, base+".jsonl")
		if _, err := os.Stat(graded); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(filepath.Join(dir, base+".merged.jsonl")); err != nil {
				pending = append(pending, base)
			}
			continue
		}
		js, err := checkBatch(filepath.Join(dir, n.Name()), graded, c, profiles, have)
		if err != nil {
			return 0, nil, err
		}
		add = append(add, js...)
		merged = append(merged, base)
	}
	if err := appendJudgements(judgementsPath, add); err != nil {
		return 0, nil, err
	}
	for _, b := range merged {
		if err := os.Rename(filepath.Join(dir, b+".jsonl"), filepath.Join(dir, b+".merged.jsonl")); err != nil {
			return len(add), pending, err
		}
	}
	return len(add), pending, nil
}

// checkBatch checks one graded file against its todo and what is judged
// already (have grows with what it accepts, so two batches cannot grade
// the same pair).
func checkBatch(todoPath, gradedPath string, c *Corpus, profiles map[string]bool, have Judgements) ([]Judgement, error) {
	todo, err := readTodo(todoPath)
	if err != nil {
		return nil, err
	}
	js, err := readJSONL(gradedPath)
	if err != nil {
		return nil, err
	}
	for i, x := range js {
		pair := x.Profile + " " + x.Service
		where := fmt.Sprintf("%s:%d", gradedPath, i+1)
		switch {
		case !profiles[x.Profile]:
			return nil, fmt.Errorf("%s: unknown profile %q", where, x.Profile)
		case !c.Known(x.Service):
			return nil, fmt.Errorf("%s: unknown service key %q in %s", where, x.Service, c.Name)
		case !todo[pair]:
			if _, dup := have.Grade(x.Profile, x.Service); dup {
				return nil, fmt.Errorf("%s: %s is graded twice (or judged already)", where, pair)
			}
			return nil, fmt.Errorf("%s: %s is not in %s", where, pair, filepath.Base(todoPath))
		}
		delete(todo, pair)
		have.add(x)
	}
	if len(todo) > 0 {
		left := make([]string, 0, len(todo))
		for p := range todo {
			left = append(left, p)
		}
		sort.Strings(left)
		return nil, fmt.Errorf("%s: %d pairs are not graded, e.g. %s", gradedPath, len(left), left[0])
	}
	return js, nil
}

func readTodo(path string) (map[string]bool, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for n := 1; dec.More(); n++ {
		var x struct{ Profile, Service string }
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out[x.Profile+" "+x.Service] = true
	}
	return out, nil
}

// appendJudgements writes the file anew beside it and renames it into
// place: a failure leaves the old file whole.
func appendJudgements(path string, add []Judgement) error {
	if len(add) == 0 {
		return nil
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	buf := bytes.NewBuffer(old)
	if len(old) > 0 && old[len(old)-1] != '\n' {
		buf.WriteByte('\n')
	}
	enc := json.NewEncoder(buf)
	for _, j := range add {
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
