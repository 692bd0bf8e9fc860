package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/valyala/fasthttp"
)

// maxHead bounds a response's status line and headers: a longer head is
// an error, not a growing buffer.
const maxHead = 64 << 10

// headParser parses a response's head (status line and headers) once it
// is whole, through fasthttp's parser, reusing its buffers: one serves
// every connection of an event loop.
type headParser struct {
	h  fasthttp.ResponseHeader
	rd bytes.Reader
	br *bufio.Reader
}

func newHeadParser() *headParser {
	p := &headParser{}
	p.br = bufio.NewReaderSize(&p.rd, maxHead)
	return p
}

// parse parses head, which ends in its blank line.
func (p *headParser) parse(head []byte) error {
	p.rd.Reset(head)
	p.br.Reset(&p.rd)
	p.h.Reset()
	return p.h.Read(p.br)
}

// errHeadTooLong is a response head past maxHead.
var errHeadTooLong = fmt.Errorf("the response's headers pass %d KB", maxHead>>10)

// A responseReader follows one HTTP/1.1 response through the bytes of
// its connection as they arrive, in pieces of any size, keeping none of
// its body: it counts the body's bytes, and says when the response is
// whole, from its Content-Length, its chunks, or the connection's end.
// The head is parsed by fasthttp; only the body's framing (RFC 9112,
// section 6) is followed here, since no library follows it in pieces.
// Its buffers are reused from response to response.
type responseReader struct {
	heads *headParser
	head  []byte // the head so far, until it is whole

	code       int
	bodyBytes  int64
	noBody     bool // the request was a HEAD
	closeAfter bool // the connection ends with this response

	state   readState
	left    int64  // bytes left of the body (bodyLength) or of a chunk (chunkData)
	line    []byte // a chunk's size line, or a trailer line, so far
	trailer bool   // the line is a trailer's (or the blank line that ends them)
}

type readState uint8

const (
	readHead       readState = iota
	bodyLength               // a body of left bytes
	bodyUntilClose           // a body that ends with the connection
	chunkSize                // a chunk's size line
	chunkData                // left bytes of a chunk
	chunkEnd                 // the CRLF after a chunk's data
	trailers                 // trailer lines, to a blank one
	complete
)

// reset readies r for the next response, to a request that was a HEAD
// (whose response has no body) or not.
func (r *responseReader) reset(head bool) {
	r.head, r.line = r.head[:0], r.line[:0]
	r.code, r.bodyBytes, r.noBody, r.closeAfter, r.state, r.left = 0, 0, head, false, readHead, 0
}

// untouched says whether nothing of the response has arrived.
func (r *responseReader) untouched() bool {
	return r.state == readHead && len(r.head) == 0 && r.code == 0
}

// feed reads p, the connection's next bytes. It returns how many bytes
// it used and whether the response is whole: then bytes past it are
// not used (a server that sends more than it was asked for is wrong).
func (r *responseReader) feed(p []byte) (used int, whole bool, err error) {
	for used < len(p) && r.state != complete {
		n, err := r.step(p[used:])
		used += n
		if err != nil {
			return used, false, err
		}
	}
	return used, r.state == complete, nil
}

// eof is the connection's end, with nothing more of the response to come:
// it ends a body that runs to it, and is an error anywhere else.
func (r *responseReader) eof() (whole bool, err error) {
	switch r.state {
	case complete:
		return true, nil
	case bodyUntilClose:
		r.state = complete
		return true, nil
	case readHead:
		if len(r.head) == 0 {
			return false, io.EOF // the server closed a connection before answering
		}
	}
	return false, io.ErrUnexpectedEOF
}

// step reads what it can of p in the current state.
func (r *responseReader) step(p []byte) (int, error) {
	switch r.state {
	case readHead:
		return r.readHead(p)
	case bodyLength, chunkData:
		n := int(min(int64(len(p)), r.left))
		r.left -= int64(n)
		r.bodyBytes += int64(n)
		switch {
		case r.left > 0:
		case r.state == bodyLength:
			r.state = complete
		default:
			r.state = chunkEnd
		}
		return n, nil
	case bodyUntilClose:
		r.bodyBytes += int64(len(p))
		return len(p), nil
	case chunkEnd:
		return r.readLine(p, func(line []byte) error {
			if len(line) != 0 {
				return errors.New("a chunk's data runs past its size")
			}
			r.state = chunkSize
			return nil
		})
	case chunkSize:
		return r.readLine(p, r.chunkSizeLine)
	case trailers:
		return r.readLine(p, func(line []byte) error {
			if len(line) == 0 {
				r.state = complete
			}
			return nil
		})
	}
	return 0, nil
}

// readHead gathers the head to its blank line, then parses it and
// decides how the body is framed. The bytes past the head are the body's.
func (r *responseReader) readHead(p []byte) (int, error) {
	head, used := []byte(nil), 0
	if len(r.head) == 0 { // the usual case: the whole head in one read, parsed where it lies
		if i := bytes.Index(p, blankLine); i >= 0 {
			head, used = p[:i+4], i+4
		}
	}
	if head == nil {
		old := len(r.head)
		r.head = append(r.head, p[:min(len(p), maxHead+len(blankLine)-old)]...)
		i := bytes.Index(r.head[max(0, old-len(blankLine)+1):], blankLine) // it may straddle two reads
		if i < 0 {
			if len(r.head) > maxHead {
				return len(p), errHeadTooLong
			}
			return len(p), nil
		}
		end := max(0, old-len(blankLine)+1) + i + len(blankLine)
		head, used = r.head[:end], end-old
	}
	if err := r.heads.parse(head); err != nil {
		return used, err
	}
	h := &r.heads.h
	r.code, r.closeAfter = h.StatusCode(), h.ConnectionClose()
	r.head = r.head[:0]
	switch length := h.ContentLength(); {
	case r.code >= 100 && r.code < 200 && r.code != fasthttp.StatusSwitchingProtocols:
		// an interim response (100 Continue, 103 Early Hints): the final one follows
	case r.noBody || r.code == fasthttp.StatusNoContent || r.code == fasthttp.StatusNotModified:
		r.state = complete
	case length == -1:
		r.state = chunkSize
	case length == -2:
		r.state, r.closeAfter = bodyUntilClose, true
	case length == 0:
		r.state = complete
	default:
		r.state, r.left = bodyLength, int64(length)
	}
	return used, nil
}

var blankLine = []byte("\r\n\r\n")

// readLine gathers a line to its CRLF, then passes it to done without
// its CRLF.
func (r *responseReader) readLine(p []byte, done func(line []byte) error) (int, error) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		if len(r.line)+len(p) > maxHead {
			return len(p), errHeadTooLong
		}
		r.line = append(r.line, p...)
		return len(p), nil
	}
	r.line = append(r.line, p[:i+1]...)
	line := bytes.TrimSuffix(bytes.TrimSuffix(r.line, []byte("\n")), []byte("\r"))
	err := done(line)
	r.line = r.line[:0]
	return i + 1, err
}

// chunkSizeLine reads a chunk's size, in hexadecimal, before any
// extension; size 0 is the last chunk, which trailers follow.
func (r *responseReader) chunkSizeLine(line []byte) error {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
	if err != nil || size < 0 {
		return fmt.Errorf("a chunk's size %q is not a hexadecimal number", line)
	}
	if size == 0 {
		r.state = trailers
		return nil
	}
	r.state, r.left = chunkData, size
	return nil
}
