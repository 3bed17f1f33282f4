package web

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes a session's deadline and values for the session store, in place of
// scs's gob encoding. Every request decodes its session and encodes it again (scs moves the
// idle deadline by committing), and gob sends its type descriptions along and compiles a
// decoder for each session: 4–5 % of the server's CPU profile under the standard load. The
// sessions hold a few strings and int64s, which this format writes as they are.
//
// Gob also wrote the values in the map's random order, so the same session came out as other
// bytes now and then (13 encodings in 100 of a logged-in user's two values), and the session
// store (sessionstore.go), which skips writing a session whose bytes have not changed, wrote
// those clicks to the database all the same. Here the keys are sorted: the same session is
// the same bytes.
//
// The format: a zero byte (a gob stream never starts with one: its first byte is the length
// of a message), the format's version (1), the deadline as Unix seconds (varint) and
// nanoseconds (uvarint), the number of values, then each value as its key (length-prefixed)
// and a tag byte with the value. A session holding a value of any other type is written
// with gob as before, and gob sessions written before this codec are read as before.
type sessionCodec struct{}

const (
	sessionFormatMark    byte = 0
	sessionFormatVersion byte = 1
)

// The tags of the value types written without gob.
const (
	tagString  byte = 's'
	tagInt64   byte = 'i'
	tagInt     byte = 'n'
	tagBool    byte = 'b'
	tagFloat64 byte = 'f'
	tagBytes   byte = 'y'
	tagTime    byte = 't'
)

var errSessionFormat = errors.New("session data: not in a known format")

// Encode writes the deadline and values; gob when a value has a type of its own.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(values))
	size := 32
	for k, v := range values {
		switch v := v.(type) {
		case string:
			size += len(v)
		case []byte:
			size += len(v)
		case int64, int, bool, float64, time.Time:
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
		keys = append(keys, k)
		size += len(k) + 24
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, sessionFormatMark, sessionFormatVersion)
	b = appendTime(b, deadline)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		switch v := values[k].(type) {
		case string:
			b = appendString(append(b, tagString), v)
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(v))
		case bool:
			var x byte
			if v {
				x = 1
			}
			b = append(b, tagBool, x)
		case float64:
			b = binary.BigEndian.AppendUint64(append(b, tagFloat64), math.Float64bits(v))
		case []byte:
			b = appendString(append(b, tagBytes), string(v))
		case time.Time:
			b = appendTime(append(b, tagTime), v)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote, or a gob session.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != sessionFormatMark {
		return scs.GobCodec{}.Decode(b)
	}
	d := sessionDecoder{b: b[1:]}
	if d.byte() != sessionFormatVersion {
		return time.Time{}, nil, errSessionFormat
	}
	deadline := d.time()
	n := d.uvarint()
	if d.err || n > uint64(len(d.b)) { // every value takes at least a byte
		return time.Time{}, nil, errSessionFormat
	}
	values := make(map[string]any, n)
	for range n {
		k := d.string()
		switch d.byte() {
		case tagString:
			values[k] = d.string()
		case tagInt64:
			values[k] = d.varint()
		case tagInt:
			values[k] = int(d.varint())
		case tagBool:
			values[k] = d.byte() == 1
		case tagFloat64:
			if v := d.take(8); len(v) == 8 {
				values[k] = math.Float64frombits(binary.BigEndian.Uint64(v))
			}
		case tagBytes:
			values[k] = []byte(d.string())
		case tagTime:
			values[k] = d.time()
		default:
			d.err = true
		}
		if d.err {
			return time.Time{}, nil, errSessionFormat
		}
	}
	if len(d.b) != 0 {
		return time.Time{}, nil, errSessionFormat
	}
	return deadline, values, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendTime writes t as Unix seconds and nanoseconds; it is read back in UTC, as scs
// writes its deadlines.
func appendTime(b []byte, t time.Time) []byte {
	return binary.AppendUvarint(binary.AppendVarint(b, t.Unix()), uint64(t.Nanosecond()))
}

// sessionDecoder reads the format; the first malformed read sets err, and every read after
// it returns zero values.
type sessionDecoder struct {
	b   []byte
	err bool
}

func (d *sessionDecoder) take(n int) []byte {
	if d.err || n > len(d.b) {
		d.err = true
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *sessionDecoder) byte() byte {
	if v := d.take(1); len(v) == 1 {
		return v[0]
	}
	return 0
}

func (d *sessionDecoder) uvarint() uint64 {
	if d.err {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *sessionDecoder) varint() int64 {
	if d.err {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *sessionDecoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = true
		return ""
	}
	return string(d.take(int(n)))
}

func (d *sessionDecoder) time() time.Time {
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= uint64(time.Second) {
		d.err = true
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
