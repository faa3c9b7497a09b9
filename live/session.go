package live

import (
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// DefaultFlushInterval is how often a Session flushes its output when
// packets are not flushed one by one: a capture killed outright is then
// readable up to the last interval, as tcpdump's is.
const DefaultFlushInterval = time.Second

// Session moves the packets of a Handle to capture files (Output) or to any
// pkt.Writer until its context is cancelled, Count packets have been
// written, or the last file of a rotation is done — what tcpdump -w does,
// signals aside: a program that wants SIGINT to stop the capture cancels
// the context from its signal handler (signal.NotifyContext).
//
// Stopping drains the kernel first: a ring (MethodRing) hands packets over
// in blocks that the kernel retires at the latest two batching timeouts
// after they fill, so a cancelled session keeps reading for that long and
// no packet that reached the ring before the stop is lost; a frame ring
// (MethodFrameRing) is read for a few milliseconds more, what the frames it
// already holds take.
//
// The fields are read when Run starts; a Session runs once.
type Session struct {
	// Handle is the capture to read. The Session does not close it.
	Handle *Handle
	// Output describes the files to write; it is used when Output.Name
	// is set.
	Output Output
	// Writer receives the packets when Output.Name is empty: the
	// Session adds the capture's interface, then writes each packet and
	// flushes as the flush policy says.
	Writer pkt.Writer
	// Count ends the session after this many packets; 0 means no limit
	// (tcpdump -c).
	Count int64
	// PacketBuffered writes every packet out before the capture waits for
	// the next one (tcpdump -U), for readers that follow the file as it
	// grows. Packets that are already queued in the kernel are written
	// together, with one flush, as soon as the queue is empty or
	// MaxPacketDelay has passed: under a flood one write per packet would
	// cost more than the capture itself and make the kernel drop packets.
	PacketBuffered bool
	// FlushInterval is the longest time a written packet stays buffered
	// without PacketBuffered; 0 means DefaultFlushInterval. The output is
	// flushed even while no packet arrives.
	FlushInterval time.Duration

	captured  atomic.Uint64
	stopAt    atomic.Int64 // UnixNano after which to stop; 0 while running
	started   atomic.Bool
	dst       packetSink
	files     *fileSet
	lastFlush time.Time
	dirty     bool
	unclocked int // packets written since the flush time was last looked at
}

// MaxPacketDelay is the longest a packet-buffered Session holds a packet
// while more keep arriving.
const MaxPacketDelay = time.Millisecond

// packetSink is where a session writes: its files, or the caller's Writer.
type packetSink interface {
	WritePacket(p *pkt.Packet) error
	Flush() error
}

// ErrSessionRun reports a second call of Session.Run, or a Session without
// a Handle or a destination.
var ErrSessionRun = errors.New("live: session needs a handle and an output, and runs once")

// Captured returns the number of packets written so far. It may be called
// from any goroutine.
func (s *Session) Captured() uint64 { return s.captured.Load() }

// Run captures until ctx is cancelled (then drains the kernel buffer), the
// Count is reached, the rotation's last file is done, or the Handle is
// closed or broken. Cancellation is a normal end: Run returns nil. The
// files are complete and closed, or the Writer flushed, when Run returns,
// whatever the error.
func (s *Session) Run(ctx context.Context) error {
	if s.Handle == nil || (s.Output.Name == "" && s.Writer == nil) || s.started.Swap(true) {
		return ErrSessionRun
	}
	if s.FlushInterval <= 0 {
		s.FlushInterval = DefaultFlushInterval
	}
	start := time.Now()
	if s.Output.Name != "" {
		files, err := newFileSet(s.Handle, s.Output, start)
		if err != nil {
			return err
		}
		s.files, s.dst = files, files
	} else {
		if err := s.Writer.AddInterface(s.Handle.Interfaces()[0]); err != nil {
			return err
		}
		s.dst = s.Writer
	}
	if err := s.flush(); err != nil {
		return errors.Join(err, s.finish())
	}
	defer context.AfterFunc(ctx, s.stop)()
	if s.PacketBuffered {
		s.Handle.beforeWait = s.flushPending
		defer func() { s.Handle.beforeWait = nil }()
	}
	err := s.loop()
	if errors.Is(err, errFilesDone) {
		err = nil
	}
	return errors.Join(err, s.finish())
}

func (s *Session) finish() error {
	if s.files == nil {
		return s.dst.Flush()
	}
	return s.files.close(s.files.stats(), s.captured.Load())
}

// stop ends the session after draining what the kernel already holds.
func (s *Session) stop() {
	drain := s.Handle.drainTime()
	at := time.Now().Add(drain)
	s.stopAt.Store(at.UnixNano())
	if drain == 0 {
		s.Handle.Break()
		return
	}
	s.Handle.SetReadDeadline(at)
}

// setDeadline sets the read deadline for flushing, never later than the
// stop time; the re-check catches a stop that raced with the call.
func (s *Session) setDeadline(t time.Time) {
	if at := s.stopAt.Load(); at != 0 && (t.IsZero() || t.UnixNano() > at) {
		t = time.Unix(0, at)
	}
	s.Handle.SetReadDeadline(t)
	if at := s.stopAt.Load(); at != 0 && (t.IsZero() || t.UnixNano() > at) {
		s.Handle.SetReadDeadline(time.Unix(0, at))
	}
}

func (s *Session) stopping() bool {
	at := s.stopAt.Load()
	return at != 0 && time.Now().UnixNano() >= at
}

func (s *Session) loop() error {
	for s.Count == 0 || s.captured.Load() < uint64(s.Count) {
		if s.stopping() {
			return nil
		}
		p, err := s.Handle.ReadPacket()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if err := s.flush(); err != nil {
				return err
			}
			continue
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.write(p); err != nil {
			return err
		}
	}
	return nil
}

// write writes one packet, moving to the next file first when the rotation
// says so, and flushes as the policy says.
func (s *Session) write(p *pkt.Packet) error {
	if s.files != nil {
		opened, err := s.files.rotate(p.Timestamp, s.captured.Load())
		if err != nil {
			return err
		}
		if opened {
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	if err := s.dst.WritePacket(p); err != nil {
		return err
	}
	s.captured.Add(1)
	if s.PacketBuffered {
		if !s.dirty {
			s.dirty, s.lastFlush = true, time.Now()
		} else if time.Since(s.lastFlush) >= MaxPacketDelay {
			return s.flushPending()
		}
		return nil
	}
	if !s.dirty {
		s.dirty = true
		s.setDeadline(s.lastFlush.Add(s.FlushInterval))
	} else if s.unclocked++; s.unclocked >= clockEvery {
		// Reading the clock for every packet costs more than the rest of
		// the write under a flood; every clockEvery packets is soon enough.
		s.unclocked = 0
		if time.Since(s.lastFlush) >= s.FlushInterval {
			return s.flush()
		}
	}
	return nil
}

// flushPending writes out what a packet-buffered session holds; the Handle
// calls it before it waits for packets.
func (s *Session) flushPending() error {
	if !s.dirty {
		return nil
	}
	s.dirty = false
	return s.dst.Flush()
}

// clockEvery is how many packets a busy session writes between looks at
// the flush clock.
const clockEvery = 64

func (s *Session) flush() error {
	s.dirty = false
	s.lastFlush = time.Now()
	s.setDeadline(time.Time{})
	return s.dst.Flush()
}
