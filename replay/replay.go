package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
)

// Sender sends frames on an interface; live.Injector is one.
type Sender interface {
	// WriteBatch sends frames in order and returns how many were sent;
	// when frame n fails it returns n and an error, which wraps
	// live.ErrFrameTooLarge when the frame alone was at fault.
	WriteBatch(frames [][]byte) (int, error)
	// MaxFrame is the largest frame like this one the interface sends.
	MaxFrame(frame []byte) int
	// MTU is the interface MTU.
	MTU() int
	// LinkType is the link-layer header type frames must carry.
	LinkType() linktype.LinkType
	// Name is the interface name.
	Name() string
	// Stats returns the sender's retry and truncation counters.
	Stats() live.InjectStats
}

// ErrLinkType reports a packet whose link-layer header type is not the
// interface's.
var ErrLinkType = errors.New("replay: link-layer header type does not match the interface")

// PacketError is a packet that could not be sent; the Replayer counts it
// as failed, reports it to Warn and goes on.
type PacketError struct {
	// Number is the packet's position in the input, from 1; Pass is the
	// pass over the input, from 1.
	Number uint64
	Pass   int
	// Size is the frame's length; MTU and MaxFrame the interface's limits.
	Size, MTU, MaxFrame int
	Device              string
	Err                 error
}

func (e *PacketError) Error() string {
	if errors.Is(e.Err, live.ErrFrameTooLarge) {
		return fmt.Sprintf("replay: packet %d (pass %d): %d bytes is larger than %s's MTU %d (%d bytes with the link-layer header): %v",
			e.Number, e.Pass, e.Size, e.Device, e.MTU, e.MaxFrame, e.Err)
	}
	return fmt.Sprintf("replay: packet %d (pass %d), %d bytes: %v", e.Number, e.Pass, e.Size, e.Err)
}

func (e *PacketError) Unwrap() error { return e.Err }

// filler is an input that can read ahead into its buffer before the
// replay's clock starts, as capfile.Reader does.
type filler interface{ Fill() error }

// Opener returns the input of one pass; the Replayer closes it when it is
// an io.Closer.
type Opener func() (pkt.Reader, error)

// OpenFile opens the capture file name (any format or compression capfile
// reads) for every pass.
func OpenFile(name string) Opener {
	return func() (pkt.Reader, error) { return capfile.Open(name) }
}

// Replayer sends packets with a Sender as its Config says.
type Replayer struct {
	Sender Sender
	Config Config
	// Warn, when set, is told about every packet that is skipped (a
	// *PacketError).
	Warn func(error)
}

// arenaSize bounds the bytes held for one batch.
const arenaSize = 1 << 20

// run is the state of one Run.
type run struct {
	*Replayer
	ctx    context.Context
	sched  *Schedule
	clock  clock
	st     Stats
	arena  []byte
	frames [][]byte
	nums   []uint64 // input position of each frame of the batch
	flows  *flowCounter
	pass   int
	err    error // an error that ends the replay

	// started is set once the first packet has gone out; firstDue is its
	// place in the schedule.
	started  bool
	firstDue time.Duration
}

// Run replays the packets open provides, once per pass, until the passes,
// Limit or Duration end it or ctx is cancelled; cancelling is a normal end
// (Stats.Interrupted), not an error. The statistics are valid on error too.
func (r *Replayer) Run(ctx context.Context, open Opener) (Stats, error) {
	sched, err := NewSchedule(r.Config)
	if err != nil {
		return Stats{}, err
	}
	batch := r.Config.BatchSize
	if batch == 0 {
		batch = DefaultBatchSize
	}
	x := &run{
		Replayer: r, ctx: ctx, sched: sched,
		arena:  make([]byte, arenaSize),
		frames: make([][]byte, 0, batch),
		nums:   make([]uint64, 0, batch),
		flows:  newFlowCounter(r.Sender.LinkType()),
	}
	// Fault the arena's pages in now rather than on the first batch
	// large enough to reach each of them, during the replay.
	clear(x.arena)
	x.arena = x.arena[:0]
	x.st.Device = r.Sender.Name()
	x.st.CPU = -1
	if !r.Config.TopSpeed {
		realtime, cpu, release, err := place(r.Config)
		if err != nil {
			return x.st, err
		}
		defer release()
		x.st.Realtime, x.st.CPU = realtime, cpu
	}
	x.clock.init(r.Config.SpinTime, x.st.Realtime)
	defer x.clock.stop()
	before := r.Sender.Stats()
	loops := r.Config.Loops
	if loops == 0 {
		loops = 1
	}
	for loops < 0 || x.pass < loops {
		x.pass++
		x.st.Passes = x.pass
		if x.pass > 1 {
			sched.NewPass()
		}
		more, err := x.onePass(open)
		if err == nil {
			err = x.flush()
		}
		if err != nil {
			x.err = err
		}
		if !more || x.err != nil {
			break
		}
	}
	if x.err == nil {
		x.err = x.flush()
	}
	x.st.Elapsed = x.clock.elapsed()
	after := r.Sender.Stats()
	x.st.Truncated = after.Truncated - before.Truncated
	x.st.RetriedENOBUFS = after.RetriedENOBUFS - before.RetriedENOBUFS
	x.st.RetriedEAGAIN = after.RetriedEAGAIN - before.RetriedEAGAIN
	x.st.Interrupted = ctx.Err() != nil
	return x.st, x.err
}

// onePass sends one pass over the input; false means the replay is over.
func (x *run) onePass(open Opener) (bool, error) {
	rd, err := open()
	if err != nil {
		return false, err
	}
	if c, ok := rd.(io.Closer); ok {
		defer c.Close()
	}
	if f, ok := rd.(filler); ok {
		// Read ahead before the clock starts (capfile.Reader.Fill):
		// the first refill of a fresh buffer page-faults on every page.
		if err := f.Fill(); err != nil {
			return false, err
		}
	}
	want := x.Sender.LinkType()
	var num uint64
	for {
		if x.ctx.Err() != nil {
			return false, nil
		}
		p, err := rd.ReadPacket()
		if err == io.EOF {
			// An empty pass (an empty file, or a stream that cannot be
			// read twice) ends the replay rather than loop on nothing.
			return num > 0, nil
		}
		if err != nil {
			return false, err
		}
		num++
		if ifs := rd.Interfaces(); p.Interface < len(ifs) && ifs[p.Interface].LinkType != want {
			return false, fmt.Errorf("%w: packet %d is %s, %s needs %s", ErrLinkType, num, ifs[p.Interface].LinkType.Name(), x.Sender.Name(), want.Name())
		}
		due, ok := x.sched.Next(p.Timestamp, len(p.Data))
		if !ok {
			return false, nil
		}
		first := !x.started && !x.Config.TopSpeed
		if first {
			// A timed schedule starts with the first packet sent, as
			// tcpreplay's does: opening the input and reading ahead
			// are not a gap between packets. The first packet is due
			// now, and the clock starts again when the send that
			// puts it out begins (flush), which a packet refused for
			// its size may delay. (Not when that send returns: the
			// first send on a socket is slow, 50–100 µs, but the
			// frame is on the wire early in it, and the second
			// packet went out that much late in every run.)
			x.clock.start = time.Now().Add(-due)
			x.firstDue = due
		}
		if len(p.Data) > x.Sender.MaxFrame(p.Data) {
			x.fail(num, p.Data, live.ErrFrameTooLarge)
			continue
		}
		early := due > 0 && due > x.clock.elapsed() // top speed: never early, no clock read
		if early {
			// What is pending is late already: send it before waiting.
			if err := x.flush(); err != nil {
				return false, err
			}
			if !x.clock.waitUntil(x.ctx, due) {
				return false, nil
			}
		}
		if d := x.Config.Duration; d > 0 && x.Config.TopSpeed && x.clock.elapsed() >= d {
			// Timed modes end by the schedule; top speed by the clock.
			return false, nil
		}
		if len(x.frames) == cap(x.frames) || len(x.arena)+len(p.Data) > cap(x.arena) {
			if err := x.flush(); err != nil {
				return false, err
			}
		}
		n := len(x.arena)
		x.arena = append(x.arena, p.Data...)
		x.frames = append(x.frames, x.arena[n:len(x.arena):len(x.arena)])
		x.nums = append(x.nums, num)
		if early || first {
			// A packet that was waited for goes out at once.
			if err := x.flush(); err != nil {
				return false, err
			}
		}
	}
}

// flush sends the pending batch, skipping frames the interface refuses.
func (x *run) flush() error {
	frames, nums := x.frames, x.nums
	for len(frames) > 0 {
		var sent time.Time
		if !x.started {
			sent = time.Now()
		}
		n, err := x.Sender.WriteBatch(frames)
		for _, f := range frames[:n] {
			x.st.Packets++
			x.st.Bytes += uint64(len(f))
			x.flows.add(f, &x.st)
		}
		if n > 0 && !x.started {
			x.started = true
			x.clock.start = sent.Add(-x.firstDue)
		}
		if err != nil {
			if !errors.Is(err, live.ErrFrameTooLarge) || n >= len(frames) {
				x.reset()
				return fmt.Errorf("replay: %s: %w", x.Sender.Name(), err)
			}
			x.fail(nums[n], frames[n], err)
			n++
		}
		frames, nums = frames[n:], nums[n:]
	}
	x.reset()
	return nil
}

func (x *run) reset() {
	clear(x.frames)
	x.frames, x.nums, x.arena = x.frames[:0], x.nums[:0], x.arena[:0]
}

func (x *run) fail(num uint64, frame []byte, err error) {
	x.st.Failed++
	if x.Warn != nil {
		x.Warn(&PacketError{
			Number: num, Pass: x.pass, Size: len(frame), Device: x.Sender.Name(),
			MTU: x.Sender.MTU(), MaxFrame: x.Sender.MaxFrame(frame), Err: err,
		})
	}
}
