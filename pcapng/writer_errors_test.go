package pcapng

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// A block the writer cannot encode is reported as the reader reports one it
// cannot decode: a *FormatError naming the block index and the offset the
// block would have had.
func TestWriterErrorsAreFormatErrors(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewPacketWriter(&buf, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddInterface(pkt.Interface{LinkType: linktype.Ethernet, Resolution: pkt.Microsecond, FCSLen: -1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	next := int64(buf.Len()) // after the section header and the interface
	tests := []struct {
		name  string
		write func() error
		typ   BlockType
		want  error
	}{
		{"undescribed interface", func() error { return w.WritePacket(&pkt.Packet{Interface: 1, Timestamp: time.Unix(1, 0)}) },
			TypeEnhancedPacket, pkt.ErrInterfaceIndex},
		{"timestamp before 1970", func() error { return w.WritePacket(&pkt.Packet{Timestamp: time.Unix(-1, 0)}) },
			TypeEnhancedPacket, ErrTimestampRange},
		{"negative original length", func() error { return w.WritePacket(&pkt.Packet{Timestamp: time.Unix(1, 0), Length: -1}) },
			TypeEnhancedPacket, ErrCaptureLength},
		{"resolution without units", func() error { return w.AddInterface(pkt.Interface{Resolution: 0x80 | 64}) },
			TypeInterfaceDescription, ErrResolution},
		{"oversized option", func() error {
			epb := &EnhancedPacket{}
			epb.Add(pkt.OptComment, make([]byte, 70000))
			return w.Blocks().WriteBlock(epb)
		}, TypeEnhancedPacket, ErrOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.write()
			var fe *FormatError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Offset != next || fe.Block != 2 || BlockType(fe.Type) != tt.typ {
				t.Fatalf("err = %#v (%v), want a FormatError for block 2 (%s) at offset %d wrapping %v", fe, err, tt.typ, next, tt.want)
			}
		})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(&pkt.Packet{Timestamp: time.Unix(1, 0)}); !errors.Is(err, ErrWriteAfterClose) {
		t.Fatalf("write after Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if int64(buf.Len()) != next {
		t.Fatalf("failed writes left %d bytes behind", int64(buf.Len())-next)
	}
}

func TestWriterNeedsSectionFirst(t *testing.T) {
	w := NewWriter(io.Discard)
	err := w.WriteBlock(&EnhancedPacket{})
	var fe *FormatError
	if !errors.Is(err, ErrNoSection) || !errors.As(err, &fe) || fe.Offset != 0 || fe.Block != 0 {
		t.Fatalf("err = %v, want a FormatError for block 0 wrapping ErrNoSection", err)
	}
}
