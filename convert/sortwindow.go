package convert

import (
	"fmt"
	"io"
	"time"
	"unsafe"

	"github.com/pcaptool/pcaptool/internal/hugepage"
	"github.com/pcaptool/pcaptool/pkt"
)

// sortWindow sorts a nearly sorted stream in one pass. Packets are copied
// into a ring buffer of fixed size in arrival order and indexed by a FIFO of
// those that arrived in order (not earlier than the last one it holds, so
// it is sorted) and a heap of the others; when the ring has no room for the
// next packet, the earlier of the FIFO's head and the heap's top is
// returned. Most packets of a nearly sorted stream only pass through the
// FIFO, and the heap stays small. Ring space is reclaimed from its oldest end, so a
// packet that stays long (one far ahead of its neighbours) makes the window
// emit more eagerly; correctness never depends on it, only on no packet
// arriving earlier than one already returned.
type sortWindow struct {
	src     pkt.Reader
	ring    []byte
	head    int // where the next record goes
	queue   []windowSlot
	qHead   int    // index in queue of the oldest live slot
	qLen    int    // live slots
	qSeq    uint64 // sequence number of queue[qHead]
	heap    []windowItem
	run     []windowItem // the FIFO of packets that arrived in order
	runHead int          // index in run of its first live item
	seq     uint64
	pending *pkt.Packet
	eof     bool
	last    *windowItem // returned last; freed on the next call
	lastKey windowItem
	emitted bool
	pkt     pkt.Packet
	opts    []pkt.Option
	// dry places and orders packets without copying them into the ring:
	// next then returns a packet with no content (CheckSortWindow).
	dry bool
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

// windowEntryCost is what the index of one packet held costs: a queue
// slot and a FIFO or heap item. The FIFO and the heap are both allocated
// for every entry, but a packet is in one of them, and pages never
// touched take no memory.
const windowEntryCost = int64(unsafe.Sizeof(windowSlot{}) + unsafe.Sizeof(windowItem{}))

// newSortWindow splits memory between the ring (7/8) and the index
// (1/8), both allocated once: the window then never grows, so the
// process holds memory plus buffers and no garbage, whatever the packet
// sizes (small packets fill the index first, large ones the ring).
func newSortWindow(src pkt.Reader, memory int64) *sortWindow {
	index := memory / 8
	entries := int(max(index/windowEntryCost, 64))
	return &sortWindow{
		src:   src,
		ring:  hugepage.Make[byte](int(memory - index)),
		queue: hugepage.Make[windowSlot](entries),
		run:   hugepage.Make[windowItem](entries)[:0],
		heap:  hugepage.Make[windowItem](entries)[:0],
	}
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

// room finds room for n bytes in the ring and an index slot, or returns -1.
func (w *sortWindow) room(n int) int {
	if w.qLen == len(w.queue) {
		return -1 // the index is full: as good as a full ring
	}
	return w.place(n)
}

// push records a packet placed in the ring; the queue has room (next
// checks).
func (w *sortWindow) push(off, size int) {
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

func (w *sortWindow) next() (*pkt.Packet, error) {
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
		off := w.room(size)
		if off < 0 {
			if w.buffered() == 0 {
				return nil, fmt.Errorf("%w: packet %d needs %d bytes, more than the %d-byte window", ErrSortWindow, w.seq+1, size, len(w.ring))
			}
			break
		}
		if !w.dry {
			putRecord(w.ring[off:off+size], p)
		}
		w.head = off + size
		w.push(off, size)
		w.index(windowItem{sec: sec, nsec: nsec, seq: w.seq, off: off, size: size})
		w.seq++
		w.pending = nil
	}
	if w.buffered() == 0 {
		return nil, io.EOF
	}
	it := w.pop()
	w.lastKey = it
	w.last = &w.lastKey
	w.emitted = true
	if w.dry {
		return &w.pkt, nil
	}
	var err error
	w.opts, err = decodeRecord(w.ring[it.off:it.off+it.size], &w.pkt, w.opts)
	if err != nil {
		return nil, err
	}
	return &w.pkt, nil
}

// buffered returns the number of packets held.
func (w *sortWindow) buffered() int { return len(w.run) - w.runHead + len(w.heap) }

// index files a packet just placed in the ring: in the FIFO when it sorts
// after the FIFO's last packet (equal keys too: its sequence number is
// higher), else in the heap.
func (w *sortWindow) index(it windowItem) {
	if n := len(w.run); n == w.runHead || !keyLess(it.sec, it.nsec, it.seq, w.run[n-1].sec, w.run[n-1].nsec, w.run[n-1].seq) {
		if n == w.runHead {
			w.run, w.runHead = w.run[:0], 0
		} else if (w.runHead >= 4096 && w.runHead >= n/2) || n == cap(w.run) {
			// Reclaim the consumed half, keeping the copying amortised.
			w.run = w.run[:copy(w.run, w.run[w.runHead:])]
			w.runHead = 0
		}
		w.run = append(w.run, it)
		return
	}
	w.heapPush(it)
}

// pop removes and returns the earliest packet held; buffered must be > 0.
func (w *sortWindow) pop() windowItem {
	if w.runHead < len(w.run) {
		r := &w.run[w.runHead]
		if len(w.heap) == 0 || !keyLess(w.heap[0].sec, w.heap[0].nsec, w.heap[0].seq, r.sec, r.nsec, r.seq) {
			it := *r
			w.runHead++
			return it
		}
	}
	return w.heapPop()
}

// itemLess orders window items by timestamp, then arrival.
func itemLess(x, y *windowItem) bool {
	return keyLess(x.sec, x.nsec, x.seq, y.sec, y.nsec, y.seq)
}

// heapPush adds it to the heap.
func (w *sortWindow) heapPush(it windowItem) {
	w.heap = append(w.heap, it)
	siftUp(w.heap, len(w.heap)-1, it)
}

// siftUp puts it in the heap h at the hole i or above, moving the hole up
// past the items it sorts before rather than swapping.
func siftUp(h []windowItem, i int, it windowItem) {
	for i > 0 {
		parent := (i - 1) / 2
		if !itemLess(&it, &h[parent]) {
			break
		}
		h[i] = h[parent]
		i = parent
	}
	h[i] = it
}

// heapPop removes the heap's earliest item. It moves the hole at the top
// down to a leaf along the earlier children (one comparison a level), then
// the last item up from there (Floyd's bottom-up pop): the last item
// belongs near the bottom, so this takes about half the comparisons of
// sifting it down from the top.
func (w *sortWindow) heapPop() windowItem {
	n := len(w.heap) - 1
	top, last := w.heap[0], w.heap[n]
	h := w.heap[:n]
	w.heap = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && itemLess(&h[r], &h[l]) {
			l = r
		}
		h[i] = h[l]
		i = l
	}
	siftUp(h, i, last)
	return top
}
