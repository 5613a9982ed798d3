// Package relevance is the evaluation harness for matching (issue 9): judged
// sets of profiles, the systems compared (the matcher, plain BM25 and
// PostgreSQL full-text search), the metrics, and the pooling of candidates
// for blind judging.
//
// A set lives in sets/<set>/: profiles.json (a JSON array of profiles with
// an id such as "nl-07", a note for the judge and the profile) and
// judgements.jsonl (one {"profile", "service", "grade"} object per line,
// grade 0 to 3). A service is named by its key, which is stable across
// imports: its source id when imported, else its name (the demo town, whose
// names are unique).
//
// Split: a profile whose number (the digits ending its id) is even is in
// the held-out half (nl-02, nl-04, …); an odd one is in the tuning half.
// Weights are fitted on the tuning half only; the held-out figures are the
// honest ones, and TestMatcherBeatsBM25 guards them.
//
// Metrics, per set and half: mean nDCG@10 (gain = grade, discount
// log2(rank+1), ideal ranking from every judged service of the profile),
// P@5 (share of the top 5 graded 2 or more) and judged@10 (share of the top
// 10 that has a judgement; unjudged services count as grade 0).
//
// Running it:
//
//	make eval                                   # the table, per set and half
//	make fit                                    # refit matcher.Weights on the tuning half
//	                                            # (coordinate ascent and pairwise logistic regression)
//	SIGNPOST_EVAL_POOL=/dir go test -run TestPool ./relevance    # write batches to judge
//	SIGNPOST_EVAL_MERGE=/dir go test -run TestMerge ./relevance  # append graded batches
//	SIGNPOST_EVAL_SETS=/dir                     # read sets from elsewhere (default sets/)
//
// guide.md is the grading guide the judges read.
package relevance
