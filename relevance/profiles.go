package relevance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
)

// Bounds on the inputs, far above the real sets.
const (
	maxProfiles  = 1000
	maxFileBytes = 16 << 20
	maxLineBytes = 4096
)

// Entry is a profile of a judged set.
type Entry struct {
	ID      string
	Note    string
	Profile matching.Profile
}

// HeldOut reports whether the profile is in the held-out half: its number
// (the digits ending its id) is even.
func (e Entry) HeldOut() bool {
	n, _ := Number(e.ID)
	return n%2 == 0
}

// Number is the number ending a profile id ("nl-07" is 7).
func Number(id string) (int, error) {
	i := strings.LastIndexFunc(id, func(r rune) bool { return r < '0' || r > '9' })
	n, err := strconv.Atoi(id[i+1:])
	if err != nil {
		return 0, fmt.Errorf("profile id %q does not end in a number", id)
	}
	return n, nil
}

type profileJSON struct {
	ID      string `json:"id"`
	Note    string `json:"note"`
	Profile struct {
		Needs         []string `json:"needs"`
		Goals         []string `json:"goals"`
		Interests     []string `json:"interests"`
		Age           *int     `json:"age"`
		Gender        string   `json:"gender"`
		Circumstances []string `json:"circumstances"`
		Postcode      string   `json:"postcode"`
		Location      *struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"location"`
		MaxDistanceKm *float64 `json:"maxDistanceKm"`
		AcceptsRemote *bool    `json:"acceptsRemote"`
		Availability  []struct {
			Day  string `json:"day"`
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"availability"`
		FreeOnly      bool     `json:"freeOnly"`
		Languages     []string `json:"languages"`
		Accessibility []string `json:"accessibility"`
	} `json:"profile"`
}

// ReadProfiles reads a set's profiles.json. Unknown fields, duplicate or
// unnumbered ids and invalid profiles are errors naming the profile.
func ReadProfiles(path string) ([]Entry, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw []profileJSON
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) > maxProfiles {
		return nil, fmt.Errorf("%s: %d profiles, at most %d", path, len(raw), maxProfiles)
	}
	seen := map[string]bool{}
	out := make([]Entry, 0, len(raw))
	for i, r := range raw {
		e, err := r.entry()
		if err == nil && seen[e.ID] {
			err = fmt.Errorf("id %q repeats", e.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: profile %d (%q): %w", path, i+1, r.ID, err)
		}
		seen[e.ID] = true
		out = append(out, e)
	}
	return out, nil
}

func (r profileJSON) entry() (Entry, error) {
	if _, err := Number(r.ID); err != nil {
		return Entry{}, err
	}
	q := r.Profile
	p := matcher.Profile{Needs: q.Needs, Goals: q.Goals, Interests: q.Interests, Age: q.Age, Gender: q.Gender,
		Circumstances: q.Circumstances, MaxDistanceKm: q.MaxDistanceKm, AcceptsRemote: q.AcceptsRemote,
		FreeOnly: q.FreeOnly, Languages: q.Languages, Accessibility: q.Accessibility}
	if q.Location != nil {
		p.Location = &matcher.Point{Latitude: q.Location.Latitude, Longitude: q.Location.Longitude}
	}
	for _, a := range q.Availability {
		p.Availability = append(p.Availability, matcher.Availability{Day: a.Day, From: a.From, To: a.To})
	}
	if q.Postcode != "" && p.Location != nil {
		return Entry{}, errors.New("profile: give a postcode or a location, not both")
	}
	// A postcode becomes a place only in a store; validate the rest as if
	// it had (a distance needs a place to measure from).
	check := p
	if q.Postcode != "" {
		check.Location = &matcher.Point{}
	}
	if err := check.Validate(); err != nil {
		return Entry{}, fmt.Errorf("profile: %w", err)
	}
	return Entry{ID: r.ID, Note: r.Note, Profile: matching.Profile{Profile: p, Postcode: q.Postcode}}, nil
}

// Judgement grades one service for one profile.
type Judgement struct {
	Profile string `json:"profile"`
	Service string `json:"service"`
	Grade   int    `json:"grade"`
}

// Judgements are grades by profile id, then service key.
type Judgements map[string]map[string]int

// Grade returns a grade and whether there is one.
func (j Judgements) Grade(profile, key string) (int, bool) {
	g, ok := j[profile][key]
	return g, ok
}

func (j Judgements) add(x Judgement) {
	if j[x.Profile] == nil {
		j[x.Profile] = map[string]int{}
	}
	j[x.Profile][x.Service] = x.Grade
}

// ReadJudgements reads a judgements.jsonl file; a missing file is no
// judgements yet. Bad lines are errors naming the file and line.
func ReadJudgements(path string) (Judgements, error) {
	js, err := readJSONL(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Judgements{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := Judgements{}
	for i, x := range js {
		if _, dup := out.Grade(x.Profile, x.Service); dup {
			return nil, fmt.Errorf("%s:%d: %s/%s is judged twice", path, i+1, x.Profile, x.Service)
		}
		out.add(x)
	}
	return out, nil
}

// readJSONL reads judgement lines, checking each has a profile, a service
// and a grade from 0 to 3. Blank lines are skipped.
func readJSONL(path string) ([]Judgement, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	var out []Judgement
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, maxLineBytes), maxLineBytes)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var x struct {
			Profile, Service string
			Grade            *int
		}
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		switch {
		case x.Profile == "" || x.Service == "":
			return nil, fmt.Errorf("%s:%d: profile and service are required", path, n)
		case x.Grade == nil || *x.Grade < 0 || *x.Grade > 3:
			return nil, fmt.Errorf("%s:%d: grade must be 0, 1, 2 or 3", path, n)
		}
		out = append(out, Judgement{Profile: x.Profile, Service: x.Service, Grade: *x.Grade})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w (lines are at most %d bytes)", path, err, maxLineBytes)
	}
	return out, nil
}

func readBounded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("%s: %d bytes, at most %d", path, st.Size(), maxFileBytes)
	}
	return os.ReadFile(path)
}
