package pcapng

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
)

// corpusPcapngFiles returns every pcapng file of the shared corpus: the
// tcpdump regression captures and both pcapng-test-generator folders.
func corpusPcapngFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, f := range testenv.CorpusFiles(t, "tcpdump") {
		if strings.HasSuffix(f, ".pcapng") {
			files = append(files, f)
		}
	}
	for _, f := range testenv.CorpusFiles(t, "pcapng-test-generator") {
		if strings.HasSuffix(f, ".pcapng") {
			files = append(files, f)
		}
	}
	if len(files) < 90 {
		t.Fatalf("found only %d pcapng files in the corpus, want the ~45 tcpdump and 48 generator files", len(files))
	}
	return files
}

func corpusName(path string) string {
	return filepath.Base(filepath.Dir(filepath.Dir(path))) + "/" + filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
}

// rewriteBlocks reads every block of data and writes it back.
func rewriteBlocks(data []byte, opts ReaderOptions) ([]byte, []BlockType, error) {
	r, err := NewReaderOptions(bytes.NewReader(data), opts)
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	w := NewWriter(&out)
	var types []BlockType
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			w.Flush()
			return out.Bytes(), types, err
		}
		types = append(types, b.Type())
		if err := w.WriteBlock(b); err != nil {
			return out.Bytes(), types, fmt.Errorf("writing block %d (%s): %w", len(types)-1, b.Type(), err)
		}
	}
	if err := w.Flush(); err != nil {
		return nil, types, err
	}
	return out.Bytes(), types, nil
}

// TestCorpusRoundTrip reads every block of every corpus pcapng file and
// writes it back: the output must equal the input byte for byte.
func TestCorpusRoundTrip(t *testing.T) {
	files := corpusPcapngFiles(t)
	identical := 0
	for _, f := range files {
		t.Run(corpusName(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// A small buffer sends big blocks through the copying path too.
			for _, size := range []int{0, 4096} {
				out, _, err := rewriteBlocks(data, ReaderOptions{BufferSize: size})
				if err != nil {
					t.Fatalf("buffer %d: %v", size, err)
				}
				if !bytes.Equal(out, data) {
					i := 0
					for i < len(out) && i < len(data) && out[i] == data[i] {
						i++
					}
					t.Fatalf("buffer %d: rewrite differs at byte %d (%d bytes in, %d out)", size, i, len(data), len(out))
				}
			}
			identical++
		})
	}
	t.Logf("%d/%d corpus pcapng files rewritten byte-identically", identical, len(files))
}

// TestGeneratorBlockSequence checks the blocks read from each
// pcapng-test-generator file against the "Block sequence:" line of its .txt.
func TestGeneratorBlockSequence(t *testing.T) {
	dir := testenv.CorpusDir(t, "pcapng-test-generator")
	txts, err := filepath.Glob(filepath.Join(dir, "output_*", "*", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(txts) < 48 {
		t.Fatalf("found %d .txt files, want 48", len(txts))
	}
	// The generator calls a copyable custom block (0x00000BAD) "CB" and a
	// do-not-copy one (0x40000BAD) "DCB"; its files hold no DSB.
	abbrev := map[BlockType]string{TypeCustomNoCopy: "DCB"}
	for _, txt := range txts {
		t.Run(corpusName(txt), func(t *testing.T) {
			desc, err := os.ReadFile(txt)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, line := range strings.Split(string(desc), "\n") {
				if rest, ok := strings.CutPrefix(line, "Block sequence:"); ok {
					for _, s := range strings.Split(rest, ",") {
						want = append(want, strings.TrimSpace(s))
					}
				}
			}
			if len(want) == 0 {
				t.Fatal("no Block sequence line")
			}
			data, err := os.ReadFile(strings.TrimSuffix(txt, ".txt") + ".pcapng")
			if err != nil {
				t.Fatal(err)
			}
			_, types, err := rewriteBlocks(data, ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ty := range types {
				name := ty.String()
				if a, ok := abbrev[ty]; ok {
					name = a
				}
				got = append(got, name)
			}
			if strings.Join(got, ", ") != strings.Join(want, ", ") {
				t.Errorf("block sequence\n got %s\nwant %s", strings.Join(got, ", "), strings.Join(want, ", "))
			}
		})
	}
}
