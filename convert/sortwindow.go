package convert

import (
	"fmt"
	"io"
	"time"
)

// sortWindow sorts a nearly sorted stream in one pass. Packets are copied
// into a ring buffer of fixed size in arrival order and indexed by a heap;
// when the ring has no room for the next packet, the earliest buffered
// packet is returned. Ring space is reclaimed from its oldest end, so a
// packet that stays long (one far ahead of its neighbours) makes the window
// emit more eagerly; correctness never depends on it, only on no packet
// arriving earlier than one already returned.
type sortWindow struct {
	src     Reader
	ring    []byte
	head    int // where the next record goes
	queue   []windowSlot
	qHead   int    // index in queue of the oldest live slot
	qLen    int    // live slots
	qSeq    uint64 // sequence number of queue[qHead]
	heap    []windowItem
	seq     uint64
	pending *Packet
	eof     bool
	last    *windowItem // returned last; freed on the next call
	lastKey windowItem
	emitted bool
	pkt     Packet
	opts    []Option
}

type windowSlot struct {
	off, size int
	freed     bool
}

type windowItem struct {
	sec  int64
	nsec uint32
	seq  uint64
	off  int
	size int
}

func newSortWindow(src Reader, memory int64) *sortWindow {
	return &sortWindow{src: src, ring: make([]byte, memory), queue: make([]windowSlot, 1024)}
}

// place finds room for n bytes in the ring, or returns -1.
func (w *sortWindow) place(n int) int {
	if w.qLen == 0 {
		w.head = 0
		if n <= len(w.ring) {
			return 0
		}
		return -1
	}
	tail := w.queue[w.qHead].off
	if w.head > tail {
		if n <= len(w.ring)-w.head {
			return w.head
		}
		if n <= tail {
			return 0
		}
		return -1
	}
	if n <= tail-w.head {
		return w.head
	}
	return -1
}

func (w *sortWindow) push(off, size int) {
	if w.qLen == len(w.queue) {
		grown := make([]windowSlot, 2*len(w.queue))
		for i := range w.qLen {
			grown[i] = w.queue[(w.qHead+i)%len(w.queue)]
		}
		w.queue, w.qHead = grown, 0
	}
	w.queue[(w.qHead+w.qLen)%len(w.queue)] = windowSlot{off: off, size: size}
	w.qLen++
}

func (w *sortWindow) free(seq uint64) {
	w.queue[(w.qHead+int(seq-w.qSeq))%len(w.queue)].freed = true
	for w.qLen > 0 && w.queue[w.qHead].freed {
		w.qHead = (w.qHead + 1) % len(w.queue)
		w.qLen--
		w.qSeq++
	}
}

func (w *sortWindow) next() (*Packet, error) {
	if w.last != nil {
		w.free(w.last.seq)
		w.last = nil
	}
	for !w.eof {
		if w.pending == nil {
			p, err := w.src.ReadPacket()
			if err == io.EOF {
				w.eof = true
				break
			}
			if err != nil {
				return nil, err
			}
			w.pending = p
		}
		p := w.pending
		sec, nsec := packetKey(p)
		if w.emitted && keyLess(sec, nsec, 0, w.lastKey.sec, w.lastKey.nsec, 0) {
			stamp := "no timestamp, sorted first"
			if !p.NoTimestamp {
				stamp = p.Timestamp.UTC().Format(time.RFC3339Nano)
			}
			return nil, fmt.Errorf("%w: packet %d (%s) arrives after one stamped %s was written; "+
				"sort with more memory or without streaming",
				ErrSortWindow, w.seq+1, stamp,
				time.Unix(w.lastKey.sec, int64(w.lastKey.nsec)).UTC().Format(time.RFC3339Nano))
		}
		size := recordSize(p)
		off := w.place(size)
		if off < 0 {
			if len(w.heap) == 0 {
				return nil, fmt.Errorf("%w: packet %d needs %d bytes, more than the %d-byte window", ErrSortWindow, w.seq+1, size, len(w.ring))
			}
			break
		}
		putRecord(w.ring[off:off+size], p)
		w.head = off + size
		w.push(off, size)
		w.heapPush(windowItem{sec: sec, nsec: nsec, seq: w.seq, off: off, size: size})
		w.seq++
		w.pending = nil
	}
	if len(w.heap) == 0 {
		return nil, io.EOF
	}
	it := w.heapPop()
	w.lastKey = it
	w.last = &w.lastKey
	w.emitted = true
	var err error
	w.opts, err = decodeRecord(w.ring[it.off:it.off+it.size], &w.pkt, w.opts)
	if err != nil {
		return nil, err
	}
	return &w.pkt, nil
}

func (w *sortWindow) less(a, b int) bool {
	x, y := &w.heap[a], &w.heap[b]
	return keyLess(x.sec, x.nsec, x.seq, y.sec, y.nsec, y.seq)
}

func (w *sortWindow) heapPush(it windowItem) {
	w.heap = append(w.heap, it)
	i := len(w.heap) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !w.less(i, parent) {
			break
		}
		w.heap[i], w.heap[parent] = w.heap[parent], w.heap[i]
		i = parent
	}
}

func (w *sortWindow) heapPop() windowItem {
	top := w.heap[0]
	n := len(w.heap) - 1
	w.heap[0] = w.heap[n]
	w.heap = w.heap[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && w.less(r, l) {
			j = r
		}
		if !w.less(j, i) {
			break
		}
		w.heap[i], w.heap[j] = w.heap[j], w.heap[i]
		i = j
	}
	return top
}
