// Package fuzz holds pcaptool's cross-package fuzz targets and robustness
// tests: hostile, truncated and corrupted input through every reader, the
// edit, merge and sort pipeline, validation, bounded memory for huge length
// fields, and atomic output when the process is killed.
//
// It has no code of its own: everything is in its _test.go files.
//
//	go test ./fuzz                                  # seeds, robustness tests
//	go test ./fuzz -run '^$' -fuzz FuzzRoundTrip -fuzztime 10m
//	scripts/fuzz.sh 10m ./fuzz                      # every target
//	scripts/fuzz-seed-corpus.sh                     # start from ../shared/corpus
//
// Targets:
//
//   - FuzzRoundTrip: whatever capfile accepts (pcap or pcapng, any
//     compression) is written as pcap and as pcapng and read back as the same
//     packets; a pcapng block copy is byte-identical.
//   - FuzzPipeline: two fuzzed files through convert.NewEdit with options
//     taken from the input, convert.NewMerge and convert.NewSort; packet
//     counts must add up and the output must read back.
//   - FuzzValidate: validate never panics, every finding lies inside the
//     input, and what it keeps (the repair) reads back cleanly.
//   - FuzzInspect: inspect summarises arbitrary bytes without panicking and
//     counts the packets a reader returns.
//
// Crashers found by "go test -fuzz" are written to testdata/fuzz/<Target>/
// and replayed by every "go test ./fuzz" run; commit them.
package fuzz
